using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using static NeuralNet.Tests.ExerciseAssertions;

namespace NeuralNet.Tests;

/// <summary>
/// Every exercise's check: the solution passes; each classic mistake, written as a student would write it,
/// is named; garbage and exceptions are explained in words (no stack trace); an unanswered function says what to write.
/// </summary>
public class ExerciseTests
{
    private static Matrix<double> Ones(int m) => Matrix<double>.Build.Dense(1, m, 1.0);
    private static Matrix<double> RowSums(Matrix<double> m) => Matrix<double>.Build.DenseOfColumnVectors(m.RowSums());
    private static double Sigma(double z) => 1 / (1 + Math.Exp(-z));

    // ------------------------------------------------------------ Sigmoid and Relu, parts of Forward (01)

    [Fact]
    public void Sigmoid_check()
    {
        Passes(Check.Sigmoid(Z => Z.Map(z => 1 / (1 + Math.Exp(-z)))));
        Names(Mistakes.SigmoidExponentSign, Check.Sigmoid(Z => Z.Map(z => 1 / (1 + Math.Exp(z)))));
        Names(Mistakes.SigmoidMissingOne, Check.Sigmoid(Z => Z.Map(z => 1 / Math.Exp(-z))));
        Explained(Check.Sigmoid(Z => Z.Map(Math.Tanh)), "entry [0, 0]");
        Explained(Check.Sigmoid(Z => Z.Transpose()), "swapped");
        Unanswered(Check.Sigmoid(Z => null!), "Write Sigmoid");
        Unanswered(Check.Sigmoid(null), "Write Sigmoid");
        Unanswered(Check.Sigmoid(Z => throw new NotImplementedException()), "Write Sigmoid");
    }

    [Fact]
    public void Relu_check()
    {
        Passes(Check.Relu(Z => Z.Map(z => Math.Max(0, z))));
        Names(Mistakes.ReluMin, Check.Relu(Z => Z.Map(z => Math.Min(0, z))));
        Names(Mistakes.ReluStep, Check.Relu(Z => Z.Map(z => z > 0 ? 1.0 : 0.0)));
        Explained(Check.Relu(Z => Z), "entry");
    }

    // ------------------------------------------------------------ LinearForward and Cost (01)

    [Fact]
    public void LinearForward_check()
    {
        Passes(Check.LinearForward((A, W, b) => W * A + b * Ones(A.ColumnCount)));
        Passes(Check.LinearForward((A, W, b) => (W * A).MapIndexed((i, j, z) => z + b[i, 0])));
        Names(Mistakes.MissingBias, Check.LinearForward((A, W, b) => W * A));
        Names(Mistakes.TransposeWrongSide, Check.LinearForward((A, W, b) => A.Transpose() * W.Transpose() + Ones(A.ColumnCount).Transpose() * b.Transpose()));
        // The issue's example: W2 * A1 + b2 dies in MathNet; the check explains it and names the mistake.
        var unbroadcast = Check.LinearForward((A, W, b) => W * A + b);
        Names(Mistakes.BiasNotBroadcast, unbroadcast);
        Explained(unbroadcast, "(2 × 5) and (2 × 1)", "single column");
        Assert.Equal(Verdict.Crashed, unbroadcast.Verdict);
        // Element-wise where a matrix product was meant, and the product in the wrong order.
        Names(Mistakes.ElementwiseForMatrixProduct, Check.LinearForward((A, W, b) => W.PointwiseMultiply(A) + b * Ones(A.ColumnCount)));
        var swapped = Check.LinearForward((A, W, b) => A * W + b * Ones(A.ColumnCount));
        Explained(swapped, "(3 × 5)·(2 × 3) do not chain", "right order");
        Names(Mistakes.WrongOrder, swapped);
        Explained(Check.LinearForward((A, W, b) => throw new IndexOutOfRangeException()), "index went past the end");
        Explained(Check.LinearForward((A, W, b) => W * A + b * Ones(A.ColumnCount) + 1), "entry [0, 0]");
        Unanswered(Check.LinearForward((A, W, b) => null!), "Write LinearForward");
    }

