using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The notebooks draw with the plotly.js Plotly.NET ships (2.28.0, from the setup cell). Every figure the runner's
/// executed copies hold must also draw with plotly.js 3 (npm plotly.js-dist-min), the major version today's plotly
/// renderers bundle and a Plotly.NET update brings, in a bare page, every trace, without errors, and
/// <c>Plotly.validate</c> must find nothing in it: an attribute plotly.js ignores (a misspelt or misplaced one, a
/// value out of range) draws silently wrong, so each one fails the test.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlotlyJs3Tests(Workbook workbook, ITestOutputHelper output)
{
    private const string Draw = """
        async (json) => {
          const figure = JSON.parse(json);
          const div = document.createElement('div');
          document.body.appendChild(div);
          await Plotly.newPlot(div, figure.data, figure.layout || {}, figure.config || {});
          const title = figure.layout && figure.layout.title && figure.layout.title.text;
          const drawnTitle = div.querySelector('.gtitle');
          return {
            svg: !!div.querySelector('svg.main-svg'),
            traces: (div._fullData || []).filter(t => t.visible !== false).length,
            expected: figure.data.filter(t => t.visible !== false).length,
            title: title || '',
            drawnTitle: drawnTitle ? drawnTitle.textContent : '',
            invalid: (Plotly.validate(figure.data, figure.layout) || []).map(e => e.msg)
          };
        }
        """;

    [PlotlyJs3Theory]
    [MemberData(nameof(Workbook.Notebooks), MemberType = typeof(Workbook))]
    public async Task Every_saved_figure_draws_with_plotly_js_3_and_is_valid(string notebook)
    {
        var figures = Workbook.Figures(await workbook.ExecutedCopyAsync(notebook));
        var browser = await workbook.BrowserAsync();
        await using var watched = await browser.NewPageAsync();
        var page = watched.Page;
        await page.SetContentAsync("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Tools.PlotlyJs3 });
        Assert.Equal(Tools.PlotlyJs3Version, await page.EvaluateAsync<string>("() => Plotly.version"));

        var problems = new List<string>();
        int clean = 0;
        foreach (var (cell, figure) in figures)
        {
            int before = problems.Count;
            var drawn = await page.EvaluateAsync<JsonElement>(Draw, figure.ToJsonString());
            string what = $"cell {cell} ({drawn.GetProperty("title").GetString()})";
            if (!drawn.GetProperty("svg").GetBoolean()) problems.Add($"{what}: no SVG");
            if (drawn.GetProperty("traces").GetInt32() != drawn.GetProperty("expected").GetInt32())
                problems.Add($"{what}: {drawn.GetProperty("traces").GetInt32()} of {drawn.GetProperty("expected").GetInt32()} traces drawn");
            // plotly.js 3 dropped string titles: a title given must still show.
            if (drawn.GetProperty("title").GetString() is { Length: > 0 } && drawn.GetProperty("drawnTitle").GetString() is not { Length: > 0 })
                problems.Add($"{what}: the title is not drawn");
            foreach (var invalid in drawn.GetProperty("invalid").EnumerateArray())
                problems.Add($"{what}: Plotly.validate: {invalid.GetString()}");
            if (problems.Count == before) clean++;
        }
        string summary = $"plotly.js {Tools.PlotlyJs3Version} {notebook}: {figures.Count} figures, {clean} drawn without problems and valid to Plotly.validate"
            + (problems.Count > 0 ? $"; {string.Join("; ", problems.Distinct())}" : "");
        output.WriteLine(summary);
        Workbook.Report(summary);
        Assert.True(problems.Count == 0, $"{notebook} under plotly.js {Tools.PlotlyJs3Version}:\n{string.Join("\n", problems)}");
        watched.AssertClean(notebook + " under plotly.js 3");
    }
}
