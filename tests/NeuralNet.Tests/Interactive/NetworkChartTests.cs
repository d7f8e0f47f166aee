using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Interactive;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

public class NetworkChartTests
{
    private static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static JsonElement[] Traces(GenericChart chart) => Json(chart).GetProperty("data").EnumerateArray().ToArray();

    private static Network Xor() => new([2, 3, 1], hidden: Activations.Tanh, initialization: Initialization.Xavier(seed: 1));

    [Fact]
    public void The_diagram_draws_every_weight_once_with_its_value()
    {
        var net = Xor();
        var traces = Traces(NetworkCharts.Diagram(net));
        var lines = traces.Where(t => t.GetProperty("mode").GetString() == "lines").ToArray();
        int segments = lines.Sum(t => t.GetProperty("x").GetArrayLength() / 3);
        Assert.Equal(2 * 3 + 3 * 1, segments);
        var hover = traces.Single(t => t.GetProperty("name").GetString() == "weights").GetProperty("customdata")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(9, hover.Length);
        Assert.Contains(hover, h => h.StartsWith($"W1[2, 1] = {net.Layers[1].W[2, 1]:G4}") && h.Contains("from input 1 to unit 2 of layer 1"));
        var units = traces.Single(t => t.GetProperty("name").GetString() == "units");
        Assert.Equal(2 + 3 + 1, units.GetProperty("x").GetArrayLength());
    }

    [Fact]
    public void The_thickest_reddest_line_is_the_largest_weight()
    {
        var net = Xor();
        net.Layers[1].W[0, 0] = 5;
        var lines = Traces(NetworkCharts.Diagram(net)).Where(t => t.GetProperty("mode").GetString() == "lines").ToArray();
        var thickest = lines.MaxBy(t => t.GetProperty("line").GetProperty("width").GetDouble());
        Assert.Equal("#b2182b", thickest.GetProperty("line").GetProperty("color").GetString());
        Assert.Equal(3, thickest.GetProperty("x").GetArrayLength());           // only that one weight
        Assert.Equal(6.0, thickest.GetProperty("line").GetProperty("width").GetDouble(), 6);
    }

