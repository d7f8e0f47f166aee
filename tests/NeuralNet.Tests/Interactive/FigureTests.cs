using System.Text.Json;
using NeuralNet.Interactive;

namespace NeuralNet.Tests.Interactive;

/// <summary>
/// The typed plotly.js attributes (PlotlyAttributes.cs) and the one writer that names them: each property
/// becomes the attribute plotly.js knows, and nothing else is written.
/// </summary>
public class FigureTests
{
    private static JsonElement Json(Plotly.NET.GenericChart chart) => JsonDocument.Parse(ChartOutput.FigureJson(chart)).RootElement;

    [Fact]
    public void Typed_attributes_are_written_under_plotly_js_names_and_unset_ones_are_left_out()
    {
        var chart = Figure.Chart(
            [new ScatterTrace { X = new[] { 1, 2 }, Y = new[] { 0.5, 0.25 }, Mode = "lines", HoverTemplate = "%{y}", XAxis = Figure.AxisId("x", 1), Line = new Line { Dash = "dash" } }],
            new ChartLayout
            {
                Title = new NeuralNet.Interactive.Title("t") { Font = new Font { Size = 14 } },
                XAxes = [new Axis { Range = [0, 1] }, new Axis { Anchor = "y2", ShowTickLabels = false }],
                PlotBgColor = "#ffffff",
                Margin = new Margin { T = 90 },
            });
        var json = Json(chart);
        var trace = json.GetProperty("data")[0];
        Assert.Equal(["hovertemplate", "line", "mode", "type", "x", "xaxis", "y"], trace.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("scatter", trace.GetProperty("type").GetString());
        Assert.Equal("x2", trace.GetProperty("xaxis").GetString());
        Assert.Equal("dash", trace.GetProperty("line").GetProperty("dash").GetString());
        var layout = json.GetProperty("layout");
        Assert.Equal("#ffffff", layout.GetProperty("plot_bgcolor").GetString());
        Assert.Equal(14, layout.GetProperty("title").GetProperty("font").GetProperty("size").GetDouble());
        Assert.Equal("y2", layout.GetProperty("xaxis2").GetProperty("anchor").GetString());   // the second x axis is xaxis2
        Assert.False(layout.GetProperty("xaxis2").GetProperty("showticklabels").GetBoolean());
        Assert.False(layout.TryGetProperty("yaxis", out _));
        Assert.Equal(["t"], layout.GetProperty("margin").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_domain_is_clamped_to_the_plotting_area()
    {
        // 1 − 2·(0.45 + 0.1) + … can come out as −5.6e-17, which plotly.js rejects as outside [0, 1].
        Assert.Equal(new[] { 0.0, 0.3 }, (double[])new Domain(-5.551115123125783e-17, 0.3).ToPlotly());
        Assert.Equal(new[] { 0.7, 1.0 }, (double[])new Domain(0.7, 1 + 1e-16).ToPlotly());
        Assert.Equal(new[] { 0.25, 0.5 }, (double[])new Domain(0.25, 0.5).ToPlotly());
    }

    [Fact]
    public void A_colour_scale_is_written_as_plotly_js_pairs()
    {
        var pairs = (object[][])Figure.Diverging.ToPlotly();
        Assert.Equal(5, pairs.Length);
        Assert.Equal(new object[] { 0.5, "#f7f7f7" }, pairs[2]);
    }
}
