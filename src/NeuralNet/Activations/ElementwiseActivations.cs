using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet;

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
