using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Choosing samples (columns): the original's train/test split of X and Y, the shuffled indices behind it,
/// and the given columns of a matrix. (<see cref="LabeledData"/> splits labelled data sets with the same indices.)
/// </summary>
public static class DataSplit
{
    /// <summary>
    /// The original's split: shuffle the column indices with <paramref name="rng"/> (as <c>np.random.shuffle</c>),
    /// the first ⌊m·(1 − testFraction)⌋ columns train and the rest test.
    /// </summary>
    public static (Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest)
        TrainTestSplit(Matrix<double> X, Matrix<double> Y, double testFraction, NumPyRandom rng)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        ArgumentNullException.ThrowIfNull(rng);
        if (X.ColumnCount != Y.ColumnCount)
            throw new ShapeMismatchException(Invariant($"Train/test split: X has {X.ColumnCount} samples (columns) but Y has {Y.ColumnCount}; they must match."));
        var (train, test) = SplitIndices(X.ColumnCount, testFraction, rng);
        return (Columns(X, train), Columns(Y, train), Columns(X, test), Columns(Y, test));
    }

    /// <summary>The shuffled column indices of a split of <paramref name="count"/> samples: (train, test).</summary>
    internal static (int[] Train, int[] Test) SplitIndices(int count, double testFraction, NumPyRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), Invariant($"The test fraction must be between 0 and 1 (for example 0.2), not {testFraction}."));
        var order = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(order);
        int trainCount = (int)(count * (1 - testFraction));
        if (trainCount == 0 || trainCount == count)
            throw new ArgumentException(
                Invariant($"Splitting {count} samples with test fraction {testFraction} leaves {(trainCount == 0 ? "no training" : "no test")} samples; use more samples or another fraction."),
                nameof(testFraction));
        return (order[..trainCount], order[trainCount..]);
    }

    /// <summary>The given columns of <paramref name="m"/>, in that order, as a new matrix.</summary>
    internal static Matrix<double> Columns(Matrix<double> m, IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(columns);
        return Matrix<double>.Build.DenseOfColumnVectors(columns.Select(m.Column));
    }
}
