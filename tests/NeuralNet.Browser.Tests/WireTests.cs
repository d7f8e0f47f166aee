using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using NeuralNet.Interactive;
using NeuralNet.Runner;
using Xunit.Abstractions;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The charts as the kernel really sends them to Jupyter, drawn by the front ends' own published renderers.
/// The real kernel is started as Jupyter starts it (jupyter_client, from the kernelspec the README installs: <see cref="Kernelspec"/>) and runs
/// the notebooks' two setup cells, a chart as a cell's value (execute_result) and a short LiveTraining run (its two live
/// charts: display_data, then update_display_data); every message it sends is captured (Wire/capture.py). Those
/// messages are then fed, in Chromium with every request off the machine blocked, to each front end (Wire/frontends.js,
/// bundled with esbuild from npm): JupyterLab 4 / Notebook 7's own output area with and without jupyterlab-plotly,
/// VS Code's choice of MIME type with @nteract/transform-plotly or its HTML renderer, and an nbconvert-like HTML page;
/// live (every version of a live chart must draw) and as a saved notebook, trusted or not.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WireTests(Workbook workbook, ITestOutputHelper output)
{
    /// <summary>The cells the kernel runs, in notebooks/ (the setup cells' paths are relative to it).</summary>
    internal static readonly string[] Cells =
    [
        "#load \"build-library.csx\"",
        "#load \"../artifacts/notebook-library/NeuralNet.csx\"",
        """
        using NeuralNet;
        using NeuralNet.Interactive;

        var net = new Network([2, 8, 1], hidden: Activations.Tanh, initialization: Initialization.Xavier(seed: 1));
        NetworkCharts.Diagram(net)
        """,
        """
        using MathNet.Numerics.LinearAlgebra;
        using NeuralNet.Training;

        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
        var Y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });
        LiveTraining.Train(net, X, Y, new TrainingOptions { Optimizer = new Sgd(0.5), Epochs = 60, ReportEvery = 5 },
            decisionBoundary: true, minInterval: TimeSpan.Zero);
        """,
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static WireRun? _run;

    [WireFact]
    public async Task Every_front_end_draws_every_chart_the_kernel_sends_live_and_saved()
    {
        var run = await RunAsync();
        var problems = new List<string>();
        foreach (var lane in run.Lanes)
        {
            var r = lane.Report;
            int charts = r.GetProperty("charts").GetArrayLength();
            int drawn = r.GetProperty("chartsDrawn").GetInt32();
            int traces = r.GetProperty("drawnTraces").GetInt32(), expectedTraces = r.GetProperty("expectedTraces").GetInt32();
            int versions = r.GetProperty("versions").GetInt32(), versionsDrawn = r.GetProperty("versionsDrawn").GetInt32();
            var errors = r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Concat(lane.PageErrors).ToList();
            string summary = $"wire    {lane.Name}: {drawn} of {charts} charts drawn, {traces} of {expectedTraces} traces"
                + (lane.Live ? $", {versionsDrawn} of {versions} versions drawn as they arrived" : "")
                + (r.TryGetProperty("picked", out var picked) ? $"; shown as {picked}" : "")
                + (errors.Count > 0 ? $"; errors: {string.Join(" | ", errors.Distinct())}" : "")
                + (lane.ConsoleErrors.Count > 0 ? $"; console errors: {string.Join(" | ", lane.ConsoleErrors.Distinct().Take(3).Select(e => Short(e, 160)))}" : "")
                + $"; {lane.Took.TotalSeconds:F0} s";
            output.WriteLine(summary);
            Workbook.Report(summary);

            if (charts != run.ChartOutputs)
                problems.Add($"{lane.Name}: {charts} chart outputs, the kernel sent {run.ChartOutputs}");
            if (lane.Trusted)
            {
                if (drawn != charts || traces != expectedTraces)
                    problems.Add($"{lane.Name}: {drawn} of {charts} charts and {traces} of {expectedTraces} traces drawn{Missed(r)}"
                        + (errors.Count > 0 ? "; errors: " + string.Join(" | ", errors.Distinct()) : "")
                        + (lane.ConsoleErrors.Count > 0 ? "; console errors: " + string.Join(" | ", lane.ConsoleErrors.Distinct().Take(3).Select(e => Short(e, 160))) : ""));
                if (lane.Live && (versions != run.ChartVersions || versionsDrawn != versions))
                    problems.Add($"{lane.Name}: {versionsDrawn} of the {run.ChartVersions} versions the kernel sent (displays and updates) drew as they arrived{Missed(r)}");
            }
            else
            {
                // Not trusted: Jupyter runs no script of a saved output. Nothing draws; each chart says what to do.
                string text = r.GetProperty("text").GetString()!;
                int notes = text.Split(ChartOutput.UnrunNote).Length - 1;
                if (drawn != 0) problems.Add($"{lane.Name}: {drawn} charts drew in an untrusted notebook");
                if (notes != charts) problems.Add($"{lane.Name}: {notes} of {charts} charts say \"{ChartOutput.UnrunNote}\"");
            }
            if (lane.OffMachine.Count > 0) problems.Add($"{lane.Name}: requests that would have left the machine: {string.Join(", ", lane.OffMachine.Distinct())}");
        }
        Assert.True(run.ChartOutputs >= 3 && run.ChartVersions > run.ChartOutputs,
            $"the kernel sent {run.ChartOutputs} chart outputs and {run.ChartVersions} versions; the cells make 3 charts, 2 of them live");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [WireFact]
    public async Task The_runner_saves_the_forms_a_live_Jupyter_session_saves()
    {
        var run = await RunAsync();
        // What JupyterLab saved (OutputAreaModel.toJSON of the live lane) against what the runner writes for the same
        // values (its OutputCollector and CellOutput, fed the kernel's events for the messages captured).
        var saved = run.Lanes.First(l => l.Name.StartsWith("JupyterLab 4, live", StringComparison.Ordinal)).Report.GetProperty("saved");
        var problems = new List<string>();
        int compared = 0;
        for (int c = 0; c < run.Capture.Count; c++)
        {
            var jupyter = saved[c].EnumerateArray().Where(o => o.TryGetProperty("data", out _)).ToList();
            var runner = RunnerOutputs(run.Capture[c]!).Where(o => o["data"] is not null).ToList();
            if (jupyter.Count != runner.Count)
            {
                problems.Add($"cell {c}: Jupyter saves {jupyter.Count} display outputs, the runner {runner.Count}");
                continue;
            }
            for (int i = 0; i < runner.Count; i++)
            {
                var jupyterData = JsonNode.Parse(jupyter[i].GetProperty("data").GetRawText())!.AsObject();
                var runnerData = runner[i]["data"]!.AsObject();
                var mimes = jupyterData.Select(p => p.Key).Union(runnerData.Select(p => p.Key)).Order(StringComparer.Ordinal);
                foreach (var mime in mimes)
                {
                    compared++;
                    var a = Joined(jupyterData[mime]);
                    var b = Joined(runnerData[mime]);
                    if (a is null || b is null)
                        problems.Add($"cell {c} output {i}: {mime} is saved by {(a is null ? "the runner" : "Jupyter")} only");
                    else if (a.GetValueKind() != b.GetValueKind())
                        problems.Add($"cell {c} output {i}: {mime} is saved by Jupyter as {Kind(a)} (as the kernel sends it), by the runner as {Kind(b)}");
                    else if (!JsonNode.DeepEquals(a, b))
                        problems.Add($"cell {c} output {i}: {mime} differs between Jupyter's save and the runner's");
                }
            }
        }
        string summary = $"wire    runner vs Jupyter: {compared} MIME values of {run.Capture.Count} cells compared; {problems.Count} differ";
        output.WriteLine(summary);
        Workbook.Report(summary);
        Assert.True(compared > 0 && problems.Count == 0, string.Join("\n", problems));

        static string Kind(JsonNode node) => node.GetValueKind() == JsonValueKind.String ? "a string" : $"an {node.GetValueKind().ToString().ToLowerInvariant()}";
    }

    /// <summary>The charts (and live versions) that did not draw: where, what they should show, what they show.</summary>
    private static string Missed(JsonElement report)
    {
        var missed = report.GetProperty("missed").EnumerateArray().Take(3).Select(Describe).ToList();
        var charts = report.GetProperty("charts").EnumerateArray().Where(c => !c.GetProperty("drawn").GetBoolean()).Take(3).Select(Describe).ToList();
        return (missed.Count > 0 ? $"; versions not drawn: {string.Join("; ", missed)}" : "")
            + (charts.Count > 0 ? $"; charts not drawn: {string.Join("; ", charts)}" : "");

        static string Describe(JsonElement chart)
        {
            var want = chart.GetProperty("want");
            string shown = chart.GetProperty("shown") is { ValueKind: JsonValueKind.Object } s
                ? s.TryGetProperty("traces", out var t) ? $"{t.GetInt32()} traces, {s.GetProperty("points").GetInt32()} points, title \"{Short(s.GetProperty("title").GetString()!)}\"" : s.ToString()
                : "nothing";
            return $"{chart.GetProperty("where").GetString()} should show {want.GetProperty("traces").GetInt32()} traces, "
                + $"{want.GetProperty("points").GetInt32()} points, title \"{Short(want.GetProperty("title").GetString()!)}\" and shows {shown}";
        }
    }

    private static string Short(string text, int length = 60) => text.Length <= length ? text : text[..(length - 3)] + "...";

    /// <summary>A multiline string (list of lines) as one string; anything else as it is.</summary>
    private static JsonNode? Joined(JsonNode? value) =>
        value is JsonArray lines && lines.All(l => l?.GetValueKind() == JsonValueKind.String)
            ? JsonValue.Create(string.Concat(lines.Select(l => l!.GetValue<string>())))
            : value?.DeepClone();

    /// <summary>
    /// What the runner writes for one cell: its OutputCollector fed the kernel events behind the Jupyter messages
    /// (display_data is DisplayedValueProduced, update_display_data DisplayedValueUpdated, execute_result
    /// ReturnValueProduced, each with the formatted values as the strings the kernel formatted), then CellOutput.ToJson.
    /// </summary>
    private static List<JsonObject> RunnerOutputs(JsonNode cell)
    {
        var collector = new OutputCollector();
        collector.BeginCell(0);
        foreach (var message in cell["messages"]!.AsArray())
        {
            var content = message!["content"]!;
            string? eventType = message["msg_type"]!.GetValue<string>() switch
            {
                "display_data" => "DisplayedValueProduced",
                "update_display_data" => "DisplayedValueUpdated",
                "execute_result" => "ReturnValueProduced",
                _ => null,
            };
            if (eventType is null) continue;
            var values = new JsonArray();
            foreach (var (mime, value) in content["data"]!.AsObject())
            {
                string text = value!.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                values.Add(new JsonObject { ["mimeType"] = mime, ["value"] = text });
            }
            collector.OnEvent(eventType, new JsonObject
            {
                ["valueId"] = content["transient"]?["display_id"]?.GetValue<string>(),
                ["formattedValues"] = values,
            });
        }
        return collector.OutputsOf(0).Select(o => o.ToJson(1)).ToList();
    }

    private async Task<WireRun> RunAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _run ??= await WireRun.StartAsync(await workbook.BrowserAsync());
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>One front end fed the captured messages, and what it drew (the report of Wire/frontends.js).</summary>
internal sealed record Lane(string Name, bool Live, bool Trusted, JsonElement Report, List<string> PageErrors, List<string> ConsoleErrors,
    List<string> OffMachine, TimeSpan Took);

/// <summary>The kernel's messages for <see cref="WireTests.Cells"/>, and every front end's report on them.</summary>
internal sealed class WireRun
{
    private WireRun(JsonArray capture, List<Lane> lanes)
    {
        Capture = capture;
        Lanes = lanes;
        foreach (var cell in capture)
            foreach (var message in cell!["messages"]!.AsArray())
            {
                if (!IsChart(message!["content"]?["data"])) continue;
                string type = message["msg_type"]!.GetValue<string>();
                if (type is "display_data" or "execute_result") ChartOutputs++;
                if (type is "display_data" or "execute_result" or "update_display_data") ChartVersions++;
            }
    }

    public static string Folder => Path.Combine(Workbook.ArtifactsFolder, "wire");

    /// <summary>Per cell: <c>{"source", "status", "messages": [{"msg_type", "content"}]}</c>.</summary>
    public JsonArray Capture { get; }

    public List<Lane> Lanes { get; }

    /// <summary>Chart outputs the kernel displayed (display_data or execute_result holding a chart).</summary>
    public int ChartOutputs { get; }

    /// <summary>Chart versions the kernel sent: those outputs and their updates.</summary>
    public int ChartVersions { get; }

    private static bool IsChart(JsonNode? data) =>
        data is JsonObject bundle && (bundle.ContainsKey(ChartScripts.Mime)
            || (bundle["text/html"] is JsonValue html && html.GetValue<string>().Contains("class=\"nn-chart\"", StringComparison.Ordinal)));

    public static async Task<WireRun> StartAsync(Browser browser)
    {
        Directory.CreateDirectory(Folder);
        var clock = Stopwatch.StartNew();
        var capture = await CaptureAsync();
        var captured = clock.Elapsed;
        string bundle = await BundleAsync();
        var kinds = capture.SelectMany(c => c!["messages"]!.AsArray()).GroupBy(m => m!["msg_type"]!.GetValue<string>()).Select(g => $"{g.Count()} {g.Key}");
        Workbook.Report($"wire    kernel ({Kernelspec.CSharp} through jupyter_client): {capture.Count} cells in {captured.TotalSeconds:F0} s, "
            + $"{string.Join(", ", kinds)}; renderers bundled in {(clock.Elapsed - captured).TotalSeconds:F0} s");
        var lanes = new List<Lane>();
        var cells = new JsonObject { ["cells"] = capture.DeepClone() }.ToJsonString();

        JsonArray saved = [];
        foreach (bool extension in new[] { true, false })
        {
            string name = extension ? "JupyterLab 4 + jupyterlab-plotly" : "JupyterLab 4", on = extension ? "true" : "false";
            var live = await LaneAsync(browser, bundle, $"{name}, live", live: true, trusted: true,
                $"json => NNWire.jupyterLabLive(JSON.parse(json).cells, {{ extension: {on} }})", cells);
            lanes.Add(live);
            // What this session saves, opened again: trusted, and not (then nothing should draw; a second shows one that does).
            saved = JsonNode.Parse(live.Report.GetProperty("saved").GetRawText())!.AsArray();
            string savedJson = new JsonObject { ["saved"] = saved.DeepClone() }.ToJsonString();
            lanes.Add(await LaneAsync(browser, bundle, $"{name}, saved and trusted", live: false, trusted: true,
                $"json => NNWire.jupyterLabSaved(JSON.parse(json).saved, {{ extension: {on}, trusted: true, timeoutMs: 5000 }})", savedJson));
            lanes.Add(await LaneAsync(browser, bundle, $"{name}, saved, not trusted", live: false, trusted: false,
                $"json => NNWire.jupyterLabSaved(JSON.parse(json).saved, {{ extension: {on}, trusted: false, timeoutMs: 1000 }})", savedJson));
        }
        // VS Code and nbconvert get what the session without the extension saved (jupyterlab-plotly would only add an
        // image/png to the figures it drew).
        string jupyterSaved = new JsonObject { ["saved"] = saved.DeepClone() }.ToJsonString();
        lanes.Add(await LaneAsync(browser, bundle, "VS Code, live", live: true, trusted: true, "json => NNWire.vscodeLive(JSON.parse(json).cells)", cells));
        lanes.Add(await LaneAsync(browser, bundle, "VS Code, saved", live: false, trusted: true, "json => NNWire.vscodeSaved(JSON.parse(json).saved)", jupyterSaved));
        lanes.Add(await LaneAsync(browser, bundle, "HTML page (the saved outputs, as an nbconvert export shows them)", live: false, trusted: true, "json => NNWire.htmlPageReport(JSON.parse(json).saved)",
            jupyterSaved, body: HtmlPage(saved)));
        return new WireRun(capture, lanes);
    }

    /// <summary>The saved outputs' HTML, one after the other, as an nbconvert export lays them out (frontends.js counts them so).</summary>
    private static string HtmlPage(JsonArray saved)
    {
        var html = new StringBuilder();
        foreach (var cell in saved)
            foreach (var output in cell!.AsArray())
                if (output?["data"]?["text/html"] is { } value)
                    html.Append("<div class=\"output_html\">")
                        .Append(value is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : value.GetValue<string>())
                        .Append("</div>\n");
        return html.ToString();
    }

    private static async Task<Lane> LaneAsync(Browser browser, string bundle, string name, bool live, bool trusted, string script, string json, string body = "")
    {
        // A page on disk beside the bundle, which it loads as a page loads a script (nbconvert's body, if any, first).
        string slug = string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-')).Trim('-');
        string html = Path.Combine(Folder, slug + ".html");
        File.WriteAllText(html, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{name}</title></head><body>{body}"
            + $"<script src=\"{Path.GetFileName(bundle)}\"></script></body></html>");
        await using var watched = await browser.NewPageAsync();
        var page = watched.Page;
        await page.GotoAsync(new Uri(html).AbsoluteUri, new PageGotoOptions { Timeout = 120_000 });
        var clock = Stopwatch.StartNew();
        var report = JsonDocument.Parse(await page.EvaluateAsync<string>($"json => ({script})(json).then(r => JSON.stringify(r))", json)).RootElement.Clone();
        Directory.CreateDirectory(Path.Combine(Workbook.ScreenshotsFolder, "wire"));
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Workbook.ScreenshotsFolder, "wire", slug + ".png"),
            FullPage = true,
        });
        // A request off the machine is a chart needing the internet. (The kernel's HTTP API bootstrap script, which asked a CDN
        // for require.js, is gone: the workbook's kernelspec switches that API off.)
        var off = watched.OffMachine.Distinct().ToList();
        var consoleErrors = watched.ConsoleErrors.Where(e => !e.Contains("net::ERR_BLOCKED_BY_CLIENT", StringComparison.Ordinal)).ToList();
        return new Lane(name, live, trusted, report, [.. watched.PageErrors], consoleErrors, off, clock.Elapsed);
    }

    /// <summary>Runs <see cref="WireTests.Cells"/> in the real kernel through jupyter_client (Wire/capture.py); every kernel started is ended.</summary>
    private static async Task<JsonArray> CaptureAsync()
    {
        // The kernelspec the README installs (--install-kernel), started as Jupyter starts it.
        string kernels = Path.Combine(Folder, "kernels");
        if (Directory.Exists(kernels)) Directory.Delete(kernels, recursive: true);
        Kernelspec.Install(kernels, Kernelspec.GuardAssembly);
        string cellsPath = Path.Combine(Folder, "cells.json"), capturePath = Path.Combine(Folder, "capture.json"), pidPath = Path.Combine(Folder, "kernel.pid");
        File.WriteAllText(cellsPath, new JsonArray(WireTests.Cells.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()).ToJsonString());
        foreach (var stale in new[] { capturePath, pidPath }) File.Delete(stale);
        string script = Path.Combine(Tools.Root, "tests", "NeuralNet.Browser.Tests", "Wire", "capture.py");
        (int exit, string log) result;
        try
        {
            result = await RunAsync(Tools.PythonWithJupyterClient!,
                [script, kernels, Kernelspec.CSharp, Path.Combine(Tools.Root, "notebooks"), cellsPath, capturePath, pidPath, "300"],
                Tools.Root, TimeSpan.FromMinutes(10));
        }
        finally
        {
            EndKernel(pidPath);
        }
        Assert.True(File.Exists(capturePath), $"capture.py wrote nothing (exit {result.exit}):\n{result.log}");
        var capture = JsonNode.Parse(File.ReadAllText(capturePath))!["cells"]!.AsArray();
        var failed = capture.FirstOrDefault(c => c?["status"]?.GetValue<string>() != "ok");
        Assert.True(result.exit == 0 && failed is null && capture.Count == WireTests.Cells.Length,
            $"the kernel did not run every cell (capture.py exit {result.exit}); {(failed is null ? "" : $"failed: {failed.ToJsonString()[..Math.Min(2000, failed.ToJsonString().Length)]}")}\n{result.log}");
        return capture;
    }

    /// <summary>Kills the kernel by the id capture.py wrote, if it is still running (capture.py shuts it down itself).</summary>
    private static void EndKernel(string pidPath)
    {
        if (!File.Exists(pidPath) || !int.TryParse(File.ReadAllText(pidPath).Trim(), out int pid)) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Not running: ended as it should.
        }
    }

    /// <summary>Bundles Wire/frontends.js with esbuild (from artifacts/npm) into artifacts/browser/wire/frontends.bundle.js.</summary>
    private static async Task<string> BundleAsync()
    {
        string entry = Path.Combine(Tools.Root, "tests", "NeuralNet.Browser.Tests", "Wire", "frontends.js");
        string bundle = Path.Combine(Folder, "frontends.bundle.js");
        var (exit, log) = await RunAsync(Tools.Esbuild,
            [
                entry, "--bundle", "--format=iife", "--platform=browser", "--outfile=" + bundle, "--log-level=warning",
                "--loader:.css=empty", "--loader:.svg=text", "--define:process.env.NODE_ENV=\"production\"",
                // jupyterlab-plotly loads import("plotly.js/dist/plotly"); package.json's overrides make plotly.js its prebuilt copy.
                "--alias:plotly.js/dist/plotly=plotly.js",
            ],
            Tools.NpmFolder, TimeSpan.FromMinutes(3), new() { ["NODE_PATH"] = Path.Combine(Tools.NpmFolder, "node_modules") });
        Assert.True(exit == 0 && File.Exists(bundle), $"esbuild could not bundle {entry} (exit {exit}):\n{log}");
        return bundle;
    }

    private static async Task<(int Exit, string Log)> RunAsync(string program, IEnumerable<string> args, string workingDirectory, TimeSpan timeout,
        Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} took over {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
