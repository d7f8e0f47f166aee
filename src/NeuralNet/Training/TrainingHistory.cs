using System.Text;
using static System.FormattableString;

namespace NeuralNet.Training;

/// <summary>
/// The record of a training run: the cost and accuracy of every epoch, the validation figures at every
/// report, and the settings that made them (so curves of several runs can be told apart).
/// A new one is empty, for a run with the given learning rate and optimizer description.
/// </summary>
public sealed class TrainingHistory(double learningRate, string optimizer = "gradient descent", string? label = null)
{
    private readonly List<double> _costs = [];
    private readonly List<double> _accuracies = [];
    private readonly List<int> _validationEpochs = [];
    private readonly List<double> _validationCosts = [];
    private readonly List<double> _validationAccuracies = [];

    /// <summary>α of the run.</summary>
    public double LearningRate { get; } = learningRate;

    /// <summary>
    /// Gradient steps per epoch: 1 for full-batch training (an epoch is one step, the original's
    /// "iteration"), ⌈m / batch size⌉ with mini-batches. Charts use it to label their x axis truthfully.
    /// </summary>
    public int StepsPerEpoch { get; init; } = 1;

    /// <summary>The update rule, described.</summary>
    public string Optimizer { get; } = optimizer;

    /// <summary>A name for the run in legends ("α = 0.05" unless set).</summary>
    public string Label { get; set; } = label ?? Invariant($"α = {learningRate}");

    /// <summary>The training cost of epoch i at index i − 1.</summary>
    public IReadOnlyList<double> Costs => _costs;

    /// <summary>The training accuracy of epoch i at index i − 1.</summary>
    public IReadOnlyList<double> Accuracies => _accuracies;

    /// <summary>The epochs at which the validation figures were taken.</summary>
    public IReadOnlyList<int> ValidationEpochs => _validationEpochs;

    /// <summary>The validation cost at each of <see cref="ValidationEpochs"/>.</summary>
    public IReadOnlyList<double> ValidationCosts => _validationCosts;

    /// <summary>The validation accuracy at each of <see cref="ValidationEpochs"/>.</summary>
    public IReadOnlyList<double> ValidationAccuracies => _validationAccuracies;

    /// <summary>Epochs recorded.</summary>
    public int Epochs => _costs.Count;

    /// <summary>True when training was stopped early (cancelled) rather than running all its epochs.</summary>
    public bool Stopped { get; set; }

    /// <summary>Records one epoch's training cost and accuracy.</summary>
    public void Add(double cost, double accuracy)
    {
        _costs.Add(cost);
        _accuracies.Add(accuracy);
    }

    /// <summary>Records the validation cost and accuracy at <paramref name="epoch"/>.</summary>
    public void AddValidation(int epoch, double cost, double accuracy)
    {
        _validationEpochs.Add(epoch);
        _validationCosts.Add(cost);
        _validationAccuracies.Add(accuracy);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (Epochs == 0) return $"Training history ({Label}, {Optimizer}): empty";
        var text = new StringBuilder($"Training history ({Label}, {Optimizer}): {Epochs} epochs{(Stopped ? " (stopped early)" : "")}");
        text.Append(Invariant($"\n  cost {_costs[0]:G6} → {_costs[^1]:G6}, accuracy {_accuracies[0]:G4} → {_accuracies[^1]:G4}"));
        if (_validationEpochs.Count > 0)
            text.Append(Invariant($"\n  validation at epoch {_validationEpochs[^1]}: cost {_validationCosts[^1]:G6}, accuracy {_validationAccuracies[^1]:G4}"));
        return text.ToString();
    }
}
