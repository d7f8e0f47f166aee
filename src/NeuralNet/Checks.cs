using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet;

/// <summary>
/// Two matrices that must fit together do not. The message names the layer (when there is one),
/// both shapes and what has to agree, so the fix is obvious from the message alone.
/// </summary>
public sealed class ShapeMismatchException(string message) : ArgumentException(message);

/// <summary>The checks made on data before anything is computed from it.</summary>
public static class Checks
{
    /// <summary>
    /// Refuses NaN and ±∞ in a (features × samples) matrix, naming the first one's feature (row) and sample (column):
    /// one such value makes every cost and gradient NaN, and training then fails far from the cause.
    /// <paramref name="rowIs"/> says what a row is ("feature"; "label" for Y).
    /// </summary>
    /// <exception cref="ArgumentException">naming where the value is.</exception>
    public static void Finite(Matrix<double> x, string name, string rowIs = "feature")
    {
        if (FirstNonFinite(x) is var (row, column, value))
            throw new ArgumentException(
                Invariant($"{name}[{row}, {column}] ({rowIs} {row}, sample/column {column}) is {value}, not a finite number. ") + FiniteAdvice, nameof(x));
    }

    /// <summary>As <see cref="Finite"/>, in the words of a prediction: the sample whose output would be NaN, with no class.</summary>
    internal static void FiniteToPredict(Matrix<double> x, string name)
    {
        if (FirstNonFinite(x) is var (row, column, value))
            throw new ArgumentException(
                Invariant($"{name}[{row}, {column}] (feature {row} of sample {column}) is {value}, not a finite number, so the output for sample {column} would be NaN or meaningless: no probability, no class. ") +
                FiniteAdvice, nameof(x));
    }

    private const string FiniteAdvice = "Data must be finite: find where it came from (a missing value, a division by zero, a log of 0) and fix or remove that sample.";

    /// <summary>The first NaN or ±∞ in column-major order: its row, column and value; null when every value is finite.</summary>
    internal static (int Row, int Column, double Value)? FirstNonFinite(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double[] values = x.AsColumnMajorArray() ?? x.ToColumnMajorArray();
        int rows = x.RowCount;
        int k = Array.FindIndex(values, v => !double.IsFinite(v));
        return k < 0 ? null : (k % rows, k / rows, values[k]);
    }

    /// <summary>
    /// Checks that A_prev, W and b are given and fit (W's columns = A_prev's rows; b is one column with W's rows),
    /// naming the layer and the shapes. <paramref name="inputName"/> is how the message calls A_prev (X for layer 1 unless given).
    /// </summary>
    internal static void Input(int layer, Matrix<double> aPrev, Matrix<double> w, Matrix<double> b, string? inputName = null)
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
    internal static void Labels(int layer, int outputs, int samples, Matrix<double> y, string name)
    {
        ArgumentNullException.ThrowIfNull(y, name);
        if (y.RowCount == outputs && y.ColumnCount == samples) return;
        string hint = y.RowCount == samples && y.ColumnCount == outputs ? $" It looks transposed: try {name}.Transpose()." : "";
        throw new ShapeMismatchException(
            $"Layer {layer} (output): it has {outputs} unit{(outputs == 1 ? "" : "s")}, so {name} must be {Shape.Of(outputs, samples)} " +
            $"(one row per output unit, one column per sample), but {name} is {Shape.Of(y)}.{hint}");
    }

    /// <summary>Refuses an incoming gradient (dA or dZ) that does not have Z's shape, naming the layer.</summary>
    internal static void Incoming(Matrix<double> incoming, LayerCache cache, string name)
    {
        ArgumentNullException.ThrowIfNull(incoming, name);
        ArgumentNullException.ThrowIfNull(cache);
        if (incoming.RowCount != cache.Z.RowCount || incoming.ColumnCount != cache.Z.ColumnCount)
            throw new ShapeMismatchException($"Layer {cache.Layer} backward: the incoming gradient is {Shape.Of(incoming)} but Z is {Shape.Of(cache.Z)}; they must match.");
    }

    /// <summary>X fits the network's first layer and has samples.</summary>
    internal static void Samples(Network network, Matrix<double> x, string name)
    {
        Input(1, x, network.Layers[1].W, network.Layers[1].b, name);
        if (x.ColumnCount == 0)
            throw new ArgumentException($"{name} has no samples (0 columns).", name);
    }

    /// <summary>Y fits the output layer and X's samples.</summary>
    internal static void Outputs(Network network, Matrix<double> y, int samples, string name) =>
        Labels(network.Layers.Count, network.Layers[network.Layers.Count].Units, samples, y, name);

    /// <summary>Returns a learning rate that can work, else refuses it saying what to use.</summary>
    internal static double LearningRate(double learningRate) =>
        double.IsFinite(learningRate) && learningRate > 0 ? learningRate
            : throw new ArgumentOutOfRangeException(nameof(learningRate),
                Invariant($"The learning rate must be a positive number, not {learningRate}. Typical values are 0.001 to 0.5; start with 0.05 and lower it if the cost rises."));
}
