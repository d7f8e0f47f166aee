using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// A cost J: how far the predictions AL are from the labels Y, averaged over the m samples (columns):
/// J = (1/m) Σ_j loss(AL_j, Y_j). It also gives the gradient that starts backpropagation,
/// dAL = ∂loss/∂AL per sample — without the 1/m, which <c>dW = dZ·A_prevᵀ / m</c> applies later,
/// exactly as in the original.
/// </summary>
public abstract class Cost
{
    /// <summary>
    /// The cost's name, for display: "binary_cross_entropy", "mse"… The library's own show the key model files store
    /// (<see cref="Costs.Key"/>); one written outside the library overrides it (or shows its class name).
    /// </summary>
    public virtual string Name => Id is { } id ? Costs.Key(id) : GetType().Name;

    /// <summary>Which cost this is (null for a cost written outside the library).</summary>
    internal virtual CostId? Id => null;

    /// <summary>The name model files store and <see cref="Costs.FromName"/> reads ("mse"); null for a cost written outside the library (usable, not savable).</summary>
    public string? Key => Id is { } id ? Costs.Key(id) : null;

    /// <summary>The formula, for display.</summary>
    public abstract string Formula { get; }

    /// <summary>J(AL, Y), averaged over the samples.</summary>
    public double Compute(Matrix<double> al, Matrix<double> y)
    {
        CheckShapes(al, y);
        return Sum(Shape.Values(al), Shape.Values(y), al.RowCount) / al.ColumnCount;
    }

    /// <summary>dAL = ∂loss/∂AL for every entry (per sample, no 1/m).</summary>
    public Matrix<double> Gradient(Matrix<double> al, Matrix<double> y)
    {
        CheckShapes(al, y);
        var dAL = Matrix<double>.Build.Dense(al.RowCount, al.ColumnCount);
        Gradient(Shape.Values(al), Shape.Values(y), Shape.Values(dAL), al.RowCount);
        return dAL;
    }

    /// <summary>dAL = ∂loss/∂AL, written into <paramref name="dAL"/> (AL's shape).</summary>
    internal void Gradient(Matrix<double> al, Matrix<double> y, Matrix<double> dAL)
    {
        CheckShapes(al, y);
        ArgumentNullException.ThrowIfNull(dAL);
        if (dAL.RowCount != al.RowCount || dAL.ColumnCount != al.ColumnCount)
            throw new ShapeMismatchException(
                $"{Name}: the gradient dAL {Shape.Of(dAL)} must have AL's shape {Shape.Of(al)} " +
                "(one entry per prediction: one row per output unit, one column per sample).");
        Gradient(Shape.Values(al), Shape.Values(y), Shape.Target(dAL, nameof(dAL)), al.RowCount);
    }

    /// <summary>
    /// Throws, with a message that says what to change, when <paramref name="y"/> cannot be labels
    /// for this cost (binary cross-entropy wants 0s and 1s, categorical cross-entropy one-hot columns).
    /// </summary>
    public virtual void ValidateLabels(Matrix<double> y) { }

    /// <summary>Refuses the first entry of <paramref name="y"/> that is no label, naming it: "{needs}, but Y[i, j] = v. {fix}".</summary>
    private protected static void CheckEachLabel(Matrix<double> y, Predicate<double> isLabel, string needs, string fix)
    {
        var v = Shape.Values(y);
        int bad = Array.FindIndex(v, t => !isLabel(t));
        if (bad >= 0)
            throw new ArgumentException(Invariant($"{needs}, but Y[{bad % y.RowCount}, {bad / y.RowCount}] = {v[bad]}. ") + fix);
    }

    /// <summary>
    /// When this cost meets the given output activation in a pairing whose product simplifies
    /// (sigmoid with binary cross-entropy, softmax with categorical cross-entropy), the output
    /// layer's dZ directly: dZ_L = AL − Y. Returns false for every other pairing, which then goes
    /// the long way: dAL from <see cref="Gradient(Matrix{double}, Matrix{double})"/>, then dZ = dA ⊙ g'(Z).
    /// </summary>
    internal bool TryOutputDelta(Activation output, Matrix<double> al, Matrix<double> y, Matrix<double> dZ)
    {
        if (!PairsWith(output)) return false;
        CheckShortcutLabels(y);
        var a = Shape.Values(al);
        var t = Shape.Values(y);
        var d = Shape.Target(dZ, nameof(dZ));
        for (int i = 0; i < a.Length; i++) d[i] = a[i] - t[i];
        return true;
    }

    /// <summary>Throws when <paramref name="y"/> breaks an assumption of the AL − Y shortcut (softmax's: columns summing to 1).</summary>
    protected virtual void CheckShortcutLabels(Matrix<double> y) { }

    /// <summary>True for the output activation whose product with this cost's gradient simplifies to AL − Y.</summary>
    protected virtual bool PairsWith(Activation output) => false;

    /// <summary>Σ over all entries of the per-entry loss (the caller divides by m).</summary>
    protected abstract double Sum(double[] al, double[] y, int rows);

    /// <summary>Fills dAL (same layout as AL).</summary>
    protected abstract void Gradient(double[] al, double[] y, double[] dAL, int rows);

    private void CheckShapes(Matrix<double> al, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(al);
        ArgumentNullException.ThrowIfNull(y);
        if (al.RowCount != y.RowCount || al.ColumnCount != y.ColumnCount)
            throw new ShapeMismatchException(
                $"{Name}: the predictions AL {Shape.Of(al)} and the labels Y {Shape.Of(y)} must have the same shape " +
                "(one row per output unit, one column per sample).");
        if (al.ColumnCount == 0)
            throw new ArgumentException($"{Name}: there are no samples (AL has 0 columns), so the average cost is undefined.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Formula}";
}
