using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

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
        return Sum(Shape.Values(al), Shape.Values(y), al.RowCount) / al.ColumnCount;   // J = (1/m) Σ_j loss(AL_j, Y_j)
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

/// <summary>
/// Binary cross-entropy, for a sigmoid output and labels 0 or 1:
/// loss = −(y·log(a) + (1 − y)·log(1 − a)).
/// </summary>
/// <remarks>
/// Safe at a = 0 and a = 1: a term whose label weight is 0 is skipped rather than computed as 0·log(0)
/// (which is NaN). A confident wrong answer (a = 0 where y = 1) honestly costs +∞; nothing is clipped.
/// </remarks>
internal sealed class BinaryCrossEntropy : Cost
{
    internal override CostId? Id => CostId.BinaryCrossEntropy;
    public override string Formula => "J = −(1/m) Σ [y·log(a) + (1 − y)·log(1 − a)],  dA = −(y/a − (1 − y)/(1 − a))";

    protected override double Sum(double[] al, double[] y, int rows)
    {
        double sum = 0;
        for (int i = 0; i < al.Length; i++)
        {
            double a = al[i], t = y[i];
            // loss = −(y·log(a) + (1 − y)·log(1 − a)), each term skipped where its weight is 0 (0·log 0 would be NaN)
            if (t != 0) sum -= t * Math.Log(a);
            if (t != 1) sum -= (1 - t) * Math.Log(1 - a);
        }
        return sum;
    }

    protected override void Gradient(double[] al, double[] y, double[] dAL, int rows)
    {
        for (int i = 0; i < al.Length; i++)
        {
            double a = al[i], t = y[i], g = 0;
            if (t != 0) g -= t / a;
            if (t != 1) g += (1 - t) / (1 - a);
            dAL[i] = g;
        }
    }

    public override void ValidateLabels(Matrix<double> y) =>
        CheckEachLabel(y, t => t == 0 || t == 1, "Binary cross-entropy needs labels 0 or 1",
            "Map your classes to 0 and 1 first (for more than two classes use softmax with categorical cross-entropy).");

    protected override bool PairsWith(Activation output) => output is Sigmoid;
}

/// <summary>
/// Categorical cross-entropy, for a softmax output and one-hot label columns:
/// loss = −Σ_i y_i·log(a_i). With softmax, dZ = A − Y.
/// </summary>
internal sealed class CategoricalCrossEntropy : Cost
{
    internal override CostId? Id => CostId.CategoricalCrossEntropy;
    public override string Formula => "J = −(1/m) Σ_j Σ_i y_ij·log(a_ij),  dA = −y/a  (with softmax: dZ = A − Y)";

    protected override double Sum(double[] al, double[] y, int rows)
    {
        double sum = 0;
        for (int i = 0; i < al.Length; i++)
            if (y[i] != 0) sum -= y[i] * Math.Log(al[i]);   // loss = −Σ_i y_i·log(a_i)
        return sum;
    }

    protected override void Gradient(double[] al, double[] y, double[] dAL, int rows)
    {
        for (int i = 0; i < al.Length; i++) dAL[i] = y[i] != 0 ? -y[i] / al[i] : 0.0;
    }

    public override void ValidateLabels(Matrix<double> y)
    {
        CheckEachLabel(y, t => t >= 0 && t <= 1, "Categorical cross-entropy needs label columns of probabilities (one-hot)",
            "Turn class indices into one-hot columns first (e.g. LabeledData.OneHot()).");
        CheckShortcutLabels(y);
    }

    protected override bool PairsWith(Activation output) => output is Softmax;

    /// <summary>
    /// Softmax's dZ = A − Y holds only when each label column sums to 1 (Σ_i y_i = 1 turns −y/a through the
    /// Jacobian into a − y); with other labels that shortcut would be a wrong gradient, so it is refused.
    /// </summary>
    protected override void CheckShortcutLabels(Matrix<double> y)
    {
        var v = Shape.Values(y);
        int n = y.RowCount;
        for (int j = 0; j < y.ColumnCount; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += v[j * n + i];
            if (!(Math.Abs(sum - 1) <= 1e-9))
                throw new ArgumentException(
                    Invariant($"Categorical cross-entropy needs each label column of Y to sum to 1 (one-hot), but column {j} sums to {sum}: ") +
                    "softmax's dZ = A − Y holds only then. Each sample needs exactly one 1 in the row of its class.", nameof(y));
        }
    }
}

