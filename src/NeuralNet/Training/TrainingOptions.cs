using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Training;

/// <summary>
/// How to train: the update rule (and its learning rate), how long, in what batches, what to report and when.
/// The defaults are the original notebook's: full-batch gradient descent, α = 0.05, reports every 100 iterations.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// Passes over the training data. With full batches (no <see cref="BatchSize"/>) each epoch is one
    /// gradient step, which is what the original calls an iteration.
    /// </summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>Samples per gradient step; null means all of them (full-batch gradient descent).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seed of the generator that shuffles the samples before each epoch of mini-batches.</summary>
    public uint ShuffleSeed { get; init; }

    /// <summary>
    /// The update rule and its step size α (gradient descent with α = 0.05, the original's, unless given). The rule
    /// holds no memory: momentum's velocity and Adam's moments belong to the training run (<see cref="Trainer"/>).
    /// </summary>
    public Optimizer Optimizer { get; init; } = new Sgd();

    /// <summary>L2 penalty and dropout, applied during training only (none unless given).</summary>
    public Regularization Regularization { get; init; } = Regularization.None;

    /// <summary>
    /// Report (callback, validation, printing) every this many epochs, counting from the first and ending
    /// with the last: with 100 and 1000 epochs, at 1, 101, 201, …, 901 and 1000 — the iterations the
    /// original printed.
    /// </summary>
    public int ReportEvery { get; init; } = 100;

    /// <summary>Called at every report with the epoch, cost and accuracy: drive a live chart from here.</summary>
    public Action<TrainingProgress>? OnProgress { get; init; }

    /// <summary>Print "iteration i: loss …, accuracy …" at every report, as the original did.</summary>
    public bool PrintCost { get; init; }

    /// <summary>Where to print when <see cref="PrintCost"/> is set (the console unless given).</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Held-out samples, evaluated at every report (features × samples).</summary>
    public Matrix<double>? ValidationX { get; init; }

    /// <summary>The held-out samples' labels.</summary>
    public Matrix<double>? ValidationY { get; init; }

    /// <summary>
    /// Layers (1 … L) whose parameters are left as they are. Freezing the output layer, [L], reproduces
    /// the original code, whose update loop never reached it.
    /// </summary>
    public IReadOnlyCollection<int> FrozenLayers { get; init; } = [];

    /// <summary>
    /// Stops training after the current step (mini-batch, or iteration when full-batch); the epoch in progress
    /// is recorded over the samples it saw, reported, and the history returned with <c>Stopped</c> set — nothing lost.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    internal void Validate(int layerCount)
    {
        if (Epochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Invariant($"Training needs at least one epoch (iteration), not {Epochs}."));
        if (BatchSize is <= 0)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), Invariant($"A batch needs at least one sample, not {BatchSize}; leave it null for full-batch training."));
        ArgumentNullException.ThrowIfNull(Optimizer);
        ArgumentNullException.ThrowIfNull(Regularization);
        ArgumentNullException.ThrowIfNull(FrozenLayers);
        Regularization.Validate();
        if (ReportEvery <= 0)
            throw new ArgumentOutOfRangeException(nameof(ReportEvery), Invariant($"Reports come every N epochs with N ≥ 1, not {ReportEvery}."));
        if ((ValidationX is null) != (ValidationY is null))
            throw new ArgumentException("Give both ValidationX and ValidationY, or neither.");
        foreach (int l in FrozenLayers)
            if (l < 1 || l > layerCount)
                throw new ArgumentOutOfRangeException(nameof(FrozenLayers), Invariant($"Frozen layer {l} does not exist: layers are numbered 1 … {layerCount}."));
        if (Enumerable.Range(1, layerCount).All(FrozenLayers.Contains))
            throw new ArgumentException(
                Invariant($"FrozenLayers names every layer (1 … {layerCount}), so training would change nothing and report the same cost every epoch. ") +
                "Leave at least one layer out of FrozenLayers (the original froze only the output layer, [L]).", nameof(FrozenLayers));
    }
}

/// <summary>What a report says: where training is and how it is doing.</summary>
/// <param name="Epoch">The epoch (iteration) just finished, 1-based.</param>
/// <param name="Epochs">How many epochs the run will have.</param>
/// <param name="Cost">The training cost of that epoch.</param>
/// <param name="Accuracy">The training accuracy of that epoch (from the forward passes it already did).</param>
/// <param name="ValidationCost">The cost on the validation samples, when given.</param>
/// <param name="ValidationAccuracy">The accuracy on the validation samples, when given.</param>
/// <param name="History">Everything recorded so far.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, double Cost, double Accuracy,
    double? ValidationCost, double? ValidationAccuracy, TrainingHistory History)
{
    /// <inheritdoc />
    public override string ToString() =>
        Invariant($"iteration {Epoch}: loss {Cost:G10}, accuracy {Accuracy:G6}") +
        (ValidationCost is { } vc ? Invariant($", validation loss {vc:G6}, validation accuracy {ValidationAccuracy:G6}") : "");
}
