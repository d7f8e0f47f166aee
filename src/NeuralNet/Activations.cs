using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet;

/// <summary>
/// An activation g: it knows its value <c>A = g(Z)</c> and how to send a gradient back through
/// itself, <c>dZ = dA ⊙ g'(Z)</c>. Z, A and dA are (units × samples): one sample per column.
/// </summary>
public abstract class Activation
{
    /// <summary>
    /// The activation's name, for display: "relu", "sigmoid"… The library's own show their id's text; one written
    /// outside the library overrides it (or shows its class name).
    /// </summary>
    public virtual string Name => Id?.ToString() ?? GetType().Name;

    /// <summary>Which activation this is (null for an activation written outside the library).</summary>
    internal virtual ActivationId? Id => null;

    /// <summary>
    /// The name model files store and <see cref="Activations.FromName"/> reads ("relu", "leaky_relu(0.2)"); null for an
    /// activation written outside the library, which can be used and checked but not saved.
    /// </summary>
    public string? Key => Id?.ToString();

    /// <summary>The formula, for display: "σ(z) = 1 / (1 + e^(−z))".</summary>
    public abstract string Formula { get; }

    /// <summary>A = g(Z), computed into <paramref name="a"/> (same shape as Z; may be Z itself for element-wise activations).</summary>
    public abstract void Forward(Matrix<double> z, Matrix<double> a);

    /// <summary>
    /// dZ = dA ⊙ g'(Z) for an element-wise g; for softmax, the Jacobian applied column by column.
    /// <paramref name="a"/> is g(Z), passed so that sigmoid, tanh and softmax need not recompute it.
    /// </summary>
    public abstract void Backward(Matrix<double> dA, Matrix<double> z, Matrix<double> a, Matrix<double> dZ);

    /// <summary>A = g(Z), as a new matrix.</summary>
    public Matrix<double> Forward(Matrix<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var a = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        Forward(z, a);
        return a;
    }

    /// <summary>dZ = dA ⊙ g'(Z), as a new matrix.</summary>
    public Matrix<double> Backward(Matrix<double> dA, Matrix<double> z, Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(dA);
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(a);
        if (dA.RowCount != z.RowCount || dA.ColumnCount != z.ColumnCount)
            throw new ShapeMismatchException(
                $"{Name} backward: dA {Shape.Of(dA)} must have Z's shape {Shape.Of(z)}: one gradient per activation.");
        var dZ = Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount);
        Backward(dA, z, a, dZ);
        return dZ;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Formula}";
}

/// <summary>
/// An activation applied to each number on its own, so its derivative is a number per entry:
/// subclasses give g(z) and g'(z) (from z or from a = g(z), whichever is cheaper and exact).
/// </summary>
public abstract class ElementwiseActivation : Activation
{
    /// <summary>g(z) for one number.</summary>
    public abstract double Value(double z);

    /// <summary>g'(z) for one number, given z and a = g(z).</summary>
    public abstract double Derivative(double z, double a);

    /// <inheritdoc />
    public override void Forward(Matrix<double> z, Matrix<double> a)
    {
        var zs = Shape.Values(z);
        var output = Shape.Target(a, nameof(a));
        for (int i = 0; i < zs.Length; i++) output[i] = Value(zs[i]);
    }

    /// <inheritdoc />
    public override void Backward(Matrix<double> dA, Matrix<double> z, Matrix<double> a, Matrix<double> dZ)
    {
        var da = Shape.Values(dA);
        var zs = Shape.Values(z);
        var av = Shape.Values(a);
        var dz = Shape.Target(dZ, nameof(dZ));
        for (int i = 0; i < zs.Length; i++) dz[i] = da[i] * Derivative(zs[i], av[i]);
    }
}

/// <summary>The activations the library knows, by kind.</summary>
internal enum ActivationKind { Sigmoid, ReLU, LeakyReLU, Tanh, Softmax, Identity }

/// <summary>
/// An activation's identity: its kind and, for leaky ReLU, its slope α. Model files and the command line store it
/// as text (<see cref="ToString"/>: "relu", "leaky_relu", "leaky_relu(0.2)"), independent of any display name.
/// </summary>
internal readonly record struct ActivationId(ActivationKind Kind, double Slope = LeakyReLU.DefaultSlope)
{
    /// <summary>The stored text: "sigmoid", "relu", "leaky_relu" (α = 0.01), "leaky_relu(α)", "tanh", "softmax", "identity".</summary>
    public override string ToString() => Kind == ActivationKind.LeakyReLU && Slope != LeakyReLU.DefaultSlope
        ? $"leaky_relu({Slope.ToString("R", CultureInfo.InvariantCulture)})"
        : Activations.Names[(int)Kind];

    /// <summary>The id written as <paramref name="text"/> (<see cref="ToString"/>'s forms, any case; "linear" and "leakyrelu" too).</summary>
    public static ActivationId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = text.Trim().ToLowerInvariant().Replace("leakyrelu", "leaky_relu");
        if (key.StartsWith("leaky_relu(", StringComparison.Ordinal) && key.EndsWith(')'))
            return double.TryParse(key["leaky_relu(".Length..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double slope)
                ? new(ActivationKind.LeakyReLU, slope)
                : throw new ArgumentException($"Leaky ReLU's slope in \"{text}\" is not a number; write it like leaky_relu(0.2).", nameof(text));
        int kind = Array.IndexOf(Activations.Keys, key == "linear" ? "identity" : key);
        return kind >= 0 ? new((ActivationKind)kind)
            : throw new ArgumentException($"Unknown activation \"{text}\". Known: {string.Join(", ", Activations.Names)} (or leaky_relu(α)).", nameof(text));
    }
}

