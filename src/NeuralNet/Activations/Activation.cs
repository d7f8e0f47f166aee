using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// An activation g: it knows its value <c>A = g(Z)</c> and how to send a gradient back through
/// itself, <c>dZ = dA ⊙ g'(Z)</c>. Z, A and dA are (units × samples): one sample per column.
/// </summary>
public abstract class Activation
{
    /// <summary>The activation's short name, as used in files and on the command line: "relu", "sigmoid"…</summary>
    public abstract string Name { get; }

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
