using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using static NeuralNet.Tests.ExerciseAssertions;

namespace NeuralNet.Tests;

/// <summary>
/// Notebook 03a's exercise: Check.SquaredErrorDelta, a sigmoid output's dZ under the mean squared error. The solution passes;
/// each classic mistake, written as a student would write it, is named; garbage is explained in words; an unanswered function
/// says what to write.
/// </summary>
public class ConsequencesExerciseTests
{
    // ------------------------------------------------------------ helpers (as in ExerciseTests)

    // ------------------------------------------------------------ SquaredErrorDelta

    /// <summary>The answer as notebooks/solutions/03a writes it.</summary>
    private static Matrix<double> Solution(Matrix<double> A, Matrix<double> Y) =>
        (2.0 / A.RowCount * (A - Y)).PointwiseMultiply(A).PointwiseMultiply(1 - A);

    [Fact]
    public void SquaredErrorDelta_passes_the_solution_written_either_way()
    {
        Passes(Check.SquaredErrorDelta(Solution));
        // With loops, σ′ from a: the same numbers.
        Passes(Check.SquaredErrorDelta((A, Y) =>
        {
            var dZ = Matrix<double>.Build.Dense(A.RowCount, A.ColumnCount);
            for (int i = 0; i < A.RowCount; i++)
                for (int j = 0; j < A.ColumnCount; j++)
                    dZ[i, j] = 2 * (A[i, j] - Y[i, j]) / A.RowCount * A[i, j] * (1 - A[i, j]);
            return dZ;
        }));
    }

    [Fact]
    public void SquaredErrorDelta_names_each_classic_mistake()
    {
        Names(Mistakes.CrossEntropyShortcutForSquaredError, Check.SquaredErrorDelta((A, Y) => A - Y));
        Names(Mistakes.SigmoidSlopeLeftOut, Check.SquaredErrorDelta((A, Y) => 2.0 / A.RowCount * (A - Y)));
        Names(Mistakes.ValueForDerivative, Check.SquaredErrorDelta((A, Y) => (2.0 / A.RowCount * (A - Y)).PointwiseMultiply(A)));
        Names(Mistakes.SquareDerivativeMissingTwo, Check.SquaredErrorDelta((A, Y) => ((A - Y) / A.RowCount).PointwiseMultiply(A).PointwiseMultiply(1 - A)));
        Names(Mistakes.MissingOneOverOutputs, Check.SquaredErrorDelta((A, Y) => (2 * (A - Y)).PointwiseMultiply(A).PointwiseMultiply(1 - A)));
        Names(Mistakes.GradientSign, Check.SquaredErrorDelta((A, Y) => (2.0 / A.RowCount * (Y - A)).PointwiseMultiply(A).PointwiseMultiply(1 - A)));
        Names(Mistakes.OneOverMInDZ, Check.SquaredErrorDelta((A, Y) => Solution(A, Y) / A.ColumnCount));
        // σ′ written into A itself: the right dZ, but the layer's output is gone.
        Names(Mistakes.ChangedItsInput, Check.SquaredErrorDelta((A, Y) =>
        {
            var slope = A.PointwiseMultiply(1 - A);
            (2.0 / A.RowCount * (A - Y)).PointwiseMultiply(slope, A);
            return A;
        }));
    }

    [Fact]
    public void SquaredErrorDelta_explains_garbage_in_words_and_says_what_to_write_when_unanswered()
    {
        Explained(Check.SquaredErrorDelta((A, Y) => A.Map(_ => double.NaN)), "NaN");
        Explained(Check.SquaredErrorDelta((A, Y) => Solution(A, Y).Transpose()), "should be", "swapped");
        Explained(Check.SquaredErrorDelta((A, Y) => (A - Y) * A.PointwiseMultiply(1 - A)));   // * where ⊙ was meant: the shapes do not fit
        Explained(Check.SquaredErrorDelta((A, Y) => throw new InvalidOperationException("boom")), "boom");
        Explained(Check.SquaredErrorDelta((A, Y) => A.Map(_ => 0.0)));

        var unanswered = Check.SquaredErrorDelta(null);
        Assert.Equal(Verdict.NotAnswered, unanswered.Verdict);
        Assert.Contains("not answered yet", unanswered.Message);
        Assert.Contains("Write SquaredErrorDelta", unanswered.Message);
        Assert.Equal(Verdict.NotAnswered, Check.SquaredErrorDelta((A, Y) => null!).Verdict);
        Assert.Equal(Verdict.NotAnswered, Check.SquaredErrorDelta((A, Y) => throw new NotImplementedException()).Verdict);
    }
}
