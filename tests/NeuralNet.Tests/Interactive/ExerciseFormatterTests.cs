using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using NeuralNet.Interactive;

namespace NeuralNet.Tests.Interactive;

public class ExerciseFormatterTests
{
    [Fact]
    public void A_verdict_shows_its_message_and_folds_the_two_hints()
    {
        string unanswered = ExerciseHtml.ToHtml(Check.Relu(null));
        Assert.Contains("✎ your turn", unanswered);
        Assert.Contains("not answered yet", unanswered);
        Assert.Contains("<details><summary>Hint 1 — the idea</summary>", unanswered);
        Assert.Contains("<details><summary>Hint 2 — the equation</summary>", unanswered);
        Assert.Contains("max(0, z)", unanswered);
        Assert.True(unanswered.IndexOf("Hint 1", StringComparison.Ordinal) < unanswered.IndexOf("Hint 2", StringComparison.Ordinal));

        string mistake = ExerciseHtml.ToHtml(Check.LinearForward((A, W, b) => W * A));
        Assert.Contains("✘ not yet", mistake);
        Assert.Contains("missing bias", mistake);
        Assert.Contains("<b>Why:</b>", mistake);

        string right = ExerciseHtml.ToHtml(Check.Relu(Z => Z.Map(z => Math.Max(0, z))));
        Assert.Contains("✔ correct", right);
        Assert.DoesNotContain("Hint 1", right);
        Assert.DoesNotContain("<script", right);
    }

    [Fact]
    public void Student_text_is_escaped()
    {
        string html = ExerciseHtml.ToHtml(Check.Relu(Z => throw new InvalidOperationException("<b>boom</b>")));
        Assert.Contains("&lt;b&gt;boom&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>boom", html);
    }
}
