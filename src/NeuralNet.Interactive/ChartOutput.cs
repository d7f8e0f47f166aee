using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// What a chart looks like as notebook output: one <c>text/html</c> display (<see cref="Html"/>), a div and a script
/// that draws the figure into it with the page's plotly.js as soon as <c>window.Plotly</c> exists. plotly.js itself
/// reaches the page once, from the setup cell (<see cref="PlotlyJsLoaderHtml"/>, shown by <see cref="KernelSetup.Install"/>):
/// the copy Plotly.NET ships inside its DLL, so nothing is fetched from the internet.
/// </summary>
/// <remarks>
/// <para>HTML is the one form every front end receives intact and draws: VS Code (the Jupyter extension or Polyglot
/// Notebooks), JupyterLab 4 and Notebook 7 with or without plotly's extension, the classic Notebook and an nbconvert
/// export. A chart sends no <c>application/vnd.plotly.v1+json</c> form: the pinned kernel (1.0.712001) sends every
/// MIME type but <c>application/json</c> to Jupyter as a string, and the renderer <c>pip install plotly</c> adds to
/// JupyterLab (jupyterlab-plotly), which outranks HTML, reads that form as an object and throws on a string, so
/// not one chart drew there; it would also not redraw a live chart's updates. tests/NeuralNet.Browser.Tests/WireTests
/// feeds the kernel's real messages to each front end's renderer.</para>
/// <para>Jupyter Notebook and JupyterLab run an output's script only in a trusted notebook (one you ran yourself
/// in this session, or trusted with File ▸ Trust Notebook); an HTML export (<c>jupyter nbconvert --to html</c>)
/// always runs them.</para>
/// </remarks>
public static class ChartOutput
{
    /// <summary>The CSS class of every chart's div (the loader's status line has <c>nn-plotly-loader</c>).</summary>
    public const string CssClass = "nn-chart";

    /// <summary>What a chart shows where its script has not run (it removes the line when it runs).</summary>
    public const string UnrunNote = "This chart is drawn by a script that has not run: in Jupyter, trust the notebook (File ▸ Trust Notebook).";

    /// <summary>How long (ms) a chart waits for plotly.js before it says how to load it (it keeps waiting).</summary>
    public const int PatienceMs = 5000;

    private static readonly Lazy<(string Version, string Source)> PlotlyJsResource = new(ReadPlotlyJs);

    /// <summary>The version of plotly.js Plotly.NET ships (and the notebooks load), e.g. 2.28.0.</summary>
    public static string PlotlyJsVersion => PlotlyJsResource.Value.Version;

    /// <summary>plotly.js itself (minified, about 3.6 MB): the copy embedded in Plotly.NET.dll.</summary>
    public static string PlotlyJs => PlotlyJsResource.Value.Source;

    /// <summary>
    /// The figure as plotly.js reads it: <c>{"data":[…],"layout":{…},"config":{…}}</c>, without empty objects
    /// in its traces and layout. An empty object sets nothing, but Plotly.NET writes some (a line chart's
    /// <c>"marker": {}</c>), and <c>Plotly.validate</c> reports each as a container plotly.js did not use.
    /// </summary>
    public static string FigureJson(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var figure = JsonNode.Parse(GenericChart.toJson(chart))!;
        DropEmptyObjects(figure["data"]);
        DropEmptyObjects(figure["layout"]);
        return figure.ToJsonString(JsonOptions);
    }

