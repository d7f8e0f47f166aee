using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// The equations of one layer, computed into matrices the caller owns. Both the step-by-step
/// functions of <see cref="DeepNN"/> (which allocate fresh results, for reading in a notebook) and the
/// training loop (which reuses its buffers every iteration) call these, so there is one copy of the math.
/// </summary>
internal static class LayerMath
{
    /// <summary>Z = W·A_prev + b (b added to every column): Z starts as b in every column, then the product is added to it.</summary>
    public static void LinearForward(Matrix<double> aPrev, Matrix<double> w, Matrix<double> b, Matrix<double> z)
    {
        Elementwise.BroadcastColumn(b, z);
        Gemm.Multiply(w, false, aPrev, false, z, alpha: 1.0, beta: 1.0);
    }

    /// <summary>dW = dZ·A_prevᵀ / m, db = Σ_columns dZ / m and, when asked for, dA_prev = Wᵀ·dZ.</summary>
    public static void LinearBackward(Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> w,
        Matrix<double> dW, Matrix<double> db, Matrix<double>? dAPrev)
    {
        double inverseM = 1.0 / dZ.ColumnCount;
        Gemm.Multiply(dZ, false, aPrev, true, dW, alpha: inverseM, beta: 0.0);
        Elementwise.RowSums(dZ, db, inverseM);
        if (dAPrev is not null) Gemm.Multiply(w, true, dZ, false, dAPrev);
    }

    /// <summary>
    /// Checks that A_prev, W and b are given and fit (W's columns = A_prev's rows; b is one column with W's rows),
    /// naming the layer and the shapes. <paramref name="inputName"/> is how the message calls A_prev (X for layer 1 unless given).
    /// </summary>
    public static void CheckInput(int layer, Matrix<double> aPrev, Matrix<double> w, Matrix<double> b, string? inputName = null)
    {
        string input = inputName ?? (layer == 1 ? "X" : "A_prev");
        ArgumentNullException.ThrowIfNull(aPrev, input);
        ArgumentNullException.ThrowIfNull(w, "W");
        ArgumentNullException.ThrowIfNull(b, nameof(b));
        string where = layer > 0 ? $"Layer {layer}" : "Linear forward";
        if (b.RowCount != w.RowCount || b.ColumnCount != 1)
            throw new ShapeMismatchException(
                $"{where}: W is {Shape.Of(w)}, so b must be ({w.RowCount} × 1), one bias per unit, but b is {Shape.Of(b)}.");
        if (aPrev.RowCount == w.ColumnCount) return;
        string hint = aPrev.ColumnCount == w.ColumnCount
            ? $" It looks transposed: {input} needs one row per feature and one column per sample — try {input}.Transpose()."
            : "";
        throw new ShapeMismatchException(
            $"{where}: W is {Shape.Of(w)}, so it expects {w.ColumnCount} rows in {input}, but {input} is {Shape.Of(aPrev)}. " +
            $"In Z = W·{input} + b, W's columns must equal {input}'s rows.{hint}");
    }

    /// <summary>
    /// Checks that the labels fit output layer <paramref name="layer"/> = L: one row per output unit, one column per
    /// sample, naming both shapes (and saying so when <paramref name="name"/> looks transposed).
    /// </summary>
    public static void CheckLabels(int layer, int outputs, int samples, Matrix<double> y, string name)
    {
        ArgumentNullException.ThrowIfNull(y, name);
        if (y.RowCount == outputs && y.ColumnCount == samples) return;
        string hint = y.RowCount == samples && y.ColumnCount == outputs ? $" It looks transposed: try {name}.Transpose()." : "";
        throw new ShapeMismatchException(
            $"Layer {layer} (output): it has {outputs} unit{(outputs == 1 ? "" : "s")}, so {name} must be {Shape.Of(outputs, samples)} " +
            $"(one row per output unit, one column per sample), but {name} is {Shape.Of(y)}.{hint}");
    }
}