    [Fact]
    public void Cost_check()
    {
        // One term per sample, the one its label selects: a confident right answer (a = 1 for y = 1) costs 0, not 0·log 0 = NaN.
        static double Loss(double a, double y) => y == 1 ? -Math.Log(a) : -Math.Log(1 - a);
        Passes(Check.ComputeCost((AL, Y) => Enumerable.Range(0, Y.ColumnCount).Sum(j => Loss(AL[0, j], Y[0, j])) / Y.ColumnCount));
        Names(Mistakes.MissingOneOverM, Check.ComputeCost((AL, Y) => Enumerable.Range(0, Y.ColumnCount).Sum(j => Loss(AL[0, j], Y[0, j]))));
        Explained(Check.ComputeCost((AL, Y) => -Enumerable.Range(0, Y.ColumnCount).Sum(j => Loss(AL[0, j], Y[0, j]))), "yours is -1.21918", "-4 times the library's");
        Names(Mistakes.IntegerDivision, Check.ComputeCost((AL, Y) => 1 / Y.ColumnCount * Enumerable.Range(0, Y.ColumnCount).Sum(j => Loss(AL[0, j], Y[0, j]))));
        Names(Mistakes.CostSign, Check.ComputeCost((AL, Y) => -Enumerable.Range(0, Y.ColumnCount).Sum(j => Loss(AL[0, j], Y[0, j])) / Y.ColumnCount));
        Names(Mistakes.CostMissingTerm, Check.ComputeCost((AL, Y) => -Enumerable.Range(0, Y.ColumnCount).Sum(j => Y[0, j] * Math.Log(AL[0, j])) / Y.ColumnCount));
        // Both terms for every sample, as the equation is printed: right until a sigmoid rounds to exactly 1.
        var wholeSum = Check.ComputeCost((AL, Y) =>
            -(Y.PointwiseMultiply(AL.PointwiseLog()) + (1 - Y).PointwiseMultiply((1 - AL).PointwiseLog())).Enumerate().Sum() / Y.ColumnCount);
        Names(Mistakes.ZeroTimesLogZero, wholeSum);
        Assert.Contains("Case 4 of 4", wholeSum.ToString());
        Assert.Contains("with confident right answers", wholeSum.ToString());
        // A safe log, log(a + ε), gives a cost within the tolerance: right.
        Passes(Check.ComputeCost((AL, Y) =>
            -(Y.PointwiseMultiply((AL + 1e-12).PointwiseLog()) + (1 - Y).PointwiseMultiply((1 - AL + 1e-12).PointwiseLog())).Enumerate().Sum() / Y.ColumnCount));
        Explained(Check.ComputeCost((AL, Y) => double.NaN), "yours is NaN");
        Explained(Check.ComputeCost((AL, Y) => AL[0, 99]), "index went past the end");
        Unanswered(Check.ComputeCost((AL, Y) => throw new NotImplementedException()), "Write ComputeCost");
    }

    // ------------------------------------------------------------ ReLU's backward step and the linear backward step, parts of Backward (02)

    [Fact]
    public void ReluBackward_check()
    {
        Passes(Check.ReluBackward((dA, Z) => dA.PointwiseMultiply(Z.Map(z => z > 0 ? 1.0 : 0.0))));
        Names(Mistakes.WrongActivationDerivative, Check.ReluBackward((dA, Z) => dA.PointwiseMultiply(Z.Map(z => Sigma(z) * (1 - Sigma(z))))));
        Names(Mistakes.MissingIncomingGradient, Check.ReluBackward((dA, Z) => Z.Map(z => z > 0 ? 1.0 : 0.0)));
        Names(Mistakes.ValueForDerivative, Check.ReluBackward((dA, Z) => dA.PointwiseMultiply(Z.Map(z => Math.Max(0, z)))));
        Names(Mistakes.MatrixProductForElementwise, Check.ReluBackward((dA, Z) => dA * Z.Map(z => z > 0 ? 1.0 : 0.0)));
        Explained(Check.ReluBackward((dA, Z) => dA), "entry");
    }

    private static (Matrix<double>, Matrix<double>, Matrix<double>) Backward(Matrix<double> dZ, Matrix<double> A, Matrix<double> W) =>
        (dZ * A.Transpose() / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ);

