using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using static NeuralNet.Tests.ExerciseAssertions;

namespace NeuralNet.Tests;

/// <summary>
/// Notebook 07's constructions: Check.Softmax (a softmax that cannot overflow) and Check.SoftmaxBackward (the output layer's
/// backward step with categorical cross-entropy). The solution passes; each classic mistake, written as a student would write
/// it, is named; garbage is explained in words; an unanswered function says what to write.
/// </summary>
public class SoftmaxExerciseTests
{
    // ------------------------------------------------------------ helpers (as in ExerciseTests)

    private static Matrix<double> PerColumn(Matrix<double> Z, Func<Vector<double>, Vector<double>> f) =>
        Matrix<double>.Build.DenseOfColumnVectors(Z.EnumerateColumns().Select(f));

    private static Matrix<double> RowSums(Matrix<double> m) => Matrix<double>.Build.DenseOfColumnVectors(m.RowSums());

    // ------------------------------------------------------------ Softmax

    private static Matrix<double> Stable(Matrix<double> Z) => PerColumn(Z, z =>
    {
        var e = (z - z.Maximum()).PointwiseExp();
        return e / e.Sum();
    });

    [Fact]
    public void Softmax_passes_a_stable_softmax_and_names_each_mistake()
    {
        Passes(Check.Softmax(Stable));
        // Written with loops, the shift per column: the same numbers.
        Passes(Check.Softmax(Z =>
        {
            var A = Matrix<double>.Build.Dense(Z.RowCount, Z.ColumnCount);
            for (int j = 0; j < Z.ColumnCount; j++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int i = 0; i < Z.RowCount; i++) max = Math.Max(max, Z[i, j]);
                for (int i = 0; i < Z.RowCount; i++) sum += Math.Exp(Z[i, j] - max);
                for (int i = 0; i < Z.RowCount; i++) A[i, j] = Math.Exp(Z[i, j] - max) / sum;
            }
            return A;
        }));
        var naive = Check.Softmax(Z => PerColumn(Z, z => z.PointwiseExp() / z.PointwiseExp().Sum()));
        Names(Mistakes.SoftmaxOverflow, naive);
        Assert.Contains("scores around 1000", naive.ToString());
        Names(Mistakes.SoftmaxMaxOfAll, Check.Softmax(Z =>
        {
            var e = (Z - Z.Enumerate().Max()).PointwiseExp();
            return PerColumn(e, c => c / c.Sum());
        }));
        Names(Mistakes.SoftmaxMaxOfRow, Check.Softmax(Z =>
        {
            var shifted = Matrix<double>.Build.DenseOfRowVectors(Z.EnumerateRows().Select(r => r - r.Maximum()));
            return PerColumn(shifted, z => z.PointwiseExp() / z.PointwiseExp().Sum());
        }));
        Names(Mistakes.SoftmaxMinForMax, Check.Softmax(Z => PerColumn(Z, z =>
        {
            var e = (z - z.Minimum()).PointwiseExp();
            return e / e.Sum();
        })));
        Names(Mistakes.SoftmaxShiftTopOnly, Check.Softmax(Z => PerColumn(Z, z => (z - z.Maximum()).PointwiseExp() / z.PointwiseExp().Sum())));
        Names(Mistakes.SoftmaxWrongAxis, Check.Softmax(Z => Matrix<double>.Build.DenseOfRowVectors(Z.EnumerateRows().Select(z =>
        {
            var e = (z - z.Maximum()).PointwiseExp();
            return e / e.Sum();
        }))));
        Names(Mistakes.SoftmaxWrongAxis, Check.Softmax(Z => Z.PointwiseExp() / Z.PointwiseExp().Enumerate().Sum()));
        Names(Mistakes.SoftmaxMissingExp, Check.Softmax(Z => PerColumn(Z, z => z / z.Sum())));
        // Shifting Z itself, in place: the cache's Z is changed.
        var inPlace = Check.Softmax(Z =>
        {
            foreach (var (j, column) in Z.EnumerateColumnsIndexed()) Z.SetColumn(j, column - column.Maximum());
            return PerColumn(Z, z => z.PointwiseExp() / z.PointwiseExp().Sum());
        });
        Names(Mistakes.ChangedItsInput, inPlace);
        Assert.Contains("your function changed Z", inPlace.ToString());
        Assert.Contains("cache", inPlace.ToString());
    }

    [Fact]
    public void Softmax_garbage_and_an_unanswered_function_are_explained()
    {
        Explained(Check.Softmax(Z => Z), "entry");
        Explained(Check.Softmax(Z => Stable(Z).Transpose()), "swapped");
        Explained(Check.Softmax(Z => Matrix<double>.Build.Dense(1, 1, 42.0)), "should be");
        Explained(Check.Softmax(Z => Z.Map(_ => double.NaN)), "NaN");
        Explained(Check.Softmax(Z => throw new InvalidOperationException("my own <b>message</b>")), "Your code stopped with an error", "my own <b>message</b>");
        var unanswered = Check.Softmax(Z => null!);
        Assert.Equal(Verdict.NotAnswered, unanswered.Verdict);
        Assert.Contains("Write Softmax", unanswered.Message);
    }

    // ------------------------------------------------------------ SoftmaxBackward

    private static (Matrix<double>, Matrix<double>, Matrix<double>) Linear(Matrix<double> dZ, Matrix<double> A_prev) =>
        (dZ, dZ * A_prev.Transpose() / A_prev.ColumnCount, RowSums(dZ) / A_prev.ColumnCount);

    [Fact]
    public void SoftmaxBackward_passes_the_shortcut_and_the_Jacobian_and_names_each_mistake()
    {
        Passes(Check.SoftmaxBackward((A, Y, A_prev) => Linear(A - Y, A_prev)));
        // The long way, through the Jacobian with dA = −Y/A: the same numbers.
        Passes(Check.SoftmaxBackward((A, Y, A_prev) =>
        {
            var dA = -Y.PointwiseDivide(A);
            var dZ = Matrix<double>.Build.Dense(A.RowCount, A.ColumnCount);
            for (int j = 0; j < A.ColumnCount; j++)
            {
                double dot = 0;
                for (int i = 0; i < A.RowCount; i++) dot += A[i, j] * dA[i, j];
                for (int k = 0; k < A.RowCount; k++) dZ[k, j] = A[k, j] * (dA[k, j] - dot);
            }
            return Linear(dZ, A_prev);
        }));
        var elementwise = Check.SoftmaxBackward((A, Y, A_prev) => Linear((-Y.PointwiseDivide(A)).PointwiseMultiply(A.PointwiseMultiply(1 - A)), A_prev));
        Names(Mistakes.SoftmaxElementwise, elementwise);
        Assert.Contains("✘ dZ", elementwise.ToString());
        var oneOverM = Check.SoftmaxBackward((A, Y, A_prev) => Linear((A - Y) / A.ColumnCount, A_prev));
        Names(Mistakes.OneOverMInDZ, oneOverM);
        Assert.Contains("✘ dW: looks like 1/m in dZ", oneOverM.ToString());
        // 1/m in dZ, and dW, db computed from it without another 1/m: only dZ is wrong.
        var onlyDZ = Check.SoftmaxBackward((A, Y, A_prev) =>
        {
            var dZ = (A - Y) / A.ColumnCount;
            return (dZ, dZ * A_prev.Transpose(), RowSums(dZ));
        });
        Names(Mistakes.OneOverMInDZ, onlyDZ);
        Assert.Contains("✔ dW matches", onlyDZ.ToString());
        Names(Mistakes.MissingOneOverM, Check.SoftmaxBackward((A, Y, A_prev) => (A - Y, (A - Y) * A_prev.Transpose(), RowSums(A - Y))));
        Names(Mistakes.GradientSign, Check.SoftmaxBackward((A, Y, A_prev) => Linear(Y - A, A_prev)));
        Names(Mistakes.CostGradientAsDZ, Check.SoftmaxBackward((A, Y, A_prev) => Linear(-Y.PointwiseDivide(A), A_prev)));
        Names(Mistakes.SoftmaxSlopeTwice, Check.SoftmaxBackward((A, Y, A_prev) => Linear((A - Y).PointwiseMultiply(A).PointwiseMultiply(1 - A), A_prev)));
        Names(Mistakes.TransposeWrongSide, Check.SoftmaxBackward((A, Y, A_prev) => (A - Y, A_prev * (A - Y).Transpose() / A.ColumnCount, RowSums(A - Y) / A.ColumnCount)));
        Names(Mistakes.SumOverWrongAxis, Check.SoftmaxBackward((A, Y, A_prev) =>
            (A - Y, (A - Y) * A_prev.Transpose() / A.ColumnCount, Matrix<double>.Build.DenseOfRowVectors((A - Y).ColumnSums()) / A.ColumnCount)));
        Names(Mistakes.IntegerDivision, Check.SoftmaxBackward((A, Y, A_prev) =>
            (A - Y, (1 / A.ColumnCount) * (A - Y) * A_prev.Transpose(), (1 / A.ColumnCount) * RowSums(A - Y))));
        // dZ computed in A's own matrix: the layer's output in the cache is gone.
        var inPlace = Check.SoftmaxBackward((A, Y, A_prev) =>
        {
            A.Subtract(Y, A);
            return Linear(A, A_prev);
        });
        Names(Mistakes.ChangedItsInput, inPlace);
        Assert.Contains("your function changed A", inPlace.ToString());
        Assert.Contains("counts the right answers", inPlace.ToString());
    }

    [Fact]
    public void SoftmaxBackward_garbage_and_an_unanswered_function_are_explained()
    {
        Explained(Check.SoftmaxBackward((A, Y, A_prev) => (A - Y, (A - Y).PointwiseMultiply(A_prev), RowSums(A - Y))), "a matrix product with A_prevᵀ meant?");
        Explained(Check.SoftmaxBackward((A, Y, A_prev) => Linear(A, A_prev)), "entry");
        Explained(Check.SoftmaxBackward((A, Y, A_prev) => (Matrix<double>.Build.Dense(1, 1, 42.0), A, A)), "should be");
        Explained(Check.SoftmaxBackward((A, Y, A_prev) => Linear(A.Map(_ => double.NaN), A_prev)), "NaN");
        Explained(Check.SoftmaxBackward((A, Y, A_prev) => throw new InvalidOperationException("my own <b>message</b>")), "Your code stopped with an error", "my own <b>message</b>");
        var unanswered = Check.SoftmaxBackward((A, Y, A_prev) => (null!, null!, null!));
        Assert.Equal(Verdict.NotAnswered, unanswered.Verdict);
        Assert.Contains("Write SoftmaxBackward", unanswered.Message);
    }
}
