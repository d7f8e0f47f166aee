using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

public class ExerciseTests
{
    private static readonly Matrix<double> Expected = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });

    [Fact]
    public void Unanswered_says_what_to_do()
    {
        var result = Exercises.Check("dZ", null, Expected, "dZ = dA ⊙ g'(Z)");
        Assert.False(result.Correct);
        Assert.Contains("not answered yet", result.Message);
        Assert.Contains("dZ = dA ⊙ g'(Z)", result.Message);
    }

    [Fact]
    public void A_transposed_answer_is_spotted()
    {
        var result = Exercises.Check("dW", Expected.Transpose(), Expected, "dW = dZ·A_prevᵀ / m");
        Assert.False(result.Correct);
        Assert.Contains("(3 × 2) but it should be (2 × 3)", result.Message);
        Assert.Contains("transpose", result.Message);
    }

    [Fact]
    public void A_wrong_entry_is_named_and_a_right_answer_is_confirmed()
    {
        var wrong = Expected.Clone();
        wrong[1, 2] = 7;
        Assert.Contains("entry [1, 2] is 7", Exercises.Check("dW", wrong, Expected, "h").Message);
        Assert.True(Exercises.Check("dW", Expected.Clone(), Expected, "h").Correct);
        Assert.True(Exercises.Check("J", 0.5, 0.5, "h").Correct);
        Assert.False(Exercises.Check("J", 0.4, 0.5, "h").Correct);
    }
}
