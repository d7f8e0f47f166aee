namespace NeuralNet.Training;

/// <summary>
/// Training stopped because the cost stopped being a finite number (NaN or infinity).
/// The message names the iteration and suggests what to change; <see cref="History"/> keeps
/// everything recorded before it happened, so nothing is lost.
/// </summary>
public sealed class TrainingDivergedException(string message, int iteration, double cost, TrainingHistory history)
    : InvalidOperationException(message)
{
    /// <summary>The iteration (1-based) whose cost was not finite.</summary>
    public int Iteration { get; } = iteration;

    /// <summary>The cost that was computed: NaN or ±infinity.</summary>
    public double Cost { get; } = cost;

    /// <summary>Everything recorded up to the iteration before the failure.</summary>
    public TrainingHistory History { get; } = history;
}

/// <summary>
/// The cost was not a finite number at the first step of training, before any update — so not the learning
/// rate's doing: the weights hold NaN or ∞, or the outputs reach a value the cost cannot take (the log of 0).
/// The message says which. (NaN or ∞ in the data is refused earlier, naming the sample and feature.)
/// </summary>
public sealed class CostNotFiniteException(string message) : InvalidOperationException(message);
