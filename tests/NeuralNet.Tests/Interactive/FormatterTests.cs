using MathNet.Numerics.LinearAlgebra;
using Microsoft.DotNet.Interactive.Formatting;
using NeuralNet.Interactive;
using NeuralNet.Training;

namespace NeuralNet.Tests.Interactive;

public class FormatterTests
{
    [Fact]
    public void A_large_matrix_shows_its_shape_and_only_its_corners()
    {
        var m = Matrix<double>.Build.Dense(100, 100, (i, j) => i * 100 + j + 1);
        var html = Formatters.ToHtml(m, "A");
        Assert.Contains("A (100 × 100)", html);
        Assert.Contains("…", html);
        Assert.Contains("⋮", html);
        Assert.Contains(">10000<", html);                  // [99, 99]
        Assert.Contains(">298<", html);                    // [2, 97]: last three columns of the first rows
        Assert.DoesNotContain(">5051<", html);             // the middle is elided
        Assert.DoesNotContain(">304<", html);              // row 3 is elided
        // 7 shown rows (3, ⋮, 3) plus the column-number row; 7 shown columns each.
        Assert.Equal(8, html.Split("<tr>").Length - 1);
    }

    [Fact]
    public void A_small_matrix_is_shown_in_full()
    {
        var m = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, -0.000012345 }, { 123456789, 0.333333333 } });
        var html = Formatters.ToHtml(m);
        Assert.Contains("(2 × 2)", html);
        Assert.DoesNotContain("…", html);
        Assert.Contains(">1<", html);
        Assert.Contains(">-1.235e-05<", html);
        Assert.Contains(">1.235e+08<", html);
        Assert.Contains(">0.3333<", html);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(3, "3")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.693147, "0.6931")]
    [InlineData(12.3456, "12.35")]
    [InlineData(0.00123456, "0.001235")]
    [InlineData(1e-9, "1e-09")]
    [InlineData(double.NaN, "NaN")]
    public void Numbers_are_rounded_to_four_significant_digits(double value, string expected) =>
        Assert.Equal(expected, HtmlText.Number(value));

    [Fact]
    public void Registering_twice_is_harmless_and_the_kernel_formatter_uses_the_html()
    {
        Formatters.Register();
        Formatters.Register();
        Assert.True(Formatters.IsRegistered);
        Matrix<double> m = Matrix<double>.Build.Dense(3, 2, 1.5);      // a DenseMatrix: registered through its base type
        var html = m.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("(3 × 2)", html);
        Assert.Contains("nn-matrix", html);
        var net = new Network([2, 4, 1]);
        Assert.Contains("Network [2 → 4 → 1]", net.ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal(net.ToString(), net.ToDisplayString(PlainTextFormatter.MimeType));
    }

    [Fact]
    public void A_network_lists_its_layers_shapes_and_parameter_counts()
    {
        var html = Formatters.ToHtml(new Network([784, 128, 10], output: Activations.Softmax, cost: Costs.CategoricalCrossEntropy));
        Assert.Contains("Network [784 → 128 → 10]", html);
        Assert.Contains("784 → 128", html);
        Assert.Contains("(128 × 784)", html);
        Assert.Contains("(10 × 1)", html);
        Assert.Contains("100,480", html);                  // 128·784 + 128
        Assert.Contains("<b>101,770</b>", html);           // the total
        Assert.Contains("softmax", html);
    }

    [Fact]
    public void Forward_and_gradients_describe_every_layer_in_their_order()
    {
        var (X, Y) = Samples.Clusters();
        var net = new Network([2, 3, 1], hidden: Activations.Tanh);
        var forward = net.Forward(X);
        var html = Formatters.ToHtml(forward);
        Assert.Contains("AL (1 × 40)", html);
        Assert.Contains("Z_l = W_l·A_{l−1} + b_l", html);
        Assert.Contains("(3 × 40)", html);
        Assert.Contains("g = tanh", html);
        Assert.Contains("Layer 2 cache", Formatters.ToHtml(forward.Caches[2]));

        var grads = Formatters.ToHtml(net.Backward(forward, Y));
        Assert.Contains("L = 2 down to 1", grads);
        Assert.Contains("dW_l = dZ_l·A_{l−1}ᵀ / m", grads);
        Assert.Contains("‖·‖ =", grads);
        Assert.Contains("layer 1: nothing below", grads);
        int row2 = grads.IndexOf("<tr><td style=\"padding:2px 8px;text-align:right;border-bottom:1px solid rgba(128,128,128,.25);vertical-align:top\">2<", StringComparison.Ordinal);
        int row1 = grads.IndexOf("<tr><td style=\"padding:2px 8px;text-align:right;border-bottom:1px solid rgba(128,128,128,.25);vertical-align:top\">1<", StringComparison.Ordinal);
        Assert.True(row2 >= 0 && row1 > row2, "layer 2's row comes before layer 1's");
    }

    [Fact]
    public void Gradient_check_and_history_have_verdicts_and_summaries()
    {
        var (X, Y) = Samples.Clusters();
        var net = new Network([2, 3, 1], hidden: Activations.Tanh);
        var check = Formatters.ToHtml(GradientCheck.Run(net, X, Y));
        Assert.Contains("✓ correct", check);
        Assert.Contains("W1", check);
        Assert.Contains("b2", check);

        var history = Samples.History(0.05, [0.7, 0.5, 0.6], validationEvery: 1);
        var summary = Formatters.ToHtml(history);
        Assert.Contains("3 epochs", summary);
        Assert.Contains("validation accuracy", summary);
        Assert.Contains("0.5 <span", summary);             // best cost 0.5 at epoch 2
        Assert.Contains("(epoch 2)", summary);
        Assert.Contains("Nothing recorded", Formatters.ToHtml(new TrainingHistory(0.1)));
    }
}