/// <summary>The activations by name: <c>Activations.Sigmoid</c>-style shortcuts and lookup from text.</summary>
public static class Activations
{
    public static ElementwiseActivation Sigmoid { get; } = new Sigmoid();
    public static ElementwiseActivation ReLU { get; } = new ReLU();
    public static ElementwiseActivation Tanh { get; } = new Tanh();
    public static Activation Softmax { get; } = new Softmax();
    public static ElementwiseActivation Identity { get; } = new Identity();
    public static ElementwiseActivation LeakyReLU { get; } = new LeakyReLU();

    /// <summary>The names <see cref="FromName"/> understands, and model files store: <c>Names[(int)kind]</c> is the kind's.</summary>
    public static IReadOnlyList<string> Names => Keys;
    internal static readonly string[] Keys = ["sigmoid", "relu", "leaky_relu", "tanh", "softmax", "identity"];   // in ActivationKind's order

    private static readonly Activation[] ByKind = [Sigmoid, ReLU, LeakyReLU, Tanh, Softmax, Identity];

    /// <summary>
    /// The activation called <paramref name="name"/> ("relu", "sigmoid", "tanh", "softmax", "identity",
    /// "leaky_relu" or "leaky_relu(0.2)"), ignoring case — see <see cref="ActivationId.Parse"/>: the shared instance,
    /// or a leaky ReLU with the slope written.
    /// </summary>
    public static Activation FromName(string name) => ActivationId.Parse(name) switch
    {
        { Kind: ActivationKind.LeakyReLU, Slope: var slope } when slope != NeuralNet.LeakyReLU.DefaultSlope => new LeakyReLU(slope),
        var id => ByKind[(int)id.Kind],
    };

    /// <summary><paramref name="hidden"/> on layers 1 … L−1 and <paramref name="output"/> on layer L, for <paramref name="layers"/> = L.</summary>
    internal static Activation[] PerLayer(int layers, Activation hidden, Activation output) =>
        Enumerable.Range(1, layers).Select(l => l < layers ? hidden : output).ToArray();

    /// <summary>Refuses a list that does not give each of the <paramref name="layers"/> layers an activation.</summary>
    internal static void CheckPerLayer(IReadOnlyList<Activation> activations, int layers)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count != layers)
            throw new ArgumentException($"The network has {layers} layers but {activations.Count} activations were given; give one per layer.", nameof(activations));
        if (activations.Any(a => a is null))
            throw new ArgumentException("Every layer needs an activation; one of them is null.", nameof(activations));
    }
}

/// <summary>
/// σ(z) = 1 / (1 + e^(−z)), squashing any number into (0, 1); σ'(z) = σ(z)(1 − σ(z)).
/// Computed without overflow for large |z|: for z &lt; 0 it uses the equal form e^z / (1 + e^z).
/// </summary>
internal sealed class Sigmoid : ElementwiseActivation
{
    internal override ActivationId? Id => new(ActivationKind.Sigmoid);
    public override string Formula => "σ(z) = 1 / (1 + e^(−z)),  σ'(z) = σ(z)·(1 − σ(z))";

    public override double Value(double z)
    {
        if (z >= 0) return 1.0 / (1.0 + Math.Exp(-z));
        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    public override double Derivative(double z, double a) => a * (1.0 - a);
}

/// <summary>
/// ReLU(z) = max(0, z); its derivative is 1 where z &gt; 0 and 0 elsewhere (0 is taken at z = 0).
/// NaN stays NaN, in the value and in the derivative (a sample with a NaN feature must not be silently classified), wherever it is in the matrix.
/// </summary>
internal sealed class ReLU : ElementwiseActivation
{
    internal override ActivationId? Id => new(ActivationKind.ReLU);
    public override string Formula => "relu(z) = max(0, z),  relu'(z) = 1 if z > 0 else 0";
    public override double Value(double z) => Math.Max(z, 0.0);
    public override double Derivative(double z, double a) => z > 0 ? 1.0 : double.IsNaN(z) ? z : 0.0;

