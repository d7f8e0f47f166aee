using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Numerics;

/// <summary>How often predictions are right.</summary>
public static class Metrics
{
    /// <summary>
    /// The fraction of samples (columns) predicted right. One output row: the prediction is 1 when
    /// a &gt; 0.5, else 0, compared with the label. Several rows: the predicted class is the row with
    /// the largest output, compared with the row of the label's largest entry (its one-hot 1).
    /// </summary>
    public static double Accuracy(Matrix<double> AL, Matrix<double> Y)
    {
        ArgumentNullException.ThrowIfNull(AL);
        ArgumentNullException.ThrowIfNull(Y);
        if (AL.RowCount != Y.RowCount || AL.ColumnCount != Y.ColumnCount)
            throw new ShapeMismatchException($"Accuracy: the predictions {Shape.Of(AL)} and labels {Shape.Of(Y)} must have the same shape.");
        if (AL.ColumnCount == 0) throw new ArgumentException("Accuracy of no samples is undefined: AL has 0 columns.");
        CheckNoNaN(AL);
        return (double)CountCorrect(AL, Y) / AL.ColumnCount;
    }

    internal static int CountCorrect(Matrix<double> al, Matrix<double> y)
    {
        var a = Shape.Values(al);
        var t = Shape.Values(y);
        int n = al.RowCount, correct = 0;
        for (int j = 0; j < al.ColumnCount; j++)
            if (Class(a, j, n) == (n == 1 ? t[j] : ArgMax(t, j * n, n))) correct++;   // a 0/1 label as it is, a one-hot column by its 1
        return correct;
    }

    /// <summary>The predicted class of every column: 0/1 by the 0.5 threshold for one row, else the row of the largest value.</summary>
    public static int[] Classes(Matrix<double> AL)
    {
        ArgumentNullException.ThrowIfNull(AL);
        CheckNoNaN(AL);
        var a = Shape.Values(AL);
        return Enumerable.Range(0, AL.ColumnCount).Select(j => Class(a, j, AL.RowCount)).ToArray();
    }

    /// <summary>Column j's class, of <paramref name="n"/> output rows: 1 when a &gt; 0.5 (else 0) for one row, else the row of the largest value.</summary>
    private static int Class(double[] a, int j, int n) => n == 1 ? (a[j] > 0.5 ? 1 : 0) : ArgMax(a, j * n, n);

    /// <summary>A NaN output has no class: rather than call it class 0, say which sample it is.</summary>
    private static void CheckNoNaN(Matrix<double> al)
    {
        var a = Shape.Values(al);
        for (int i = 0; i < a.Length; i++)
            if (double.IsNaN(a[i]))
                throw new ArgumentException(
                    $"The output for sample {i / al.RowCount} (column {i / al.RowCount}) is NaN, so it has no predicted class. " +
                    "A NaN comes from the inputs (that column of X holds NaN) or from the weights (a diverged training run).", nameof(al));
    }

    private static int ArgMax(double[] values, int start, int count)
    {
        int best = 0;
        for (int i = 1; i < count; i++)
            if (values[start + i] > values[start + best]) best = i;
        return best;
    }
}
