using System.Text.Json;
using NeuralNet.Graph;
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
}
