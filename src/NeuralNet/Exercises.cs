using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// Checks a student's answer in a "your turn" cell against the library's, and answers in words: what is
/// right, or a hint about what to look at — never a stack trace. Shipped notebooks leave the answer
/// <c>null</c> so they still run top to bottom; the check then says what to write.
/// </summary>
public static class Exercises
{
    /// <summary>Compares <paramref name="yours"/> with <paramref name="expected"/>; <paramref name="hint"/> is shown when they differ.</summary>
    public static ExerciseResult Check(string name, Matrix<double>? yours, Matrix<double> expected, string hint, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (yours is null)
            return new ExerciseResult(false, $"{name}: not answered yet. Replace null with your line, then run both cells again. Hint: {hint}");
        if (yours.RowCount != expected.RowCount || yours.ColumnCount != expected.ColumnCount)
        {
            string transposed = yours.RowCount == expected.ColumnCount && yours.ColumnCount == expected.RowCount
                ? " It has the right numbers of rows and columns swapped: is a transpose (ᵀ) in the wrong place?"
                : "";
            return new ExerciseResult(false,
                $"{name}: your matrix is {Shape.Of(yours)} but it should be {Shape.Of(expected)}.{transposed} Hint: {hint}");
        }
        double scale = Math.Max(expected.Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max(), 1e-300);
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                double difference = Math.Abs(yours[i, j] - expected[i, j]);
                if (!(difference <= tolerance * scale))
                    return new ExerciseResult(false,
                        $"{name}: the shape {Shape.Of(yours)} is right, but entry [{i}, {j}] is {yours[i, j]:G6} where the library has {expected[i, j]:G6}. Hint: {hint}");
            }
        return new ExerciseResult(true, $"{name}: correct — {Shape.Of(yours)}, every entry matches the library.");
    }

    /// <summary>Compares a number.</summary>
    public static ExerciseResult Check(string name, double? yours, double expected, string hint, double tolerance = 1e-9)
    {
        if (yours is null)
            return new ExerciseResult(false, $"{name}: not answered yet. Replace null with your line, then run both cells again. Hint: {hint}");
        if (Math.Abs(yours.Value - expected) <= tolerance * Math.Max(Math.Abs(expected), 1e-300))
            return new ExerciseResult(true, $"{name}: correct — {yours.Value:G10}.");
        return new ExerciseResult(false, $"{name}: you have {yours.Value:G10}, the library has {expected:G10}. Hint: {hint}");
    }
}

/// <summary>The verdict on an exercise: right or not, and what to do next.</summary>
public sealed record ExerciseResult(bool Correct, string Message)
{
    /// <inheritdoc />
    public override string ToString() => (Correct ? "✔ " : "✘ ") + Message;
}
