using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Interactive;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

/// <summary>The picture mosaic leaves plotly.js's toolbar room of its own, so it never covers a caption.</summary>
public class MosaicTests
{
    private static JsonElement Layout(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement.GetProperty("layout");

    [Fact]
    public void An_untitled_mosaic_keeps_room_above_its_captions_for_the_toolbar()
    {
        // Notebook 07's mosaic: ten pictures in one row, captions above them, no title. The toolbar (about 30 px, drawn at
        // the top right on hover) covered "Bag" and "Ankle boot" when the top margin was 10 px.
        var X = Matrix<double>.Build.Dense(784, 10, (i, j) => (i + j) % 7);
        var untitled = Layout(Charts.Images(X, count: 10, columns: 10, captions: Enumerable.Range(0, 10).Select(k => $"class {k}").ToArray()));
        int top = untitled.GetProperty("margin").GetProperty("t").GetInt32();
        Assert.True(top >= 30, $"the top margin is {top} px");
        // The plot area keeps its size: the figure grows by the margin.
        var titled = Layout(Charts.Images(X, count: 10, columns: 10, title: "ten pictures"));
        Assert.Equal(50, titled.GetProperty("margin").GetProperty("t").GetInt32());
        Assert.Equal(untitled.GetProperty("height").GetInt32() - top, titled.GetProperty("height").GetInt32() - 50);
        Assert.Equal(untitled.GetProperty("width").GetInt32(), titled.GetProperty("width").GetInt32());
    }
}