    // The same two rules, vectorised (ReLU is in every hidden layer, so it is worth a kernel).
    public override void Forward(Matrix<double> z, Matrix<double> a) => Kernels.Elementwise.Relu(z, a);

    public override void Backward(Matrix<double> dA, Matrix<double> z, Matrix<double> a, Matrix<double> dZ) =>
        Kernels.Elementwise.ReluBackward(dA, z, dZ);
}

/// <summary>Leaky ReLU: z for z &gt; 0, α·z otherwise, so a unit that goes negative still learns.</summary>
internal sealed class LeakyReLU : ElementwiseActivation
{
    /// <summary>The usual slope, 0.01.</summary>
    public const double DefaultSlope = 0.01;

    /// <summary>A leaky ReLU with slope <paramref name="alpha"/> for negative z.</summary>
    public LeakyReLU(double alpha = DefaultSlope)
    {
        if (!(alpha >= 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), Invariant($"Leaky ReLU's slope α must be in [0, 1), not {alpha}; 0.01 is usual."));
        Alpha = alpha;
    }

    /// <summary>The slope for negative z.</summary>
    public double Alpha { get; }

    internal override ActivationId? Id => new(ActivationKind.LeakyReLU, Alpha);
    public override string Formula => Invariant($"lrelu(z) = z if z > 0 else {Alpha}·z,  lrelu'(z) = 1 if z > 0 else {Alpha}");
    public override double Value(double z) => z > 0 ? z : Alpha * z;
    public override double Derivative(double z, double a) => z > 0 ? 1.0 : double.IsNaN(z) ? z : Alpha;
}

/// <summary>tanh(z), squashing into (−1, 1) around 0; tanh'(z) = 1 − tanh²(z).</summary>
internal sealed class Tanh : ElementwiseActivation
{
    internal override ActivationId? Id => new(ActivationKind.Tanh);
    public override string Formula => "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)),  tanh'(z) = 1 − tanh²(z)";
    public override double Value(double z) => Math.Tanh(z);
    public override double Derivative(double z, double a) => 1.0 - a * a;
}

/// <summary>The identity, g(z) = z: a linear output, as for regression with mean squared error.</summary>
internal sealed class Identity : ElementwiseActivation
{
    internal override ActivationId? Id => new(ActivationKind.Identity);
    public override string Formula => "g(z) = z,  g'(z) = 1";
    public override double Value(double z) => z;
    public override double Derivative(double z, double a) => 1.0;
}

/// <summary>
/// Softmax turns each column (one sample's scores) into probabilities that sum to 1:
/// a_i = e^(z_i) / Σ_k e^(z_k). The largest z is subtracted first so e^z never overflows.
/// </summary>
/// <remarks>
/// Softmax is not element-wise: every a_i depends on every z_k, so g'(Z) is a Jacobian per sample,
/// ∂a_i/∂z_k = a_i(δ_ik − a_k). Applied to a gradient dA that gives, per column,
/// dZ = A ⊙ (dA − (Aᵀ·dA)). (The original NumPy code got softmax's backward wrong; the classic mistake is
/// to multiply dA by a·(1 − a) as if softmax were element-wise, which drops the cross terms.) Paired with categorical cross-entropy,
/// the whole product simplifies to dZ = A − Y, which the cost uses directly.
/// </remarks>
internal sealed class Softmax : Activation
{
    internal override ActivationId? Id => new(ActivationKind.Softmax);
    public override string Formula => "softmax(z)_i = e^(z_i) / Σ_k e^(z_k) per column,  dZ = A ⊙ (dA − Σ_k A_k·dA_k)";

    public override void Forward(Matrix<double> z, Matrix<double> a)
    {
        var zs = Shape.Values(z);
        var output = Shape.Target(a, nameof(a));
        int n = z.RowCount;
        for (int j = 0; j < z.ColumnCount; j++)
        {
            int start = j * n;
            double max = double.NegativeInfinity;
            for (int i = 0; i < n; i++) max = Math.Max(max, zs[start + i]);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double e = Math.Exp(zs[start + i] - max);
                output[start + i] = e;
                sum += e;
            }
            for (int i = 0; i < n; i++) output[start + i] /= sum;
        }
    }

    public override void Backward(Matrix<double> dA, Matrix<double> z, Matrix<double> a, Matrix<double> dZ)
    {
        var da = Shape.Values(dA);
        var av = Shape.Values(a);
        var dz = Shape.Target(dZ, nameof(dZ));
        int n = z.RowCount;
        for (int j = 0; j < z.ColumnCount; j++)
        {
            int start = j * n;
            double dot = 0;
            for (int i = 0; i < n; i++) dot += av[start + i] * da[start + i];
            for (int i = 0; i < n; i++) dz[start + i] = av[start + i] * (da[start + i] - dot);   // dZ = A ⊙ (dA − Σ_k A_k·dA_k)
        }
    }
}