    [Fact]
    public void With_gradients_it_draws_dW_and_checks_they_belong_to_the_network()
    {
        var net = Xor();
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
        var Y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });
        var grads = net.Backward(net.Forward(X), Y);
        var chart = NetworkCharts.Diagram(net, grads);
        Assert.Contains("after a backward pass", Json(chart).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        var hover = Traces(chart).Single(t => t.GetProperty("name").GetString() == "weights").GetProperty("customdata")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains(hover, h => h.StartsWith($"dW2[0, 1] = {grads[2].dW[0, 1]:G4}"));
        var other = new Network([2, 4, 1]);
        var e = Assert.Throws<ShapeMismatchException>(() => NetworkCharts.Diagram(other, grads));
        Assert.Contains("Layer 1: dW is (3 × 2) but W is (4 × 2)", e.Message);
    }

    [Fact]
    public void Wide_layers_show_their_first_units_and_say_so()
    {
        var net = new Network([784, 20, 10, 1]);
        var json = Json(NetworkCharts.Diagram(net, maxUnits: 8));
        var headers = json.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToArray();
        Assert.Contains("inputs<br>8 of 784 shown", headers);
        Assert.Contains(headers, h => h.StartsWith("layer 1<br>") && h.EndsWith("8 of 20 shown"));
        Assert.Contains(headers, h => h.EndsWith("1 unit"));
    }

    [Fact]
    public void Diverging_colours_run_blue_white_red()
    {
        Assert.Equal("#2166ac", NetworkCharts.DivergingColor(-1));
        Assert.Equal("#f7f7f7", NetworkCharts.DivergingColor(0));
        Assert.Equal("#b2182b", NetworkCharts.DivergingColor(1));
        Assert.Equal("#b2182b", NetworkCharts.DivergingColor(7));
        Assert.Equal("#92c5de", NetworkCharts.DivergingColor(-0.5));
    }

    [Fact]
    public void Hidden_units_get_one_panel_each_with_their_real_activations_and_the_output_a_last_one()
    {
        var (X, Y) = Samples.Clusters();
        var net = Xor();
        var traces = Traces(NetworkCharts.HiddenUnits(net, X, Y, resolution: 10));
        var heatmaps = traces.Where(t => t.GetProperty("type").GetString() == "heatmap").ToArray();
        Assert.Equal(3 + 1, heatmaps.Length);
        // Panel of unit 1, bottom-left grid point: tanh of that unit's Z at that point.
        var gx = heatmaps[1].GetProperty("x")[0].GetDouble();
        var gy = heatmaps[1].GetProperty("y")[0].GetDouble();
        var point = Matrix<double>.Build.DenseOfArray(new double[,] { { gx }, { gy } });
        double expected = net.Forward(point).Caches[1].A[1, 0];
        Assert.Equal(expected, heatmaps[1].GetProperty("customdata")[0][0].GetDouble(), 4);   // the value, for hover
        // The colour is the value over the unit's own largest size on the grid: the sign kept, 0 white, ±1 at the extreme.
        var scaled = heatmaps[1].GetProperty("z").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var values = heatmaps[1].GetProperty("customdata").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        double reach = values.Max(Math.Abs);
        Assert.Equal(1.0, scaled.Max(Math.Abs), 6);
        Assert.Equal(Math.Round(values[7] / reach, 3), scaled[7], 9);
        Assert.Equal(Math.Sign(values[7]), Math.Sign(scaled[7]));
        // This layer feeds the single output unit, so each panel names the weight that carries its answer there.
        var captions = Json(NetworkCharts.HiddenUnits(net, X, Y, resolution: 10)).GetProperty("layout").GetProperty("annotations")
            .EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToArray();
        Assert.Contains(captions, c => c.StartsWith("unit 1: ") && c.Contains("<br>w→out "));
        double p = net.PredictProbabilities(point)[0, 0];
        Assert.Equal(p, heatmaps[3].GetProperty("z")[0][0].GetDouble(), 4);
        var contours = traces.Where(t => t.GetProperty("type").GetString() == "contour").ToArray();
        Assert.Equal(3 + 1, contours.Length);                                  // Z = 0 per unit, P = 0.5 on the output
        Assert.Equal(2 * 4, traces.Count(t => t.GetProperty("type").GetString() == "scatter"));   // both classes in every panel
    }

    [Fact]
    public void Hidden_unit_panels_share_one_colour_scale_and_bar_and_give_plotly_js_only_attributes_it_uses()
    {
        var (X, Y) = Samples.Clusters();
        var chart = NetworkCharts.HiddenUnits(Xor(), X, Y, resolution: 10);
        var traces = Traces(chart);
        var heatmaps = traces.Where(t => t.GetProperty("type").GetString() == "heatmap").ToArray();
        // Each heatmap carries its scale (no coloraxis: Plotly.validate rejects every trace's coloraxis).
        Assert.All(traces, t => Assert.False(t.TryGetProperty("coloraxis", out _)));
        var units = heatmaps[..^1];
        Assert.All(units, h =>
        {
            Assert.Equal(-1, h.GetProperty("zmin").GetDouble());
            Assert.Equal(1, h.GetProperty("zmax").GetDouble());
            Assert.Equal("#f7f7f7", h.GetProperty("colorscale")[2][1].GetString());   // 0 is white
        });
        // One colour bar for all the units (on unit 0), one for the output.
        Assert.True(units[0].GetProperty("showscale").GetBoolean());
        Assert.StartsWith("A1[i]", units[0].GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        Assert.All(units[1..], h => Assert.False(h.GetProperty("showscale").GetBoolean()));
        var output = heatmaps[^1];
        Assert.False(output.TryGetProperty("showscale", out _));
        Assert.Equal("P(class 1)", output.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(1, output.GetProperty("zmax").GetDouble());
        // Contour lines without fill have no colour scale, so no showscale.
        Assert.All(traces.Where(t => t.GetProperty("type").GetString() == "contour"), c => Assert.False(c.TryGetProperty("showscale", out _)));

        var layout = Json(chart).GetProperty("layout");
        var axes = layout.EnumerateObject().Where(p => p.Name.StartsWith("xaxis") || p.Name.StartsWith("yaxis")).ToArray();
        Assert.Equal(2 * 4, axes.Length);
        foreach (var axis in axes)
        {
            // A tick font only where there are tick labels; every domain inside [0, 1] (rounding could give −5.6e-17).
            bool labels = axis.Value.GetProperty("showticklabels").GetBoolean();
            Assert.True(labels == axis.Value.TryGetProperty("tickfont", out _), axis.Name);
            Assert.All(axis.Value.GetProperty("domain").EnumerateArray(), d => Assert.InRange(d.GetDouble(), 0, 1));
        }
        Assert.Equal(0, layout.GetProperty("yaxis3").GetProperty("domain")[0].GetDouble(), 12);   // the bottom row starts at 0
    }

    [Fact]
    public void Hidden_units_need_a_plane_and_a_hidden_layer()
    {
        var (X, Y) = Samples.Clusters();
        Assert.Contains("needs 2 inputs", Assert.Throws<ArgumentException>(() => NetworkCharts.HiddenUnits(new Network([3, 2, 1]), X)).Message);
        Assert.Contains("no hidden layer", Assert.Throws<ArgumentException>(() => NetworkCharts.HiddenUnits(new Network([2, 1]), X)).Message);
        Assert.Contains("1 … 1", Assert.Throws<ArgumentOutOfRangeException>(() => NetworkCharts.HiddenUnits(Xor(), X, layer: 2)).Message);
        Assert.Throws<ShapeMismatchException>(() => NetworkCharts.HiddenUnits(Xor(), X.Transpose()));
        Assert.Throws<ShapeMismatchException>(() => NetworkCharts.HiddenUnits(Xor(), X, Y.SubMatrix(0, 1, 0, 5)));
    }

    [Fact]
    public void Hidden_units_that_are_never_negative_get_a_colour_scale_from_0_and_tanh_units_keep_the_sign()
    {
        var (X, Y) = Samples.Clusters();
        var relu = new Network([2, 4, 1], initialization: Initialization.He(seed: 3));   // ReLU hidden units: outputs ≥ 0
        var units = Traces(NetworkCharts.HiddenUnits(relu, X, Y, resolution: 10))
            .Where(t => t.GetProperty("type").GetString() == "heatmap").ToArray()[..^1];
        Assert.All(units, h =>
        {
            Assert.Equal(0, h.GetProperty("zmin").GetDouble());
            Assert.Equal(1, h.GetProperty("zmax").GetDouble());
            Assert.Equal("#f7f7f7", h.GetProperty("colorscale")[0][1].GetString());   // 0 is white, the bottom of the scale
        });
        var bar = units[0].GetProperty("colorbar");
        Assert.Equal(["0", "max"], bar.GetProperty("ticktext").EnumerateArray().Select(t => t.GetString()!));
        Assert.Contains("white 0, deeper red larger", Json(NetworkCharts.HiddenUnits(relu, X, Y, resolution: 10)).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        // tanh units can be negative: the scale stays symmetric around a white 0.
        var tanh = Traces(NetworkCharts.HiddenUnits(Xor(), X, Y, resolution: 10)).First(t => t.GetProperty("type").GetString() == "heatmap");
        Assert.Equal(-1, tanh.GetProperty("zmin").GetDouble());
    }

    [Fact]
    public void Hidden_units_can_be_chosen_and_each_panel_shows_the_unit_it_names()
    {
        var (X, Y) = Samples.Clusters();
        var net = new Network([2, 5, 1], hidden: Activations.Tanh, initialization: Initialization.Xavier(seed: 2));
        var chart = NetworkCharts.HiddenUnits(net, X, Y, resolution: 10, units: [3, 1]);
        var heatmaps = Traces(chart).Where(t => t.GetProperty("type").GetString() == "heatmap").ToArray();
        Assert.Equal(2 + 1, heatmaps.Length);
        Assert.Equal(["unit 3", "unit 1", "output"], heatmaps.Select(h => h.GetProperty("name").GetString()!));
        // The first panel's bottom-left value is unit 3's activation there, not unit 0's.
        var point = Matrix<double>.Build.DenseOfArray(new double[,] { { heatmaps[0].GetProperty("x")[0].GetDouble() }, { heatmaps[0].GetProperty("y")[0].GetDouble() } });
        Assert.Equal(net.Forward(point).Caches[1].A[3, 0], heatmaps[0].GetProperty("customdata")[0][0].GetDouble(), 4);
        var layout = Json(chart).GetProperty("layout");
        var captions = layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToArray();
        Assert.StartsWith("unit 3: ", captions[0]);
        Assert.Contains($"w→out {(net.Layers[2].W[0, 3] >= 0 ? "+" : "−")}", captions[0]);
        Assert.StartsWith("What 2 of the 5 units of layer 1 compute", layout.GetProperty("title").GetProperty("text").GetString());

        Assert.Contains("units 0 … 4; 5 is not one of them", Assert.Throws<ArgumentOutOfRangeException>(() => NetworkCharts.HiddenUnits(net, X, units: [1, 5])).Message);
        Assert.Contains("unit 1 twice", Assert.Throws<ArgumentException>(() => NetworkCharts.HiddenUnits(net, X, units: [1, 2, 1])).Message);
        Assert.Contains("units is empty", Assert.Throws<ArgumentException>(() => NetworkCharts.HiddenUnits(net, X, units: [])).Message);
    }

    [Fact]
    public void Weight_images_lay_each_unit_row_out_as_a_picture_scaled_to_its_own_largest_weight()
    {
        var net = new Network([16, 3, 1], initialization: Initialization.He(seed: 2));
        var chart = NetworkCharts.WeightImages(net, count: 3, columns: 3);
        var trace = Traces(chart).Single();
        var z = trace.GetProperty("z").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray()).ToArray();
        int captionRows = 4, gap = 2, width = 4;
        var W = net.Layers[1].W;
        double max1 = W.Row(1).Enumerate().Max(Math.Abs);
        // Unit 1's pixel (row 2, column 3) is input 2·4 + 3 = 11.
        Assert.Equal(Math.Round(W[1, 11] / max1, 3), z[captionRows + 2][(width + gap) * 1 + 3]!.Value, 6);
        Assert.Equal(1.0, z.SelectMany(r => r).Where(v => v.HasValue).Max(v => Math.Abs(v!.Value)), 6);
        var captions = Json(chart).GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(3, captions.Length);
        Assert.StartsWith("unit 1 · max |w| ", captions[1]);
        Assert.Contains("not a square number", Assert.Throws<ArgumentException>(() => NetworkCharts.WeightImages(new Network([5, 2, 1]))).Message);
        Assert.Contains("need 4 values, but W1 is (4×5): its 5 columns (inputs) are 5", Assert.Throws<ShapeMismatchException>(
            () => NetworkCharts.WeightImages(Matrix<double>.Build.Dense(4, 5), "W1", width: 2, height: 2)).Message.Replace(" × ", "×"));
        var change = NetworkCharts.WeightImages(W - W, "ΔW1", count: 2);   // all zero: drawn white, not NaN
        Assert.Contains("ΔW1[0, 5] = 0", GenericChart.toJson(change));
        Assert.DoesNotContain("NaN", GenericChart.toJson(change));
    }
}
