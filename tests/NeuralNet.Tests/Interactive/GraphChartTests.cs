using System.Text.Json;
using NeuralNet.Autograd;
using NeuralNet.Interactive;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

public class GraphChartTests
{
    private static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static Scalar Loss(out Scalar w, out Scalar z)
    {
        w = new Scalar(0.8, "w");
        z = (w * new Scalar(1.5, "x") + new Scalar(-0.5, "b")).As("z");
        return Scalar.BinaryCrossEntropy(z.Sigmoid("a"), 1, "L");
    }

    private static string[] Texts(JsonElement trace) => trace.GetProperty("text").EnumerateArray().Select(t => t.GetString()!).ToArray();

    [Fact]
    public void Before_backward_it_shows_values_and_local_derivatives_and_says_how_to_get_gradients()
    {
        var L = Loss(out _, out _);
        var json = Json(GraphCharts.ComputationGraph(L));
        var traces = json.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(3, traces.Length);                                         // edge labels, nodes, names
        Assert.Contains("<b>z</b> = 0.7", Texts(traces[2]));
        Assert.Contains("1.5", Texts(traces[0]));                               // ∂(w·x)/∂w = x
        Assert.Contains("call L.Backward()", json.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        var annotations = json.GetProperty("layout").GetProperty("annotations").EnumerateArray().ToArray();
        Assert.Equal(6, annotations.Count(a => a.GetProperty("showarrow").GetBoolean()));          // one arrow per edge
        Assert.Contains(annotations, a => !a.GetProperty("showarrow").GetBoolean() && a.GetProperty("text").GetString() == "0.2217");   // σ'(z) on z → a
    }

    [Fact]
    public void After_backward_each_node_shows_its_gradient()
    {
        var L = Loss(out var w, out var z);
        L.Backward();
        var traces = Json(GraphCharts.ComputationGraph(L)).GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(4, traces.Length);
        var grads = Texts(traces[3]);
        Assert.Contains($"grad {Scalar.Format(w.Grad)}", grads);
        Assert.Contains("grad -0.3318", grads);                                 // ∂L/∂z = a − y
        Assert.Contains("grad 1", grads);                                       // ∂L/∂L
    }

    [Fact]
    public void Inputs_are_drawn_left_of_what_they_feed()
    {
        var L = Loss(out _, out _);
        var nodes = L.Nodes();
        var (x, _) = GraphCharts.Layout(nodes, L);
        foreach (var n in nodes)
            foreach (var e in n.Inputs)
                Assert.True(x[e.Input] < x[n], $"{e.Input.Label} should be left of {n.Label}");
        Assert.Equal(nodes.Max(n => x[n]), x[L]);
    }

    [Fact]
    public void A_huge_graph_is_refused_with_a_reason()
    {
        var sum = new Scalar(0, "s0");
        for (int i = 0; i < 40; i++) sum = sum + new Scalar(i, $"t{i}");
        var e = Assert.Throws<ArgumentException>(() => GraphCharts.ComputationGraph(sum));
        Assert.Contains("unreadable", e.Message);
    }

    /// <summary>Notebook 01a's last graph: one weight and one bias on two samples, J = ½(ℓ₀ + ℓ₁).</summary>
    private static Scalar TwoSamples(out Scalar w, out Scalar b, out Scalar[] products, out Scalar[] sums)
    {
        w = new Scalar(0.8, "w");
        b = new Scalar(-0.5, "b");
        var p0 = (w * new Scalar(1.5, "x₀")).As("w·x₀");
        var p1 = (w * new Scalar(-1.0, "x₁")).As("w·x₁");
        var z0 = (p0 + b).As("z₀");
        var z1 = (p1 + b).As("z₁");
        (products, sums) = ([p0, p1], [z0, z1]);
        var loss0 = Scalar.BinaryCrossEntropy(z0.Sigmoid("a₀"), 1, "ℓ₀");
        var loss1 = Scalar.BinaryCrossEntropy(z1.Sigmoid("a₁"), 0, "ℓ₁");
        return (0.5 * Scalar.Sum([loss0, loss1], "ℓ₀ + ℓ₁")).As("J");
    }

    [Fact]
    public void A_number_used_twice_sits_between_the_two_nodes_it_feeds()
    {
        var J = TwoSamples(out var w, out var b, out var products, out var sums);
        var (_, y) = GraphCharts.Layout(J.Nodes(), J);
        // Between its two consumers, so its arrows do not cross the arrows of the numbers beside it.
        Assert.InRange(y[w], Math.Min(y[products[0]], y[products[1]]) + 0.1, Math.Max(y[products[0]], y[products[1]]) - 0.1);
        Assert.InRange(y[b], Math.Min(y[sums[0]], y[sums[1]]) + 0.1, Math.Max(y[sums[0]], y[sums[1]]) - 0.1);
    }

    [Fact]
    public void The_numbers_on_the_arrows_keep_clear_of_each_other_and_of_the_nodes_names()
    {
        var J = TwoSamples(out _, out _, out _, out _);
        J.Backward();
        AssertArrowNumbersClear(J);
        Assert.Contains("<b>0.5</b>", Texts(Json(GraphCharts.ComputationGraph(J)).GetProperty("data")[2]));      // the ½ of the average: its number once, not "0.5 = 0.5"
    }

    [Fact]
    public void On_notebook_01a_s_two_neurons_no_arrow_number_covers_a_gradient()
    {
        // A reader found w₂'s "grad -0.4162" covered by the arrow's 0.6682: every place on that short arrow covered a label.
        var x = new Scalar(1.5, "x");
        var w1 = new Scalar(0.8, "w₁");
        var b1 = new Scalar(-0.5, "b₁");
        var w2 = new Scalar(-1.2, "w₂");
        var b2 = new Scalar(0.3, "b₂");
        var h = (w1 * x + b1).As("z₁").Sigmoid("h");
        var loss = Scalar.BinaryCrossEntropy((w2 * h + b2).As("z₂").Sigmoid("a"), 1, "ℓ");
        loss.Backward();
        AssertArrowNumbersClear(loss);
    }

    /// <summary>No arrow's number covers another, a node's name above it, or its gradient below it.</summary>
    private static void AssertArrowNumbersClear(Scalar output)
    {
        var json = Json(GraphCharts.ComputationGraph(output));
        var layout = json.GetProperty("layout");
        double[] Range(string axis) => layout.GetProperty(axis).GetProperty("range").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] xr = Range("xaxis"), yr = Range("yaxis");
        double pxX = (layout.GetProperty("width").GetDouble() - 60) / (xr[1] - xr[0]);
        double pxY = (layout.GetProperty("height").GetDouble() - 90) / (yr[1] - yr[0]);
        // Boxes in pixels (a character about half the font size wide): the arrows' numbers, and each node's name above it.
        (double L, double B, double R, double T) Around(double x, double y, double w, double h) => (x * pxX - w / 2, y * pxY - h / 2, x * pxX + w / 2, y * pxY + h / 2);
        static bool Overlap((double L, double B, double R, double T) p, (double L, double B, double R, double T) q) =>
            Math.Min(p.R, q.R) > Math.Max(p.L, q.L) && Math.Min(p.T, q.T) > Math.Max(p.B, q.B);
        var labels = layout.GetProperty("annotations").EnumerateArray().Where(a => !a.GetProperty("showarrow").GetBoolean())
            .Select(a => (Text: a.GetProperty("text").GetString()!, Box: Around(a.GetProperty("x").GetDouble(), a.GetProperty("y").GetDouble(), a.GetProperty("text").GetString()!.Length * 6, 14)))
            .ToArray();
        var names = json.GetProperty("data")[2];
        var nameBoxes = Texts(names).Select((t, i) => (Text: t, Box: Around(names.GetProperty("x")[i].GetDouble(), names.GetProperty("y")[i].GetDouble(), 0, 0)))
            .Select(n => (n.Text, Box: (n.Box.L - n.Text.Replace("<b>", "").Replace("</b>", "").Length * 6.5 / 2, n.Box.B + 22, n.Box.R + n.Text.Replace("<b>", "").Replace("</b>", "").Length * 6.5 / 2, n.Box.T + 38)))
            .ToArray();
        // Each gradient below its node: "grad -0.4162", 12 px text starting 17 px below the node's centre.
        var grads = json.GetProperty("data")[3];
        var gradBoxes = Texts(grads).Select((t, i) => (Text: t, Box: Around(grads.GetProperty("x")[i].GetDouble(), grads.GetProperty("y")[i].GetDouble(), 0, 0)))
            .Select(g => (g.Text, Box: (g.Box.L - g.Text.Length * 6.0 / 2, g.Box.B - 34, g.Box.R + g.Text.Length * 6.0 / 2, g.Box.T - 19)))
            .ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            for (int j = i + 1; j < labels.Length; j++)
                Assert.False(Overlap(labels[i].Box, labels[j].Box), $"the arrows' numbers {labels[i].Text} and {labels[j].Text} cover each other");
            foreach (var name in nameBoxes)
                Assert.False(Overlap(labels[i].Box, name.Box), $"the arrow's number {labels[i].Text} covers the name {name.Text}");
            foreach (var grad in gradBoxes)
                Assert.False(Overlap(labels[i].Box, grad.Box), $"the arrow's number {labels[i].Text} covers the gradient {grad.Text}");
        }
    }
}
