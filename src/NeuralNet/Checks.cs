using MathNet.Numerics.LinearAlgebra;
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
    private static (int Row, int Column, double Value)? FirstNonFinite(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double[] values = x.AsColumnMajorArray() ?? x.ToColumnMajorArray();
        int rows = x.RowCount;
        int k = Array.FindIndex(values, v => !double.IsFinite(v));
        return k < 0 ? null : (k % rows, k / rows, values[k]);
    }
}
