using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Kernels;

/// <summary>
/// The matrix products of training, in one place: C = op(A)·op(B), written into C.
/// The layers call only this, so a faster kernel can replace the body without touching the math.
/// </summary>
public static class Gemm
{
    /// <summary>C ← op(A)·op(B), where op transposes when asked. C must already have the result's shape.</summary>
    public static void Multiply(Matrix<double> a, bool transposeA, Matrix<double> b, bool transposeB, Matrix<double> c)
    {
        var left = transposeA ? a.Transpose() : a;
        var right = transposeB ? b.Transpose() : b;
        left.Multiply(right, c);
    }
}
