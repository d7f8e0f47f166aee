using System.Text.Json;
using Microsoft.Playwright;
using NeuralNet.Interactive;
using Xunit.Abstractions;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// Every notebook, run as a student runs it: opened in Jupyter Notebook (a real server on loopback, the
/// .NET (C#) kernel) in headless Chromium, Run All, with every request off this machine blocked. Every
/// chart output must draw, live charts must redraw while their cell runs, and nothing may go wrong.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JupyterNotebookTests(Workbook workbook, ITestOutputHelper output)
{
    /// <summary>
    /// Runs in the page from its start: notes every chart div the moment it enters the page (a live chart's
    /// update is a new div in place of the old), whether its cell was still running then, and (polling every
    /// 50 ms) whether it drew while the cell ran.
    /// </summary>
    private const string WatchDraws = """
        window.__nnDraws = {};
        (function () {
          function running(el) {
            var cell = el.closest('.cell');
            var prompt = cell && cell.querySelector('.input_prompt');
            return !!prompt && prompt.textContent.indexOf('*') >= 0;
          }
          function cellIndex(el) {
            return Array.prototype.indexOf.call(document.querySelectorAll('#notebook-container > .cell'), el.closest('.cell'));
          }
          function cellRunning(index) {
            var cell = document.querySelectorAll('#notebook-container > .cell')[index];
            var prompt = cell && cell.querySelector('.input_prompt');
            return !!prompt && prompt.textContent.indexOf('*') >= 0;
          }
          new MutationObserver(function (mutations) {
            // A chart div taken out of the page while its cell runs was replaced: an update in place.
            mutations.forEach(function (m) {
              m.removedNodes.forEach(function (node) {
                if (node.nodeType !== 1) return;
                var gone = node.matches('div.nn-chart') ? [node] : Array.prototype.slice.call(node.querySelectorAll('div.nn-chart'));
                gone.forEach(function (div) {
                  var seen = window.__nnDraws[div.id];
                  if (seen && cellRunning(seen.cell)) seen.replacedWhileRunning = true;
                });
              });
            });
            document.querySelectorAll('div.nn-chart').forEach(function (div) {
              if (!div.id || window.__nnDraws[div.id]) return;
              window.__nnDraws[div.id] = { cell: cellIndex(div), shownWhileRunning: running(div), drawnWhileRunning: false, replacedWhileRunning: false };
            });
          }).observe(document, { childList: true, subtree: true });  // the document: at this point it may have no root element yet
          setInterval(function () {
            document.querySelectorAll('div.nn-chart.js-plotly-plot').forEach(function (gd) {
              var seen = window.__nnDraws[gd.id];
              if (seen && !seen.drawnWhileRunning && gd.querySelector('svg.main-svg') && running(gd)) seen.drawnWhileRunning = true;
            });
          }, 50);
        })();
        """;

    private const string Outcome = """
        () => {
          const result = { figures: 0, errors: [], cells: 0, run: 0 };
          Jupyter.notebook.get_cells().forEach((c, i) => {
            if (c.cell_type !== 'code') return;
            result.cells++;
            if (typeof c.input_prompt_number === 'number') result.run++;
            c.output_area.outputs.forEach(o => {
              if (o.output_type === 'error') result.errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
              // e.g. the first cell's "Security: this kernel was started without the workbook's kernelspec …"
              if (o.output_type === 'stream' && o.name === 'stderr') result.errors.push(`cell ${i}: stderr: ${o.text}`);
              if (o.data && String(o.data['text/html'] || '').indexOf('class="nn-chart"') >= 0) result.figures++;
            });
          });
          return result;
        }
        """;

    [BrowserTheory]
    [MemberData(nameof(Workbook.Notebooks), MemberType = typeof(Workbook))]
    public async Task Every_chart_draws_in_Jupyter_Notebook_with_the_network_cut_off(string notebook)
    {
        var jupyter = await workbook.JupyterAsync();
        var browser = await workbook.BrowserAsync();
        await using var watched = await browser.NewPageAsync();
        var page = watched.Page;
        await watched.Context.AddInitScriptAsync(WatchDraws);
        try
        {
            await page.GotoAsync(jupyter.NotebookUrl(notebook), new PageGotoOptions { Timeout = 60_000 });
            await page.WaitForFunctionAsync(
                "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status === 'ok'",
                null, new PageWaitForFunctionOptions { Timeout = 180_000, PollingInterval = 250 });
            // Run All, as a student does; autosave off, so the served copy stays as it was.
            await page.EvaluateAsync("() => { Jupyter.notebook.set_autosave_interval(0); Jupyter.notebook.execute_all_cells(); }");
            var started = DateTime.UtcNow;
            await page.WaitForFunctionAsync(
                "() => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || c.input_prompt_number !== '*')",
                null, new PageWaitForFunctionOptions { Timeout = 600_000, PollingInterval = 250 });
            var seconds = (DateTime.UtcNow - started).TotalSeconds;

            // A cell's prompt number comes with its execute_reply, on another channel than its outputs, so the
            // last outputs can arrive just after it: count again until the chart outputs and the drawn chart divs
            // agree (a real mismatch stays, and fails below after 30 s).
            JsonElement outcome;
            int figures;
            (int Charts, int Drawn, int Waiting) counts;
            var settle = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                outcome = await page.EvaluateAsync<JsonElement>(Outcome);
                figures = outcome.GetProperty("figures").GetInt32();
                counts = await WaitForChartsAsync(page, figures);
                if ((counts.Charts == figures && counts.Drawn == figures) || DateTime.UtcNow > settle) break;
                await Task.Delay(250);
            }
            var errors = outcome.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.True(errors.Count == 0, $"{notebook}: error outputs:\n{string.Join("\n", errors)}");
            Assert.Equal(outcome.GetProperty("cells").GetInt32(), outcome.GetProperty("run").GetInt32());

            using var draws = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.__nnDraws || {})"));
            // Live cells: those whose chart was replaced in place while they ran. Per cell: the updates, the
            // versions that arrived while it ran (the first display and each update), and how many drew then.
            var liveCells = draws.RootElement.EnumerateObject()
                .Where(d => d.Value.GetProperty("shownWhileRunning").GetBoolean())
                .GroupBy(d => d.Value.GetProperty("cell").GetInt32())
                .Select(g => (Cell: g.Key, Updates: g.Count(d => d.Value.GetProperty("replacedWhileRunning").GetBoolean()), Shown: g.Count(),
                    Drawn: g.Count(d => d.Value.GetProperty("drawnWhileRunning").GetBoolean())))
                .Where(c => c.Updates > 0)
                .ToList();
            string live = string.Join(", ", liveCells.Select(c =>
                $"cell {c.Cell}: {c.Updates} updates in place while it ran, {c.Drawn} of {c.Shown} versions drawn while it ran"));
            string summary = $"jupyter {notebook}: {figures} chart outputs, {counts.Charts} chart divs, {counts.Drawn} drawn; "
                + $"run all {seconds:F0} s; live: {(live.Length == 0 ? "none" : live)}"
                + (watched.ToOwnAddress.IsEmpty ? "" : $"; requests to this machine's own address: {string.Join(", ", watched.ToOwnAddress.Distinct())}");
            output.WriteLine(summary);
            Workbook.Report(summary);

            await ScreenshotAsync(page, Path.Combine(Workbook.ScreenshotsFolder, Path.ChangeExtension(notebook, ".png")));

            Assert.True(counts.Charts == figures && counts.Drawn == figures,
                $"{notebook}: {figures} chart outputs, {counts.Charts} chart divs in the page, {counts.Drawn} drawn, {counts.Waiting} waiting for plotly.js");
            if (NotebookSource(notebook).Contains("Charts.", StringComparison.Ordinal) || NotebookSource(notebook).Contains("LiveTraining.", StringComparison.Ordinal))
                Assert.True(figures > 0, $"{notebook} draws charts, but the page shows no chart output");
            if (NotebookSource(notebook).Contains("LiveTraining.", StringComparison.Ordinal))
            {
                Assert.True(liveCells.Count > 0, $"{notebook} trains with a live chart, but no chart was updated while its cell ran");
                // A run long enough for updates between the first display and the last must show them as it goes.
                Assert.All(liveCells.Where(c => c.Updates >= 2), c => Assert.True(c.Drawn >= 2,
                    $"{notebook} cell {c.Cell}: a live chart was updated {c.Updates} times while it ran, but only {c.Drawn} versions drew before it ended"));
            }
            watched.AssertClean(notebook);
        }
        finally
        {
            await jupyter.ShutDownKernelsAsync();
        }
    }

    /// <summary>
    /// A saved notebook (the runner's executed copy) opened in Jupyter Notebook without running it: not trusted, no
    /// chart draws and each says to trust the notebook; File ▸ Trust Notebook (its dialog's Trust button, which signs
    /// the notebook on the server and reloads the page), and every chart draws.
    /// </summary>
    [BrowserTheory]
    [InlineData("00-start-here.ipynb")]
    [InlineData("03-weight-updates-and-training.ipynb")]
    public async Task A_saved_notebook_draws_every_chart_once_trusted_and_says_to_trust_it_before(string notebook)
    {
        var executed = await workbook.ExecutedCopyAsync(notebook);
        int figures = Workbook.Figures(executed).Count;
        Assert.True(figures > 0, $"{notebook}: its executed copy holds no chart output");
        var jupyter = await workbook.JupyterAsync();
        string name = "saved-" + notebook;
        File.Copy(executed, Path.Combine(jupyter.NotebooksFolder, name), overwrite: true);
        var browser = await workbook.BrowserAsync();
        await using var watched = await browser.NewPageAsync();
        var page = watched.Page;
        const string Loaded = "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded";
        try
        {
            await page.GotoAsync(jupyter.NotebookUrl(name), new PageGotoOptions { Timeout = 60_000 });
            await page.WaitForFunctionAsync(Loaded, null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 250 });
            await page.EvaluateAsync("() => Jupyter.notebook.set_autosave_interval(0)");
            Assert.False(await page.EvaluateAsync<bool>("() => Jupyter.notebook.trusted"), $"{name} is trusted before it was trusted");
            var untrusted = await WaitForChartsAsync(page, figures, timeoutMs: 3000);
            string text = await page.InnerTextAsync("#notebook-container");
            int notes = text.Split(ChartOutput.UnrunNote).Length - 1;

            await page.EvaluateAsync("() => Jupyter.notebook.trust_notebook()");
            // The Trust button signs the notebook on the server, then reloads the page.
            var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLoad(object? sender, IPage loaded) => reloaded.TrySetResult();
            page.Load += OnLoad;
            await page.ClickAsync(".modal-footer button.btn-danger");
            await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
            page.Load -= OnLoad;
            await page.WaitForFunctionAsync(Loaded, null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 250 });
            bool trusted = await page.EvaluateAsync<bool>("() => Jupyter.notebook.trusted");
            var counts = await WaitForChartsAsync(page, figures);
            int notesAfter = (await page.InnerTextAsync("#notebook-container")).Split(ChartOutput.UnrunNote).Length - 1;
            string summary = $"saved   {notebook} in Jupyter Notebook: {figures} charts saved; not trusted: {untrusted.Drawn} drawn, {notes} say to trust it; "
                + $"trusted (File ▸ Trust Notebook): {counts.Drawn} of {counts.Charts} drawn, {notesAfter} notes left";
            output.WriteLine(summary);
            Workbook.Report(summary);
            await ScreenshotAsync(page, Path.Combine(Workbook.ScreenshotsFolder, Path.GetFileNameWithoutExtension(notebook) + ".saved-trusted.png"));

            Assert.True(untrusted.Drawn == 0 && notes == figures, $"{notebook} not trusted: {untrusted.Drawn} charts drew, {notes} of {figures} say to trust the notebook");
            Assert.True(trusted, $"{notebook}: still not trusted after File ▸ Trust Notebook");
            Assert.True(counts.Charts == figures && counts.Drawn == figures && notesAfter == 0,
                $"{notebook} trusted: {counts.Charts} chart divs, {counts.Drawn} of {figures} drawn, {counts.Waiting} waiting for plotly.js, {notesAfter} still saying to trust it");
            watched.AssertClean(notebook + " saved, in Jupyter Notebook");
        }
        finally
        {
            await jupyter.ShutDownKernelsAsync();
        }
    }

    /// <summary>Waits (up to 30 s) until <paramref name="expected"/> chart divs have drawn; returns the counts either way.</summary>
    internal static async Task<(int Charts, int Drawn, int Waiting)> WaitForChartsAsync(IPage page, int expected, int timeoutMs = 30_000)
    {
        try
        {
            await page.WaitForFunctionAsync(
                $"() => {{ const c = Array.from(document.querySelectorAll('div.nn-chart')); return c.length >= {expected} && c.every(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg')); }}",
                null, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            // Counted below; the assertion says what is missing.
        }
        var counts = await page.EvaluateAsync<JsonElement>(ChartScripts.CountScript);
        return (counts.GetProperty("charts").GetInt32(), counts.GetProperty("drawn").GetInt32(), counts.GetProperty("waiting").GetInt32());
    }

    /// <summary>A full-page PNG of a Jupyter notebook page (its notebook scrolls inside #site; let the page grow instead).</summary>
    private static async Task ScreenshotAsync(IPage page, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.AddStyleTagAsync(new PageAddStyleTagOptions
        {
            Content = "#header { display: none !important; } html, body, #site { height: auto !important; overflow: visible !important; }",
        });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
    }

    /// <summary>The code of a notebook's code cells, joined.</summary>
    internal static string NotebookSource(string notebook)
    {
        var cells = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Tools.Root, "notebooks", notebook)))?["cells"]?.AsArray() ?? [];
        return string.Join("\n", cells
            .Where(c => c?["cell_type"]?.GetValue<string>() == "code")
            .Select(c => c?["source"] is System.Text.Json.Nodes.JsonArray lines ? string.Concat(lines.Select(l => l?.GetValue<string>())) : c?["source"]?.GetValue<string>()));
    }
}