/// <summary>Mean squared error over the output units: loss = (1/n) Σ_i (a_i − y_i)², for regression.</summary>
internal sealed class MeanSquaredError : Cost
{
    internal override CostId? Id => CostId.MeanSquaredError;
    public override string Formula => "J = (1/m) Σ_j (1/n) Σ_i (a_ij − y_ij)²,  dA = 2(a − y)/n";

    protected override double Sum(double[] al, double[] y, int rows)
    {
        double sum = 0;
        for (int i = 0; i < al.Length; i++)
        {
            double d = al[i] - y[i];
            sum += d * d;
        }
        return sum / rows;   // loss = (1/n) Σ_i (a_i − y_i)²
    }

    protected override void Gradient(double[] al, double[] y, double[] dAL, int rows)
    {
        for (int i = 0; i < al.Length; i++) dAL[i] = 2 * (al[i] - y[i]) / rows;
    }
}

/// <summary>
/// Mean absolute error (the L1 loss): loss = (1/n) Σ_i |a_i − y_i|. Its derivative is the sign of
/// a − y (taken as 0 where a = y exactly, where |·| has a corner).
/// </summary>
internal sealed class MeanAbsoluteError : Cost
{
    internal override CostId? Id => CostId.MeanAbsoluteError;
    public override string Formula => "J = (1/m) Σ_j (1/n) Σ_i |a_ij − y_ij|,  dA = sign(a − y)/n";

    protected override double Sum(double[] al, double[] y, int rows)
    {
        double sum = 0;
        for (int i = 0; i < al.Length; i++) sum += Math.Abs(al[i] - y[i]);
        return sum / rows;   // loss = (1/n) Σ_i |a_i − y_i|
    }

    protected override void Gradient(double[] al, double[] y, double[] dAL, int rows)
    {
        for (int i = 0; i < al.Length; i++) dAL[i] = Math.Sign(al[i] - y[i]) / (double)rows;
    }
}

/// <summary>The costs by name.</summary>
public static class Costs
{
    public static Cost BinaryCrossEntropy { get; } = new BinaryCrossEntropy();
    public static Cost CategoricalCrossEntropy { get; } = new CategoricalCrossEntropy();
    public static Cost MeanSquaredError { get; } = new MeanSquaredError();
    public static Cost MeanAbsoluteError { get; } = new MeanAbsoluteError();

    /// <summary>The names <see cref="FromName"/> understands, and model files store: <c>Names[(int)id]</c> is the id's.</summary>
    public static IReadOnlyList<string> Names => Keys;
    private static readonly string[] Keys = ["binary_cross_entropy", "categorical_cross_entropy", "mse", "l1"];   // in CostId's order

    private static readonly Cost[] ById = [BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError, MeanAbsoluteError];

    /// <summary>The cost called <paramref name="name"/>, ignoring case ("bce", "cce" and "mae" also work).</summary>
    public static Cost FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant() switch
        {
            "bce" => "binary_cross_entropy",
            "cce" or "cross_entropy" => "categorical_cross_entropy",
            "mean_squared_error" or "l2" => "mse",
            "mae" or "mean_absolute_error" => "l1",
            var k => k,
        };
        int index = Array.IndexOf(Keys, key);
        return index >= 0 ? ById[index] : throw new ArgumentException($"Unknown cost \"{name}\". Known: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The text model files store for a cost id: "binary_cross_entropy", "categorical_cross_entropy", "mse", "l1".</summary>
    internal static string Key(CostId id) =>
        (uint)id < Keys.Length ? Keys[(int)id] : throw new ArgumentOutOfRangeException(nameof(id), $"{id} is not a cost.");
}

/// <summary>The costs the library knows — what model files store (as <see cref="Costs.Key"/>), independent of display names.</summary>
internal enum CostId { BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError, MeanAbsoluteError }
