using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NeuralNet.Runner;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// What the browser tests share, started once and ended at the end: the browser, the Jupyter server, and
/// the notebook runner's executed copies of the notebooks (the same runner as
/// <c>dotnet run --project src/NeuralNet.Runner</c>): those in artifacts/notebooks/ when this build's notebook
/// tests have just written them, else run on first need into artifacts/browser/executed/.
/// </summary>
public sealed class Workbook : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, Task<string>> _executed = new();
    private Browser? _browser;
    private JupyterServer? _jupyter;

    public static string ArtifactsFolder => Path.Combine(Tools.Root, "artifacts", "browser");

    public static string ScreenshotsFolder => Path.Combine(Tools.Root, "artifacts", "screenshots");

    /// <summary>Every notebook in notebooks/, by file name (a new one is picked up by itself).</summary>
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Tools.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    internal async Task<Browser> BrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _browser ??= await Browser.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task<JupyterServer> JupyterAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _jupyter ??= await JupyterServer.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The runner's executed copy of a notebook (its path under notebooks/, e.g. solutions/03-….ipynb), run once per test session.</summary>
    internal Task<string> ExecutedCopyAsync(string notebook) => _executed.GetOrAdd(notebook, RunAsync);

    private static async Task<string> RunAsync(string notebook)
    {
        // The notebook tests (same runner) may have just written it: reuse a copy newer than the notebook and
        // than this build of the library and the runner, holding no error output. Else run it here.
        var fresh = Path.Combine(Tools.Root, "artifacts", "notebooks", notebook);
        if (IsFresh(fresh, notebook))
        {
            Report($"reused  {notebook}: the executed copy in artifacts/notebooks/ (written by this build's notebook tests or runner)");
            return fresh;
        }
        string output = Path.Combine(ArtifactsFolder, "executed");
        var runner = new NotebookRunner(new NotebookRunnerOptions
        {
            OutputDirectory = Path.Combine(output, Path.GetDirectoryName(notebook) ?? ""),
            ToolRoot = Tools.Root,
            CellTimeout = TimeSpan.FromMinutes(5),
        });
        var result = await runner.RunAsync(Path.Combine(Tools.Root, "notebooks", notebook));
        Assert.True(result.Succeeded, $"the runner could not run {notebook}: {result.Failure}");
        var path = Path.Combine(output, notebook);
        Assert.True(File.Exists(path), $"the runner wrote no executed copy {path}");
        return path;
    }

    private static bool IsFresh(string copy, string notebook)
    {
        if (!File.Exists(copy)) return false;
        var written = File.GetLastWriteTimeUtc(copy);
        string[] inputs =
        [
            Path.Combine(Tools.Root, "notebooks", notebook),
            Path.Combine(AppContext.BaseDirectory, "NeuralNet.dll"),
            Path.Combine(AppContext.BaseDirectory, "NeuralNet.Workbook.dll"),
            Path.Combine(AppContext.BaseDirectory, "NeuralNet.Interactive.dll"),
            typeof(NotebookRunner).Assembly.Location,
        ];
        if (inputs.Any(i => !File.Exists(i) || File.GetLastWriteTimeUtc(i) >= written)) return false;
        JsonArray cells;
        try
        {
            cells = JsonNode.Parse(File.ReadAllText(copy))?["cells"] as JsonArray ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return false;   // being written right now
        }
        return cells.Count > 0 && cells.All(c => (c?["outputs"] as JsonArray ?? []).All(o => o?["output_type"]?.GetValue<string>() != "error"));
    }

    /// <summary>The plotly figures a saved notebook's chart outputs draw (the figure in each chart's HTML), in order, with their cell.</summary>
    internal static List<(int Cell, JsonNode Figure)> Figures(string ipynb)
    {
        var figures = new List<(int, JsonNode)>();
        var cells = JsonNode.Parse(File.ReadAllText(ipynb))?["cells"] as JsonArray ?? [];
        for (int i = 0; i < cells.Count; i++)
            foreach (var output in cells[i]?["outputs"] as JsonArray ?? [])
                if (ChartScripts.FigureOf(output?["data"]?["text/html"]) is { } figure)
                    figures.Add((i, figure));
        return figures;
    }

    /// <summary>Adds a line to artifacts/browser/report.txt (what was expected and drawn, per notebook).</summary>
    internal static void Report(string line)
    {
        Directory.CreateDirectory(ArtifactsFolder);
        lock (typeof(Workbook))
            File.AppendAllText(Path.Combine(ArtifactsFolder, "report.txt"), $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_jupyter is not null) await _jupyter.DisposeAsync();
        if (_browser is not null) await _browser.DisposeAsync();
    }
}

/// <summary>The browser tests run one at a time (a kernel and a browser want most of the machine) and share one <see cref="Workbook"/>.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Workbook>
{
    public const string Name = "browser";
}

/// <summary>Names the page and the tests share.</summary>
internal static class ChartScripts
{
    /// <summary>The plotly figure's MIME type. Charts do not send it (ChartOutput says why); the wire test still counts an output holding it as a chart.</summary>
    public const string Mime = "application/vnd.plotly.v1+json";

    /// <summary>The figure a chart output's HTML draws (its script's <c>var figure = {…};</c>), or null for other HTML.</summary>
    public static JsonNode? FigureOf(JsonNode? html)
    {
        string text = html switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
            JsonValue value when value.TryGetValue(out string? s) => s,
            _ => "",
        };
        if (!text.Contains("class=\"nn-chart\"", StringComparison.Ordinal)) return null;
        const string Start = "var figure = ";
        int start = text.IndexOf(Start, StringComparison.Ordinal);
        int end = start < 0 ? -1 : text.IndexOf(";\n", start, StringComparison.Ordinal);
        return end < 0 ? null : JsonNode.Parse(text[(start + Start.Length)..end]);
    }

    /// <summary>
    /// JS: how many chart outputs the page shows (<c>.nn-chart</c> divs) and how many have drawn (plotly made the
    /// div a <c>.js-plotly-plot</c> with its SVG), with the titles of those that did not.
    /// </summary>
    public const string CountScript = """
        () => {
          const charts = Array.from(document.querySelectorAll('div.nn-chart'));
          const drawn = charts.filter(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg'));
          const waiting = charts.filter(d => d.querySelector('.nn-chart-waiting')).length;
          return { charts: charts.length, drawn: drawn.length, waiting };
        }
        """;
}
