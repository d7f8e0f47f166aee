using System.Text.Json;
using Microsoft.DotNet.Interactive.Formatting;
using NeuralNet.Interactive;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

/// <summary>
/// A chart's notebook output: text/html only (draws with the page's plotly.js, waiting for it); no plotly
/// JSON form, which the kernel sends to Jupyter as a string that JupyterLab's plotly renderer cannot read.
/// Whether it draws is proven in a real browser by tests/NeuralNet.Browser.Tests (WireTests feeds the kernel's
/// real messages to each front end's renderer); these pin the pieces.
/// </summary>
public class ChartOutputTests
{
    private static GenericChart Sample() => Charts.Cost(Samples.History(0.05, [0.7, 0.5, 0.25]));

    [Fact]
    public void Loading_the_library_registers_a_chart_as_html_only()
    {
        _ = Sample();   // the first use of the assembly runs KernelSetup's module initializer: no Register call here
        Assert.True(Formatters.IsRegistered);
        Assert.Equal([HtmlFormatter.MimeType], Formatter.GetPreferredMimeTypesFor(typeof(GenericChart)));

        var chart = Sample();
        var html = chart.ToDisplayString(HtmlFormatter.MimeType);
        Assert.StartsWith("<div id=\"nn-chart-", html);
        Assert.Contains("[0.7,0.5,0.25]", html);
        // The figure the script draws: data, layout and config, as plotly.js reads them.
        string json = html[(html.IndexOf("var figure = ", StringComparison.Ordinal) + 13)..html.IndexOf(";\n", html.IndexOf("var figure = ", StringComparison.Ordinal), StringComparison.Ordinal)];
        using var figure = JsonDocument.Parse(json);
        var root = figure.RootElement;
        Assert.Equal("scatter", root.GetProperty("data")[0].GetProperty("type").GetString());
        Assert.Equal([0.7, 0.5, 0.25], root.GetProperty("data")[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("layout").ValueKind);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("config").ValueKind);
    }

    [Fact]
    public void The_html_waits_for_window_Plotly_and_never_assumes_it()
    {
        var html = ChartOutput.Html(Sample());
        Assert.Contains("if (window.Plotly)", html);
        Assert.Contains("window.Plotly.newPlot(div, figure.data, figure.layout, figure.config)", html);
        Assert.Contains("setTimeout(draw, 50)", html);
        // Every call of plotly is behind the check: no bare "Plotly.newPlot(" as Plotly.NET's own HTML has.
        Assert.Equal(html.Split("Plotly.newPlot(").Length - 1, html.Split("window.Plotly.newPlot(").Length - 1);
        Assert.Contains("the notebook's setup cell (#load \\\"…/NeuralNet.csx\\\") puts in the page: run that cell.", html);
        // Where the script does not run (a saved notebook not trusted yet) the div says so; the script removes that line.
        Assert.Contains($"<p id=\"{Id(html)}-unrun\" class=\"nn-chart-unrun\" style=\"opacity:.7;font-size:90%\">{ChartOutput.UnrunNote}</p></div>", html);
        Assert.Contains("trust the notebook", ChartOutput.UnrunNote);
        Assert.Contains("var unrun = document.getElementById(id + \"-unrun\");", html);
        Assert.True(html.IndexOf("unrun.parentNode.removeChild(unrun)", StringComparison.Ordinal) < html.IndexOf("function draw()", StringComparison.Ordinal));
        // Two displays of one chart are two divs: each draws into its own.
        Assert.NotEqual(Id(html), Id(ChartOutput.Html(Sample())));

        static string Id(string html) => html[(html.IndexOf("id=\"", StringComparison.Ordinal) + 4)..html.IndexOf("\" class", StringComparison.Ordinal)];
    }

    [Fact]
    public void The_figure_leaves_out_empty_objects_which_set_nothing()
    {
        // A Plotly.NET line chart, as a notebook makes one, writes "marker": {}; Plotly.validate reports it as unused.
        var line = Plotly.NET.CSharp.Chart.Line<double, double, string>(new[] { 0.0, 1.0 }, new[] { 1.0, 2.0 }, Name: "sigmoid");
        Assert.Contains("\"marker\":{}", GenericChart.toJson(line));
        var figure = JsonDocument.Parse(ChartOutput.FigureJson(line)).RootElement;
        var trace = figure.GetProperty("data")[0];
        Assert.False(trace.TryGetProperty("marker", out _));
        Assert.Equal("sigmoid", trace.GetProperty("name").GetString());
        Assert.Equal([1.0, 2.0], trace.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        // What is left is written as it was: non-ASCII as it is, numbers unchanged.
        var chart = Charts.Heatmap(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new[,] { { 0.125, -1e-7 } }), "W₁");
        string json = ChartOutput.FigureJson(chart);
        Assert.Contains("W₁", json);
        Assert.Contains("0.125", json);
    }

    [Fact]
    public void A_title_holding_a_closing_script_tag_cannot_end_the_script()
    {
        var chart = NeuralNet.Interactive.Figure.Chart([new ScatterTrace { Y = new[] { 1.0, 2.0 } }], new ChartLayout { Title = new NeuralNet.Interactive.Title("</script><b>x</b>") });
        var html = ChartOutput.Html(chart);
        Assert.Equal(1, html.Split("</script>").Length - 1);
        Assert.Contains("<\\/script>", html);
    }

    [Fact]
    public void The_loader_carries_plotly_js_from_Plotly_NET_once_and_hides_require_js()
    {
        Assert.Equal(Globals.PLOTLYJS_VERSION, ChartOutput.PlotlyJsVersion);
        Assert.True(ChartOutput.PlotlyJs.Length > 1_000_000, "the whole minified plotly.js");
        Assert.Contains("plotly.js v" + ChartOutput.PlotlyJsVersion, ChartOutput.PlotlyJs[..200]);

        var loader = ChartOutput.PlotlyJsLoaderHtml();
        Assert.Contains("if (!window.Plotly) {\n(function (define, module, exports) {\n", loader);
        Assert.Contains("}).call(window);", loader);
        Assert.Contains(ChartOutput.PlotlyJs[..1000], loader);
        Assert.Contains("trust the notebook", loader);
        Assert.Equal(1, loader.Split("</script>").Length - 1);
    }
}
