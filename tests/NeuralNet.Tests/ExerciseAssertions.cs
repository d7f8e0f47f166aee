using NeuralNet.Exercises;

namespace NeuralNet.Tests;

/// <summary>
/// What every exercise check's tests assert, one way for all of them: the solution passes; a classic mistake is named
/// with its hint and both tiers of hints; garbage is explained in words, with no stack trace; an unanswered function
/// says what to write.
/// </summary>
internal static class ExerciseAssertions
{
    public static void Passes(ExerciseResult result)
    {
        Assert.True(result.Correct, result.ToString());
        Assert.Equal(Verdict.Correct, result.Verdict);
        Assert.StartsWith("✔", result.ToString());
        Assert.DoesNotContain("Hint 1", result.ToString());
    }

    public static void Names(Mistake mistake, ExerciseResult result)
    {
        Assert.False(result.Correct, result.ToString());
        Assert.True(result.Mistake == mistake, $"expected “{mistake.Name}”, got: {result}");
        Assert.Contains(mistake.Name, result.ToString());
        Assert.Contains(mistake.Hint, result.ToString());
        Assert.Contains("Hint 1 (the idea)", result.ToString());
        Assert.Contains("Hint 2 (the equation)", result.ToString());
    }

    public static void Explained(ExerciseResult result, params string[] words)
    {
        Assert.False(result.Correct, result.ToString());
        Assert.Contains(result.Verdict, new[] { Verdict.Wrong, Verdict.Crashed, Verdict.Mistake });
        string text = result.ToString();
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception:", text);
        foreach (var word in words) Assert.Contains(word, text);
    }

    public static void Unanswered(ExerciseResult result, string task)
    {
        Assert.Equal(Verdict.NotAnswered, result.Verdict);
        Assert.Contains("not answered yet", result.Message);
        Assert.Contains(task, result.Message);
    }
}