    // Non-ASCII (α, ₁, −) as it is, as Plotly.NET writes it; Html() makes "</" safe inside the script.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void DropEmptyObjects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToArray())
                {
                    DropEmptyObjects(value);
                    if (value is JsonObject { Count: 0 }) obj.Remove(key);
                }
                break;
            case JsonArray array:
                foreach (var item in array) DropEmptyObjects(item);
                break;
        }
    }

    /// <summary>
    /// The chart as an HTML fragment: a div, and a script that draws the figure into it once
    /// <c>window.Plotly</c> exists (at once in a page that has it; else as soon as the setup cell's
    /// plotly.js arrives). After <see cref="PatienceMs"/> without plotly.js the div says how to load it.
    /// Until the script runs the div holds a line saying what to do (<see cref="UnrunNote"/>): where
    /// scripts do not run (a saved notebook not yet trusted, a viewer that runs none) that is what shows.
    /// </summary>
    public static string Html(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string id = "nn-chart-" + Guid.NewGuid().ToString("N");
        // Inside a <script>, "</" could end the script early (a title holding "</script>"): write it as "<\/".
        string figure = FigureJson(chart).Replace("</", "<\\/", StringComparison.Ordinal);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture,
            $"<div id=\"{id}\" class=\"{CssClass}\"><p id=\"{id}-unrun\" class=\"nn-chart-unrun\" style=\"opacity:.7;font-size:90%\">{UnrunNote}</p></div>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\n");
        html.Append("  var figure = ").Append(figure).Append(";\n");
        html.Append(CultureInfo.InvariantCulture, $$"""
              var id = "{{id}}", waited = 0;
              var unrun = document.getElementById(id + "-unrun");  // the script runs: its note goes
              if (unrun) unrun.parentNode.removeChild(unrun);
              function draw() {
                var div = document.getElementById(id);
                if (!div) return;  // the output was cleared or replaced
                if (window.Plotly) {
                  var note = div.querySelector(".nn-chart-waiting");
                  if (note) div.removeChild(note);
                  window.Plotly.newPlot(div, figure.data, figure.layout, figure.config);
                  return;
                }
                waited += 50;
                if (waited === {{PatienceMs}}) {
                  var p = document.createElement("p");
                  p.className = "nn-chart-waiting";
                  p.textContent = "This chart is waiting for plotly.js, which the notebook's setup cell (#load \"…/NeuralNet.csx\") puts in the page: run that cell.";
                  div.appendChild(p);
                }
                setTimeout(draw, 50);
              }
              draw();
            })();
            </script>
            """);
        return html.ToString();
    }

    /// <summary>
    /// The setup cell's output: plotly.js, run only when the page has no <c>window.Plotly</c> yet, and a
    /// line saying whether it ran. The script hides require.js's <c>define</c> from plotly.js, which would
    /// otherwise register itself as an anonymous AMD module (Jupyter Notebook has require.js) instead of
    /// setting <c>window.Plotly</c>.
    /// </summary>
    public static string PlotlyJsLoaderHtml()
    {
        string id = "nn-plotly-loader-" + Guid.NewGuid().ToString("N");
        string version = PlotlyJsVersion;
        var html = new StringBuilder(PlotlyJs.Length + 2048);
        html.Append(CultureInfo.InvariantCulture,
            $"<div id=\"{id}\" class=\"nn-plotly-loader\" style=\"opacity:.7;font-size:90%\">Charts: this output's script puts plotly.js {version} in the page. It has not run: in Jupyter, trust the notebook (File ▸ Trust Notebook) and run this cell again.</div>\n");
        html.Append("<script type=\"text/javascript\">\n");
        html.Append("if (!window.Plotly) {\n(function (define, module, exports) {\n");
        // A minified library never holds "</script" in code, but make sure it cannot end our tag.
        html.Append(PlotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));
        html.Append("\n}).call(window);\n}\n");
        html.Append(CultureInfo.InvariantCulture, $$"""
            (function () {
              var note = document.getElementById("{{id}}");
              if (note) note.textContent = window.Plotly
                ? "Charts: plotly.js " + window.Plotly.version + " is loaded in this page (offline, the copy Plotly.NET ships)."
                : "Charts: plotly.js could not be loaded into this page (see the browser console).";
            })();
            </script>
            """);
        return html.ToString();
    }

    private static (string Version, string Source) ReadPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .Where(n => n.Contains("plotly", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => n, StringComparer.Ordinal)
            .LastOrDefault()
            ?? throw new InvalidOperationException(
                $"{assembly.GetName().Name} {assembly.GetName().Version} holds no plotly*.min.js resource; resources: "
                + string.Join(", ", assembly.GetManifestResourceNames()));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string source = reader.ReadToEnd();
        return (Globals.PLOTLYJS_VERSION, source);
    }
}
