using System.Text.Json;
using NeuralNet.Data;
using NeuralNet.Interactive;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

public class ConfusionChartTests
{
    private static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    [Fact]
    public void Heatmap_has_class_names_counts_and_row_shares()
    {
        var m = new ConfusionMatrix([0, 0, 0, 1, 1, 1, 2], [0, 1, 0, 2, 1, 2, 2], ["cat", "dog", "bird"]);
        var json = Json(ConfusionCharts.Heatmap(m));
        var trace = json.GetProperty("data")[0];
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal(["cat", "dog", "bird"], trace.GetProperty("x").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["cat", "dog", "bird"], trace.GetProperty("y").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("2", trace.GetProperty("text")[1][2].GetString());
        Assert.Equal(0.6667, trace.GetProperty("z")[1][2].GetDouble(), 4);
        Assert.Equal(1.0, trace.GetProperty("z")[2][2].GetDouble(), 12);
        var layout = json.GetProperty("layout");
        Assert.Equal("reversed", layout.GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Contains("4 of 7 right (57.1%)", layout.GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void An_absent_class_leaves_an_empty_row_and_repeated_names_are_told_apart()
    {
        var m = new ConfusionMatrix([0, 0], [0, 1], ["same", "same"]);
        var trace = Json(ConfusionCharts.Heatmap(m, title: "mine")).GetProperty("data")[0];
        Assert.Equal(JsonValueKind.Null, trace.GetProperty("z")[1][0].ValueKind);
        Assert.Equal(["same (0)", "same (1)"], trace.GetProperty("x").EnumerateArray().Select(e => e.GetString()!));
    }
}
