using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Interactive;
using NeuralNet.Training;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

public class ChartTests
{
    private static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static JsonElement[] Traces(GenericChart chart) => Json(chart).GetProperty("data").EnumerateArray().ToArray();

    private static string Title(GenericChart chart) => Json(chart).GetProperty("layout").GetProperty("title").GetProperty("text").GetString()!;

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Fact]
    public void Cost_overlays_runs_with_their_labels_validation_and_learning_rates()
    {
        var a = Samples.History(0.05, [0.7, 0.5, 0.3, 0.2], validationEvery: 2);
        var b = Samples.History(0.5, [0.6, 0.4, 0.35, 0.1]);
        b.Label = "fast";
        var chart = Charts.Cost(a, b);

        var traces = Traces(chart);
        Assert.Equal(3, traces.Length);                                  // a, a validation, b
        Assert.Equal("α = 0.05", traces[0].GetProperty("name").GetString()!);
        Assert.Equal("α = 0.05 validation", traces[1].GetProperty("name").GetString()!);
        Assert.Equal("fast", traces[2].GetProperty("name").GetString()!);
        Assert.Equal([0.7, 0.5, 0.3, 0.2], Numbers(traces[0].GetProperty("y")));
        Assert.Equal([1.0, 2, 3, 4], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([2.0, 4], Numbers(traces[1].GetProperty("x")));
        Assert.Equal("dash", traces[1].GetProperty("line").GetProperty("dash").GetString()!);
        Assert.Contains("α = 0.05, 0.5", Title(chart));
        Assert.Contains("0.35", Charts.ToHtml(chart));
    }

    [Fact]
    public void A_single_run_is_named_training_and_validation_and_accuracy_is_zoomed_to_its_values()
    {
        var chart = Charts.Accuracy(Samples.History(0.05, [0.7, 0.5, 0.3, 0.2], validationEvery: 2));
        var traces = Traces(chart);
        Assert.Equal(["training", "validation"], traces.Select(t => t.GetProperty("name").GetString()!));
        Assert.Equal([0.3, 0.5, 0.7, 0.8], Numbers(traces[0].GetProperty("y")), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal("Accuracy — learning rate α = 0.05", Title(chart));
        // Lowest accuracy drawn: 0.3 (training, epoch 1), a round tenth → the axis starts a tenth below, at 0.2.
        Assert.Equal([0.2, 1.01], Numbers(Json(chart).GetProperty("layout").GetProperty("yaxis").GetProperty("range")), (x, y) => Math.Abs(x - y) < 1e-12);
        var high = Charts.Accuracy(Samples.History(0.05, [0.12, 0.1, 0.05]));
        Assert.Equal([0.8, 1.01], Numbers(Json(high).GetProperty("layout").GetProperty("yaxis").GetProperty("range")), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void The_x_axis_says_iteration_for_full_batch_runs_and_epoch_with_its_steps_for_mini_batches()
    {
        string XTitle(GenericChart c) => Json(c).GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString()!;
        var fullBatch = Samples.History(0.05, [0.7, 0.5]);
        var batches = new TrainingHistory(0.01) { StepsPerEpoch = 13 };
        batches.Add(0.6, 0.7);
        var other = new TrainingHistory(0.01) { StepsPerEpoch = 32 };
        other.Add(0.6, 0.7);
        Assert.StartsWith("iteration (one gradient step on all", XTitle(Charts.Cost(fullBatch)));
        Assert.Equal("epoch (one pass over the training samples: 13 mini-batch steps)", XTitle(Charts.Cost(batches)));
        Assert.Equal("epoch (one pass over the training samples: 1 or 13 steps, by run)", XTitle(Charts.Cost(fullBatch, batches)));
        Assert.Equal("epoch (one pass over the training samples: 13 or 32 steps, by run)", XTitle(Charts.CostAndAccuracy(batches, other)));
        Assert.Contains("epoch %{x}", Traces(Charts.Cost(batches))[0].GetProperty("hovertemplate").GetString()!);
        Assert.Contains("iteration %{x}", Traces(Charts.Cost(fullBatch))[0].GetProperty("hovertemplate").GetString()!);
    }

    [Fact]
    public void Training_records_how_many_steps_an_epoch_took()
    {
        var (X, Y) = Samples.Clusters();                                  // 40 samples
        Assert.Equal(1, new Trainer(new Network([2, 3, 1])).Train(X, Y, new TrainingOptions { Epochs = 1 }).StepsPerEpoch);
        Assert.Equal(3, new Trainer(new Network([2, 3, 1])).Train(X, Y, new TrainingOptions { Epochs = 1, BatchSize = 16 }).StepsPerEpoch);   // 16 + 16 + 8
        Assert.Equal(1, new Trainer(new Network([2, 3, 1])).Train(X, Y, new TrainingOptions { Epochs = 1, BatchSize = 100 }).StepsPerEpoch);
    }

    [Fact]
    public void Non_finite_costs_become_gaps_not_invalid_json()
    {
        var chart = Charts.Cost(Samples.History(1, [0.5, double.NaN, double.PositiveInfinity]));
        var y = Traces(chart)[0].GetProperty("y").EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, y[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, y[2].ValueKind);
    }

    [Fact]
    public void Training_stacks_cost_over_accuracy_on_one_x_axis_titled_with_the_learning_rate()
    {
        var chart = Charts.Training(Samples.History(0.05, [0.7, 0.5, 0.3]));
        var layout = Json(chart).GetProperty("layout");
        var traces = Traces(chart);
        Assert.Equal(["y", "y2"], traces.Select(t => t.GetProperty("yaxis").GetString()!));
        Assert.All(traces, t => Assert.Equal("x", t.GetProperty("xaxis").GetString()!));
        Assert.Equal("Loss and accuracy — learning rate α = 0.05", Title(chart));
        Assert.False(layout.TryGetProperty("xaxis2", out _));
    }

    [Fact]
    public void Cost_and_accuracy_are_two_stacked_panels_not_two_y_axes()
    {
        var a = Samples.History(0.1, [0.6, 0.4, 0.3], validationEvery: 1);
        var chart = Charts.CostAndAccuracy(a);
        var traces = Traces(chart);
        var layout = Json(chart).GetProperty("layout");
        Assert.Equal(["y", "y", "y2", "y2"], traces.Select(t => t.GetProperty("yaxis").GetString()!));
        Assert.Equal(["training", "validation", "training", "validation"], traces.Select(t => t.GetProperty("name").GetString()!));
        Assert.Equal([true, true, false, false], traces.Select(t => t.GetProperty("showlegend").GetBoolean()));   // one legend entry per curve pair
        var cost = layout.GetProperty("yaxis");
        var accuracy = layout.GetProperty("yaxis2");
        Assert.False(accuracy.TryGetProperty("overlaying", out _));
        Assert.True(Numbers(cost.GetProperty("domain"))[0] > Numbers(accuracy.GetProperty("domain"))[1], "cost above accuracy, not overlapping");
        Assert.Equal("y2", layout.GetProperty("xaxis").GetProperty("anchor").GetString()!);   // the one x axis, under the lower panel
        Assert.Equal("cost J", cost.GetProperty("title").GetProperty("text").GetString()!);
        Assert.Equal("accuracy", accuracy.GetProperty("title").GetProperty("text").GetString()!);
    }

    [Fact]
    public void Live_curves_are_stacked_panels_over_the_whole_run_with_the_unit_in_the_title()
    {
        var h = new TrainingHistory(0.001) { StepsPerEpoch = 32 };
        h.Add(1.1, 0.6);
        var chart = Charts.LiveCurves(new TrainingProgress(1, 20, 1.1, 0.6, null, null, h), []);
        var layout = Json(chart).GetProperty("layout");
        Assert.StartsWith("Training — epoch 1 / 20", Title(chart));
        Assert.Equal([1.0, 20], Numbers(layout.GetProperty("xaxis").GetProperty("range")));
        Assert.Equal(["y", "y2"], Traces(chart).Select(t => t.GetProperty("yaxis").GetString()!));
        Assert.StartsWith("Training — iteration 3 / 9", Title(Charts.LiveCurves(Samples.Progress(3, 9, Samples.History(0.5, [0.7, 0.6, 0.5])), [])));
    }

    [Fact]
    public void A_live_run_equal_to_the_run_it_is_compared_with_still_shows_both()
    {
        // Notebook 3: the student's network equals the library's to 2e-16, so a solid library line drawn first was hidden under theirs.
        var yours = Samples.History(0.5, [0.7, 0.6, 0.5]);
        yours.Label = "your network";
        var library = Samples.History(0.5, [0.7, 0.6, 0.5]);
        library.Label = "the library";
        var traces = Traces(Charts.LiveCurves(Samples.Progress(3, 3, yours), [library]));
        Assert.Equal(["your network", "your network", "the library", "the library"], traces.Select(t => t.GetProperty("name").GetString()!));
        Assert.All(traces[..2], t => Assert.False(t.GetProperty("line").TryGetProperty("dash", out _)));
        Assert.All(traces[2..], t => Assert.Equal("dot", t.GetProperty("line").GetProperty("dash").GetString()));
    }

    [Fact]
    public void Accuracy_panels_give_each_run_its_own_panel_on_one_shared_zoomed_axis()
    {
        var a = Samples.History(0.001, [0.1, 0.05, 0.02, 0.01], validationEvery: 2);
        a.Label = "no regularisation";
        var b = Samples.History(0.001, [0.2, 0.15, 0.12, 0.1], validationEvery: 2);
        b.Label = "L2 + dropout";
        var chart = Charts.AccuracyPanels(a, b);
        var traces = Traces(chart);
        var layout = Json(chart).GetProperty("layout");
        Assert.Equal(["y", "y", "y2", "y2"], traces.Select(t => t.GetProperty("yaxis").GetString()!));
        Assert.Equal(["x", "x", "x2", "x2"], traces.Select(t => t.GetProperty("xaxis").GetString()!));
        var annotations = layout.GetProperty("annotations").EnumerateArray().Select(x => x.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(["<b>no regularisation</b>", "<b>L2 + dropout</b>"], annotations);
        // Lowest value drawn is b's validation accuracy at epoch 2: 0.9 − 0.15 = 0.75 → both panels from 0.7.
        Assert.Equal([0.7, 1.01], Numbers(layout.GetProperty("yaxis").GetProperty("range")), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(Numbers(layout.GetProperty("yaxis").GetProperty("range")), Numbers(layout.GetProperty("yaxis2").GetProperty("range")));
        var xDomain = Numbers(layout.GetProperty("xaxis").GetProperty("domain"));
        var x2Domain = Numbers(layout.GetProperty("xaxis2").GetProperty("domain"));
        Assert.True(xDomain[1] < x2Domain[0], "side by side, not overlapping");
    }

    [Fact]
    public void Decision_boundary_shows_probabilities_the_half_contour_and_both_classes()
    {
        var (X, Y) = Samples.Clusters();
        var net = new Network([2, 3, 1], hidden: Activations.Tanh);
        new Trainer(net).Train(X, Y, new TrainingOptions { Optimizer = new Sgd(0.5), Epochs = 300 });
        var chart = Charts.DecisionBoundary(net, X, Y, resolution: 20);

        var traces = Traces(chart);
        Assert.Equal(["contour", "contour", "scatter", "scatter"], traces.Select(t => t.GetProperty("type").GetString()!));
        var z = traces[0].GetProperty("z").EnumerateArray().Select(Numbers).ToArray();
        Assert.Equal(20, z.Length);
        Assert.All(z, row => Assert.Equal(20, row.Length));
        Assert.All(z.SelectMany(r => r), p => Assert.InRange(p, 0, 1));
        Assert.Equal(0.5, traces[1].GetProperty("contours").GetProperty("start").GetDouble());
        Assert.Equal(["class 0", "class 1"], traces.Skip(2).Select(t => t.GetProperty("name").GetString()!));
        Assert.Equal(20, traces[2].GetProperty("x").GetArrayLength());
        Assert.Equal("Decision boundary — training accuracy 100.0%", Title(chart));
        // The bottom-left corner is class 0's side, the top-right class 1's.
        Assert.True(z[0][0] < 0.5 && z[19][19] > 0.5);
    }

    [Fact]
    public void Decision_boundary_needs_two_inputs()
    {
        var net = new Network([3, 1]);
        var e = Assert.Throws<ArgumentException>(() => Charts.DecisionBoundary(net, Matrix<double>.Build.Dense(3, 4)));
        Assert.Contains("2 inputs", e.Message);
    }

    [Fact]
    public void A_sample_that_is_not_a_point_of_the_plane_is_named_wherever_it_is()
    {
        // Not only the first value: Minimum and Maximum pass over a NaN further on, and the chart was drawn without it.
        var net = new Network([2, 3, 1], initialization: Initialization.He(seed: 1));
        var x = Matrix<double>.Build.Dense(2, 6, (i, j) => 0.1 * (i + j + 1));
        x[0, 3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => Charts.DecisionBoundary(net, x));
        Assert.StartsWith("X[0, 3] (x₁ of sample 3) is NaN: a decision boundary needs finite coordinates.", e.Message);
        x[0, 3] = 0.5;
        x[1, 5] = double.PositiveInfinity;
        e = Assert.Throws<ArgumentException>(() => NetworkCharts.HiddenUnits(net, x));
        Assert.StartsWith("X[1, 5] (x₂ of sample 5) is Infinity:", e.Message);
    }

    [Fact]
    public void Heatmap_is_centred_at_zero_with_the_shape_in_the_title()
    {
        var w = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, -2 }, { 0.5, 3 }, { 0, -1 } });
        var chart = Charts.Heatmap(w, "W1");
        var trace = Traces(chart).Single();
        Assert.Equal("heatmap", trace.GetProperty("type").GetString()!);
        // Centred at 0 by a symmetric range (plotly.js ignores zmid next to zmin and zmax, so none is written).
        Assert.Equal(-3, trace.GetProperty("zmin").GetDouble());
        Assert.Equal(3, trace.GetProperty("zmax").GetDouble());
        Assert.False(trace.TryGetProperty("zmid", out _));
        Assert.Equal([0.5, 3], Numbers(trace.GetProperty("z")[1]));
        Assert.Equal("W1 (3 × 2)", Title(chart));
        Assert.Equal("reversed", Json(chart).GetProperty("layout").GetProperty("yaxis").GetProperty("autorange").GetString()!);
        Assert.Equal("W1 (4 × 2)", Title(Charts.Weights(new Network([2, 4, 1]), 1)));
        // Cells sit on whole numbers, so ticks do too (no −0.5, 0.5, 1.5 between two columns).
        var xaxis = Json(chart).GetProperty("layout").GetProperty("xaxis");
        Assert.Equal("linear", xaxis.GetProperty("tickmode").GetString()!);
        Assert.Equal(1, xaxis.GetProperty("dtick").GetInt32());
        Assert.Equal(0, xaxis.GetProperty("tick0").GetInt32());
        Assert.Equal(79, Json(Charts.Heatmap(Matrix<double>.Build.Dense(3, 784))).GetProperty("layout").GetProperty("xaxis").GetProperty("dtick").GetInt32());
        var titled = Json(Charts.Weights(new Network([2, 4, 1]), 1)).GetProperty("layout");
        Assert.Equal("input j", titled.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString()!);
        Assert.Equal("unit i of layer 1", titled.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString()!);
        Assert.Equal("W1 before the step (3 × 2)", Title(Charts.Heatmap(w, "W1", title: "W1 before the step")));
    }

    [Fact]
    public void Images_lay_columns_out_as_a_captioned_mosaic()
    {
        // Three 2 × 2 images; image j's pixel (r, c) = 10·j + 2r + c, stored row-major in column j.
        var X = Matrix<double>.Build.Dense(4, 3, (i, j) => 10 * j + i);
        var chart = Charts.Images(X, count: 3, columns: 2, captions: ["T-shirt", "Bag", "Shoe"]);
        var json = Json(chart);
        var trace = Traces(chart).Single();
        var captions = json.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()!);
        Assert.Equal(["T-shirt", "Bag", "Shoe"], captions);
        var z = trace.GetProperty("z").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray()).ToArray();
        var pixels = z.SelectMany(r => r).Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        Assert.Equal(X.Enumerate().Order().ToArray(), pixels);        // every pixel once, nothing else
        // Image 1 (second in the first grid row) has pixel (0, 1) = 11 just right of pixel (0, 0) = 10.
        int row = Array.FindIndex(z, r => r.Contains(10.0));
        Assert.Equal(11.0, z[row][Array.IndexOf(z[row], 10.0) + 1]);
        Assert.Equal(12.0, z[row + 1][Array.IndexOf(z[row], 10.0)]);
        Assert.Throws<ArgumentException>(() => Charts.Images(Matrix<double>.Build.Dense(5, 2)));
        // Given sizes must cover the rows exactly; the error names the matrix and both counts.
        var mismatch = Assert.Throws<ShapeMismatchException>(() => Charts.Images(Matrix<double>.Build.Dense(12, 2), width: 3, height: 3));
        Assert.Contains("need 9 values, but X is (12×2): its 12 rows are 12", mismatch.Message.Replace(" × ", "×"));
        // One 28 × 28 picture alone is drawn large enough to see: 8 screen pixels per image pixel.
        var one = Json(Charts.Images(Matrix<double>.Build.Dense(784, 1), count: 1)).GetProperty("layout");
        Assert.True(one.GetProperty("width").GetInt32() >= 224, $"one picture is {one.GetProperty("width").GetInt32()} px wide");
    }

    [Fact]
    public void A_standalone_page_embeds_plotly_js_and_says_it_is_utf8()
    {
        var chart = Charts.Cost(Samples.History(0.05, [0.7, 0.5]));
        var path = Path.Combine(Path.GetTempPath(), $"nn-chart-{Guid.NewGuid():N}", "cost.html");
        try
        {
            var written = Charts.ToHtmlFile(chart, path);
            var html = File.ReadAllText(written);
            Assert.Contains("<meta charset=\"utf-8\">", html);
            Assert.Contains("<title>Cost — learning rate α = 0.05</title>", html);
            Assert.DoesNotContain("src=\"https://cdn.plot.ly", html);
            Assert.True(html.Length > 1_000_000, "plotly.js is inline");
            Assert.Contains("Plotly.newPlot", html);
            Assert.Contains("0.7", html);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        var small = Charts.ToHtmlPage(chart, embedPlotlyJs: false);
        Assert.Contains("src=\"https://cdn.plot.ly/plotly-", small);
        Assert.True(small.Length < 100_000);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_page_is_written_atomically_keeping_the_permissions_and_a_folder_is_refused()
    {
        var chart = Charts.Cost(Samples.History(0.05, [0.7, 0.5]));
        string dir = Directory.CreateTempSubdirectory("nn-chart-safe-").FullName;
        try
        {
            string page = Path.Combine(dir, "history.html"), other = Path.Combine(dir, "other-link.html");
            File.WriteAllText(page, "old page");
            File.SetUnixFileMode(page, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            using (var ln = System.Diagnostics.Process.Start("ln", [page, other])) ln.WaitForExit();   // a hard link sees writes made in place
            Assert.Equal(page, Charts.ToHtmlFile(chart, page));
            Assert.Contains("Plotly.newPlot", File.ReadAllText(page));
            Assert.Equal("old page", File.ReadAllText(other));   // a new file was renamed over the old one: not written in place
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(page));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            string folder = Directory.CreateDirectory(Path.Combine(dir, "charts")).FullName;
            var e = Assert.Throws<IOException>(() => Charts.ToHtmlFile(chart, folder));
            Assert.StartsWith($"{folder} is a folder ({folder}), not a file; give a file name, e.g. {Path.Combine(folder, "chart.html")}.", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
