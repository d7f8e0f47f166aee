using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The notebooks as saved with their outputs (the runner's executed copies, what
/// <c>dotnet run --project src/NeuralNet.Runner</c> writes): exported to HTML with
/// <c>jupyter nbconvert --to html</c> and opened from disk with the network cut off, every chart draws;
/// without the setup cell's plotly.js none does, and each says how to get it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SavedNotebookTests(Workbook workbook, ITestOutputHelper output)
{
    [BrowserTheory]
    [MemberData(nameof(Workbook.Notebooks), MemberType = typeof(Workbook))]
    public async Task Every_chart_of_the_executed_copy_draws_in_its_HTML_export_offline(string notebook)
    {
        var ipynb = await workbook.ExecutedCopyAsync(notebook);
        var figures = Workbook.Figures(ipynb);
        var html = await ExportAsync(ipynb, Path.Combine(Workbook.ArtifactsFolder, "html"));

        var browser = await workbook.BrowserAsync();
        await using var watched = await browser.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(html).AbsoluteUri, new PageGotoOptions { Timeout = 60_000 });
        var counts = await JupyterNotebookTests.WaitForChartsAsync(watched.Page, figures.Count);
        string summary = $"export  {notebook}: {figures.Count} figures saved, {counts.Charts} chart divs, {counts.Drawn} drawn";
        output.WriteLine(summary);
        Workbook.Report(summary);
        Directory.CreateDirectory(Workbook.ScreenshotsFolder);
        await watched.Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Workbook.ScreenshotsFolder, Path.GetFileNameWithoutExtension(notebook) + ".html-export.png"),
            FullPage = true,
        });

        Assert.True(counts.Charts == figures.Count && counts.Drawn == figures.Count,
            $"{notebook}: {figures.Count} figures in the saved notebook, {counts.Charts} chart divs in its HTML export, {counts.Drawn} drawn, {counts.Waiting} waiting for plotly.js");
        if (JupyterNotebookTests.NotebookSource(notebook) is var code
            && (code.Contains("Charts.", StringComparison.Ordinal) || code.Contains("LiveTraining.", StringComparison.Ordinal)))
            Assert.True(figures.Count > 0, $"{notebook} draws charts, but its executed copy holds no chart output");
        watched.AssertClean(notebook + " (HTML export)");
    }

    [BrowserFact]
    public async Task Without_the_setup_cells_plotly_js_no_chart_draws_and_each_says_how_to_load_it()
    {
        // The control: the same export with the setup cell's plotly.js output taken out.
        var ipynb = await workbook.ExecutedCopyAsync("00-start-here.ipynb");
        var notebook = JsonNode.Parse(File.ReadAllText(ipynb))!;
        int removed = 0;
        foreach (var cell in notebook["cells"]!.AsArray())
        {
            if (cell?["outputs"] is not JsonArray outputs) continue;
            foreach (var loader in outputs.Where(o => HtmlOf(o).Contains("nn-plotly-loader", StringComparison.Ordinal)).ToList())
            {
                outputs.Remove(loader);
                removed++;
            }
        }
        Assert.Equal(1, removed);   // plotly.js reaches the page once, from the setup cell
        string folder = Path.Combine(Workbook.ArtifactsFolder, "without-plotly-js");
        Directory.CreateDirectory(folder);
        var stripped = Path.Combine(folder, "00-start-here.ipynb");
        File.WriteAllText(stripped, notebook.ToJsonString());
        var html = await ExportAsync(stripped, folder);

        var browser = await workbook.BrowserAsync();
        await using var watched = await browser.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(html).AbsoluteUri);
        int expected = Workbook.Figures(ipynb).Count;
        Assert.True(expected > 0);
        await watched.Page.WaitForFunctionAsync($"() => document.querySelectorAll('div.nn-chart .nn-chart-waiting').length >= {expected}",
            null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 100 });
        var counts = await watched.Page.EvaluateAsync<JsonElement>(ChartScripts.CountScript);
        Assert.Equal(expected, counts.GetProperty("charts").GetInt32());
        Assert.Equal(0, counts.GetProperty("drawn").GetInt32());
        Assert.Contains("run that cell", await watched.Page.InnerTextAsync("div.nn-chart .nn-chart-waiting"));
        watched.AssertClean("00-start-here without plotly.js");
    }

    private static string HtmlOf(JsonNode? output) => output?["data"]?["text/html"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    /// <summary><c>jupyter nbconvert --to html</c>: the export a student shares; returns the HTML file's path.</summary>
    private static async Task<string> ExportAsync(string ipynb, string folder)
    {
        Directory.CreateDirectory(folder);
        await JupyterServer.RunAsync(Tools.JupyterNbconvert!, ["--to", "html", ipynb, "--output-dir", folder], folder, TimeSpan.FromMinutes(2));
        var html = Path.Combine(folder, Path.GetFileNameWithoutExtension(ipynb) + ".html");
        Assert.True(File.Exists(html), $"nbconvert wrote no {html}");
        return html;
    }
}
