using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Training;

/// <summary>
/// Ways to keep a network from memorising its training set, used while training only.
/// <list type="bullet">
/// <item><b>L2</b> (weight decay): the cost gains (λ / 2m)·Σ_l ‖W_l‖², so each dW_l gains (λ/m)·W_l and
/// every step shrinks the weights a little; large weights must earn their place.</item>
/// <item><b>Dropout</b>: on each step, every hidden unit is switched off with probability p and the survivors
/// are scaled by 1/(1 − p) (inverted dropout), so no unit can rely on any particular other one.
/// The same mask D multiplies the gradient on the way back: dA ← dA ⊙ D. Predictions use all units.</item>
/// </list>
/// </summary>
/// <param name="L2">λ, the weight of the L2 penalty (0 = none).</param>
/// <param name="DropoutRate">p, the fraction of hidden units dropped on each step (0 = none).</param>
/// <param name="DropoutSeed">Seed of the generator that draws the dropout masks.</param>
public sealed record Regularization(double L2 = 0, double DropoutRate = 0, uint DropoutSeed = 0)
{
    /// <summary>No regularisation.</summary>
    public static Regularization None { get; } = new();

    internal void Validate()
    {
        if (!(L2 >= 0) || double.IsInfinity(L2))
            throw new ArgumentOutOfRangeException(nameof(L2), Invariant($"The L2 weight λ must be zero or positive, not {L2}; try 0.01 to 1."));
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            throw new ArgumentOutOfRangeException(nameof(DropoutRate), Invariant($"The dropout rate is the fraction of units dropped, in [0, 1), not {DropoutRate}; 0.2 to 0.5 is usual."));
    }

    /// <inheritdoc />
    public override string ToString() => L2 == 0 && DropoutRate == 0 ? "no regularisation"
        : string.Join(", ", new[] { L2 > 0 ? Invariant($"L2 λ = {L2}") : null, DropoutRate > 0 ? Invariant($"dropout p = {DropoutRate}") : null }.Where(s => s is not null));
}