    [Fact]
    public void LinearBackward_check()
    {
        Passes(Check.LinearBackward(Backward));
        Names(Mistakes.MissingOneOverM, Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose(), RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ)));
        Names(Mistakes.MissingOneOverM, Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / dZ.ColumnCount, RowSums(dZ), W.Transpose() * dZ)));
        Names(Mistakes.ExtraOneOverM, Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ / dZ.ColumnCount)));
        Names(Mistakes.TransposeWrongSide, Check.LinearBackward((dZ, A, W) => (A * dZ.Transpose() / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ)));
        Names(Mistakes.TransposeWrongSide, Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, dZ.Transpose() * W)));
        Names(Mistakes.SumOverWrongAxis, Check.LinearBackward((dZ, A, W) =>
            (dZ * A.Transpose() / dZ.ColumnCount, Matrix<double>.Build.DenseOfRowVectors(dZ.ColumnSums()) / dZ.ColumnCount, W.Transpose() * dZ)));
        Names(Mistakes.IntegerDivision, Check.LinearBackward((dZ, A, W) => { int m = dZ.ColumnCount; return (dZ * A.Transpose() * (1 / m), RowSums(dZ) / m, W.Transpose() * dZ); }));
        // Copied from notebook 2's cell for its single-unit layer with 4 samples: the factor 5/4 and db's shape are pointed out.
        Explained(Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / 4, Matrix<double>.Build.Dense(1, 1, dZ.Row(0).Sum() / 4), W.Transpose() * dZ)),
            "1.25 times the library's", "db: it is (1 × 1) but should be (2 × 1)", "✔ dA_prev matches");
        Names(Mistakes.NotSummedOverSamples, Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / dZ.ColumnCount, dZ / dZ.ColumnCount, W.Transpose() * dZ)));
        // A crash names the transpose: dZ·A_prev does not chain.
        var crash = Check.LinearBackward((dZ, A, W) => (dZ * A / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ));
        Names(Mistakes.TransposeWrongSide, crash);
        Explained(crash, "(2 × 5)·(3 × 5) do not chain", "which matrix should be transposed?");
        // W·dZ without the transpose.
        Explained(Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, W * dZ)), "(2 × 3)·(2 × 5) do not chain");
        // Partly answered: the missing part is named.
        var partial = Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() / dZ.ColumnCount, null!, null!));
        Explained(partial, "✔ dW matches", "db: null");
        Unanswered(Check.LinearBackward((dZ, A, W) => (null!, null!, null!)), "Write LinearBackward");
    }

    // ------------------------------------------------------------ Accuracy (05)

    [Fact]
    public void Accuracy_check()
    {
        static int Right(Matrix<double> AL, Matrix<double> Y) => Enumerable.Range(0, Y.ColumnCount).Count(j => (AL[0, j] > 0.5 ? 1 : 0) == Y[0, j]);
        Passes(Check.Accuracy((AL, Y) => (double)Right(AL, Y) / Y.ColumnCount));
        Names(Mistakes.IntegerDivision, Check.Accuracy((AL, Y) => Right(AL, Y) / Y.ColumnCount));
        Names(Mistakes.CountedTheWrongOnes, Check.Accuracy((AL, Y) => 1 - (double)Right(AL, Y) / Y.ColumnCount));
        Names(Mistakes.Percentage, Check.Accuracy((AL, Y) => 100.0 * Right(AL, Y) / Y.ColumnCount));
        Explained(Check.Accuracy((AL, Y) => 0.5), "yours is 0.5");
        Explained(Check.Accuracy((AL, Y) => Right(AL, Y) / (Y.ColumnCount - Y.ColumnCount)), "integer division by zero");
    }

    // ------------------------------------------------------------ garbage, for every exercise

    private static readonly Matrix<double> Tiny = Matrix<double>.Build.Dense(1, 1, 42.0);

    public static TheoryData<string> ExerciseNames() => ["Sigmoid", "Relu", "LinearForward", "ComputeCost", "ReluBackward",
        "LinearBackward", "Accuracy"];

    /// <summary>Each exercise fed garbage of one kind: a 1 × 1 matrix or the number 42, NaN, or an exception of the student's own.</summary>
    private static ExerciseResult Garbage(string exercise, int kind)
    {
        Matrix<double> M(Matrix<double> like) => kind switch
        {
            0 => Tiny,
            1 => Matrix<double>.Build.Dense(like.RowCount, like.ColumnCount, double.NaN),
            _ => throw new InvalidOperationException("my own <b>message</b>"),
        };
        double N() => kind switch { 0 => 42, 1 => double.NaN, _ => throw new InvalidOperationException("my own <b>message</b>") };
        return exercise switch
        {
            "Sigmoid" => Check.Sigmoid(M),
            "Relu" => Check.Relu(M),
            "LinearForward" => Check.LinearForward((A, W, b) => M(W * A)),
            "ComputeCost" => Check.ComputeCost((AL, Y) => N()),
            "ReluBackward" => Check.ReluBackward((dA, Z) => M(Z)),
            "LinearBackward" => Check.LinearBackward((dZ, A, W) => (M(W), M(W.Column(0).ToColumnMatrix()), M(A))),
            "Accuracy" => Check.Accuracy((AL, Y) => N()),
            _ => throw new ArgumentException(exercise),
        };
    }

    [Theory]
    [MemberData(nameof(ExerciseNames))]
    public void Garbage_is_explained_for_every_exercise(string exercise)
    {
        var small = Garbage(exercise, 0);
        Explained(small, "Hint 1 (the idea)");
        Assert.Contains(exercise is "ComputeCost" or "Accuracy" ? "yours is 42" : "should be", small.ToString());
        Explained(Garbage(exercise, 1), "NaN");
        var thrown = Garbage(exercise, 2);
        Explained(thrown, "Your code stopped with an error", "it threw InvalidOperationException, saying “my own <b>message</b>”");
        Assert.Equal(Verdict.Crashed, thrown.Verdict);
    }

    // ------------------------------------------------------------ what the reader of the exercises stumbled on

    /// <summary>"yours is X, the library's is Y": X and Y as printed must differ — a rejection never shows two equal numbers.</summary>
    private static void ShowsTheDifference(ExerciseResult result)
    {
        var match = System.Text.RegularExpressions.Regex.Match(result.ToString(), @"yours is (\S+), the library's is (\S+?)[.,]?(\s|$)");
        Assert.True(match.Success, result.ToString());
        Assert.NotEqual(match.Groups[1].Value, match.Groups[2].Value);
    }

    [Fact]
    public void ComputeCost_accepts_a_safe_log_and_a_rejection_shows_numbers_that_differ()
    {
        static double Cost(Matrix<double> AL, Matrix<double> Y, double eps, double shift = 0) =>
            -Enumerable.Range(0, Y.ColumnCount).Sum(j => Y[0, j] * Math.Log(AL[0, j] + eps) + (1 - Y[0, j]) * Math.Log(1 - AL[0, j] + eps)) / Y.ColumnCount + shift;
        Passes(Check.ComputeCost((AL, Y) => Cost(AL, Y, 1e-8)));
        // Off by more than the tolerance but less than the 6th printed digit: the numbers shown must still differ.
        var close = Check.ComputeCost((AL, Y) => Cost(AL, Y, 0, 3e-6 * Cost(AL, Y, 0)));
        Assert.Equal(Verdict.Wrong, close.Verdict);
        ShowsTheDifference(close);
        var bigEps = Check.ComputeCost((AL, Y) => Cost(AL, Y, 1e-3));
        Assert.False(bigEps.Correct);
        ShowsTheDifference(bigEps);
        // A matrix entry just as close: all its digits and the difference.
        var entry = Check.LinearForward((A, W, b) => { var r = W * A + b * Ones(A.ColumnCount); r[0, 0] += 1e-7 * Math.Abs(r[0, 0]); return r; });
        Explained(entry, "they differ by");
        // log(0): the ∞ is explained.
        Explained(Check.ComputeCost((AL, Y) => Cost(Y, AL, 0)), "yours is Infinity", "log of 0");
    }

    [Fact]
    public void Relu_names_negatives_kept_and_does_not_suggest_a_division_it_does_not_have()
    {
        var unchanged = Check.Relu(Z => Z);
        Names(Mistakes.ReluNegativesKept, unchanged);
        Assert.DoesNotContain("min where max", unchanged.ToString());
        var zeros = Check.Relu(Z => Z.Map(z => 0.0));
        Explained(zeros, "Every number of yours is 0");
        Assert.DoesNotContain("division", zeros.ToString());
        Assert.DoesNotContain("1 / m", zeros.ToString());
        // Where the exercise divides, an all-zero answer still points at the integer division.
        Explained(Check.LinearBackward((dZ, A, W) => (dZ * A.Transpose() * 0, RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ)), "round down to 0");
    }

    [Fact]
    public void LinearForward_with_a_transposed_W_says_no_transpose_is_needed()
    {
        var result = Check.LinearForward((A, W, b) => W.Transpose() * A + b * Ones(A.ColumnCount));
        Names(Mistakes.TransposeTooMany, result);
        Explained(result, "W·A_prev, (2 × 3)·(3 × 5), chains as the matrices are given, without any transpose");
        Assert.DoesNotContain("which matrix should be transposed", result.ToString());
        var right = Check.LinearForward((A, W, b) => W * A.Transpose() + b * Ones(A.ColumnCount));
        Assert.False(right.Correct);
        Assert.DoesNotContain("which matrix should be transposed", right.ToString());
    }

    [Fact]
    public void LinearBackward_with_dZ_times_A_prev_entry_by_entry_names_the_product_with_A_prev_transposed()
    {
        var result = Check.LinearBackward((dZ, A, W) => (dZ.PointwiseMultiply(A) / dZ.ColumnCount, RowSums(dZ) / dZ.ColumnCount, W.Transpose() * dZ));
        Names(Mistakes.ElementwiseForMatrixProduct, result);
        Explained(result, "dZ·A_prevᵀ, (2 × 5)·(5 × 3)", "a matrix product with A_prevᵀ meant?");
    }

    [Fact]
    public void An_error_inside_a_helper_called_from_Train_points_at_the_arguments_Train_passes()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Matrix<double>.Build.Dense(1, 6).PointwiseMultiply(Matrix<double>.Build.Dense(2, 6)));
        var (explanation, _) = CodeErrors.Explain(error, ["ReluBackward", "Train"], null);
        Assert.Contains("inside ReluBackward, as called from Train", explanation);
        Assert.Contains("(1 × 6) and (2 × 6)", explanation);
        Assert.DoesNotContain("matrix product", explanation);   // a wrong argument, not a ⊙ for a product
        Assert.Contains("look at the arguments Train passes to ReluBackward", explanation);
        Assert.DoesNotContain("error in ReluBackward", explanation);
        // Thrown in the function checked itself: said as before.
        var (alone, _) = CodeErrors.Explain(error, ["Train"], null);
        Assert.StartsWith("Your code stopped with an error in Train:", alone);
    }

    [Fact]
    public void The_sum_over_the_wrong_axis_of_a_gradient_does_not_talk_about_softmax()
    {
        Assert.DoesNotContain("softmax", Mistakes.SumOverWrongAxis.Hint, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("oftmax", Mistakes.SoftmaxWrongAxis.Hint);
    }

    // ------------------------------------------------------------ the result and the catalogue

    [Fact]
    public void Every_mistake_has_a_name_and_a_hint_that_does_not_give_the_answer()
    {
        Assert.True(Mistakes.All.Count >= 20);
        Assert.Equal(Mistakes.All.Count, Mistakes.All.Select(m => m.Name).Distinct().Count());
        foreach (var mistake in Mistakes.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(mistake.Name));
            Assert.True(mistake.Hint.Length > 40, mistake.Name);
            Assert.DoesNotContain("Transpose()", mistake.Hint);
            Assert.DoesNotContain("=>", mistake.Hint);
        }
    }

    [Fact]
    public void An_exception_becomes_words_and_names_the_mistake_its_shapes_reveal()
    {
        var left = Matrix<double>.Build.Dense(1, 3);
        var right = Matrix<double>.Build.Dense(1, 4);
        var error = Assert.ThrowsAny<ArgumentException>(() => left * right);
        var (explanation, mistake) = CodeErrors.Explain(error);
        Assert.Contains("dimensions (1 × 3)·(1 × 4) do not chain", explanation);
        Assert.Contains("which matrix should be transposed?", explanation);
        Assert.Equal(Mistakes.TransposeWrongSide, mistake);
        Assert.DoesNotContain(" at ", explanation);
    }
}
