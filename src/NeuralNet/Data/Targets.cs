using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Checks target matrices Y for what a cost needs, naming the first column that does not fit. A softmax output with
/// categorical cross-entropy uses the gradient shortcut dZ = A − Y, which is right only when each column of Y is a
/// probability distribution (one-hot, or at least non-negative and summing to 1); a sigmoid output with binary
/// cross-entropy needs every target in [0, 1].
/// </summary>
public static class Targets
{
    /// <summary>How far a column's sum may be from 1 (rounding in labels that were computed, e.g. smoothed).</summary>
    public const double SumTolerance = 1e-6;

    /// <summary>Checks that every value is finite and in [0, 1], and that each column sums to 1 (a class distribution).</summary>
    /// <param name="y">(classes × samples).</param>
    /// <param name="name">What to call the matrix in the message ("Y", "the test labels" …).</param>
    /// <exception cref="ArgumentException">naming the first bad column and what is wrong with it.</exception>
    public static void CheckDistributions(Matrix<double> y, string name = "Y")
    {
        ArgumentNullException.ThrowIfNull(y);
        CheckProbabilities(y, name);
        if (y.RowCount < 2) return;
        for (int j = 0; j < y.ColumnCount; j++)
        {
            double sum = 0;
            for (int i = 0; i < y.RowCount; i++) sum += y[i, j];
            if (Math.Abs(sum - 1) > SumTolerance)
                throw new ArgumentException(
                    Invariant($"Column {j} of {name} sums to {sum:G6}, not 1: with a softmax output each column must be one-hot (a single 1) or a distribution over the ") +
                    Invariant($"{y.RowCount} classes. {(sum == 0 ? "An all-zero column is a sample with no class: was a label outside the classes?" : "Were the labels added up, or is Y transposed?")} ") +
                    "Build Y with LabeledData.OneHot().", nameof(y));
        }
    }

    /// <summary>Checks that every value of <paramref name="y"/> is finite and in [0, 1] (targets of sigmoid outputs).</summary>
    /// <exception cref="ArgumentException">naming the first bad value.</exception>
    public static void CheckProbabilities(Matrix<double> y, string name = "Y")
    {
        ArgumentNullException.ThrowIfNull(y);
        LabeledData.CheckFinite(y, name);
        for (int j = 0; j < y.ColumnCount; j++)
            for (int i = 0; i < y.RowCount; i++)
                if (y[i, j] is < 0 or > 1)
                    throw new ArgumentException(
                        Invariant($"{name}[{i}, {j}] is {y[i, j]:G6}, but a cross-entropy target is a probability in [0, 1]. ") +
                        (y[i, j] == Math.Floor(y[i, j]) ? "Is it a class index? Turn class indices into targets with LabeledData.OneHot() or BinaryRow()." : "Rescale the targets to [0, 1]."),
                        nameof(y));
    }
}
