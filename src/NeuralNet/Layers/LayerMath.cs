using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet;

/// <summary>
/// The equations of one layer, computed into matrices the caller owns. Both the step-by-step
/// functions of <see cref="DeepNN"/> (which allocate fresh results, for reading in a notebook) and the
/// training loop (which reuses its buffers every iteration) call these, so there is one copy of the math.
/// </summary>
internal static class LayerMath
{
    /// <summary>Z = W·A_prev + b (b added to every column).</summary>
    public static void LinearForward(Matrix<double> aPrev, Matrix<double> w, Matrix<double> b, Matrix<double> z)
    {
        Gemm.Multiply(w, false, aPrev, false, z);
        var zs = Shape.Values(z);
        var bs = Shape.Values(b);
        int n = z.RowCount;
        for (int j = 0; j < z.ColumnCount; j++)
        {
            int start = j * n;
            for (int i = 0; i < n; i++) zs[start + i] += bs[i];
        }
    }

    /// <summary>dW = dZ·A_prevᵀ / m, db = Σ_columns dZ / m and, when asked for, dA_prev = Wᵀ·dZ.</summary>
    public static void LinearBackward(Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> w,
        Matrix<double> dW, Matrix<double> db, Matrix<double>? dAPrev)
    {
        int m = dZ.ColumnCount;
        Gemm.Multiply(dZ, false, aPrev, true, dW);
        ScaleInPlace(dW, 1.0 / m);

        var dz = Shape.Values(dZ);
        var dbs = Shape.Values(db);
        int n = dZ.RowCount;
        Array.Clear(dbs, 0, n);
        for (int j = 0; j < m; j++)
        {
            int start = j * n;
            for (int i = 0; i < n; i++) dbs[i] += dz[start + i];
        }
        for (int i = 0; i < n; i++) dbs[i] /= m;

        if (dAPrev is not null) Gemm.Multiply(w, true, dZ, false, dAPrev);
    }

    private static void ScaleInPlace(Matrix<double> m, double factor)
    {
        var v = Shape.Values(m);
        for (int i = 0; i < v.Length; i++) v[i] *= factor;
    }

    /// <summary>Checks that A_prev fits W (W's columns = A_prev's rows), naming the layer and both shapes.</summary>
    public static void CheckInput(int layer, Matrix<double> aPrev, Matrix<double> w)
    {
        if (aPrev.RowCount == w.ColumnCount) return;
        string where = layer > 0 ? $"Layer {layer}" : "Linear forward";
        string input = layer == 1 ? "X" : "A_prev";
        string hint = aPrev.ColumnCount == w.ColumnCount
            ? $" It looks transposed: {input} needs one row per feature and one column per sample — try {input}.Transpose()."
            : "";
        throw new ShapeMismatchException(
            $"{where}: W is {Shape.Of(w)}, so it expects {w.ColumnCount} rows in {input}, but {input} is {Shape.Of(aPrev)}. " +
            $"In Z = W·{input} + b, W's columns must equal {input}'s rows.{hint}");
    }
}
