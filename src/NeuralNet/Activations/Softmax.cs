using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;

namespace NeuralNet;

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
            for (int i = 0; i < n; i++) dz[start + i] = av[start + i] * (da[start + i] - dot);
        }
    }
}
