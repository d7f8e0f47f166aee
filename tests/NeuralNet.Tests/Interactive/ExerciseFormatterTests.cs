using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Interactive;

namespace NeuralNet.Tests.Interactive;

public class ExerciseFormatterTests
{
    [Fact]
    public void A_verdict_shows_its_message_not_a_property_table()
    {
        var expected = Matrix<double>.Build.Dense(2, 2, 1.0);
        string wrong = Formatters.ToHtml(Exercises.Check("dZ", null, expected, "dZ = dA ⊙ g'(Z)"));
        Assert.Contains("✘ not yet", wrong);
        Assert.Contains("not answered yet", wrong);
        Assert.Contains("dZ = dA ⊙ g&#39;(Z)", wrong);
        Assert.Contains("✔ correct", Formatters.ToHtml(Exercises.Check("dZ", expected.Clone(), expected, "h")));
    }
}
