using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;

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
