using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// The kernel a student opens the notebooks with, started exactly as Jupyter and VS Code's Jupyter extension start
/// it from the kernelspec the README installs (<c>--install-kernel</c>): nothing of it listens outside loopback,
/// and neither its HTTP API nor its SignalR hub reads a variable or runs code for a client from another origin.
/// A control runs the same probes on the kernelspec <c>dotnet-interactive jupyter install</c> writes (made
/// loopback-only, so this test opens nothing to the network) and sees them succeed: the probes can fail.
/// Only loopback addresses and this machine's own socket table are probed.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelSecurityTests(ITestOutputHelper output) : IDisposable
{
    private const string ForeignOrigin = "http://evil.example";
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-kernel-security-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [JupyterClientFact]
    public async Task The_installed_kernel_listens_only_on_loopback_and_runs_nothing_for_another_origin()
    {
        var kernels = Path.Combine(_folder, "kernels");
        var installed = await RunRunnerAsync("--install-kernel", "--path", kernels);
        Assert.Contains($"{Kernelspec.CSharp}: installed in {Path.Combine(kernels, Kernelspec.CSharp)}", installed);

        var probe = await ProbeAsync(kernels);

        Assert.All(probe.Listeners, l => Assert.True(l.IsLoopback, $"the kernel listens on {l}, reachable from other machines"));
        Assert.NotEmpty(probe.HttpPorts); // the API's listener is there (on loopback), so the probes below reach it
        Assert.False(probe.VariableRead, $"GET /variables/csharp/secret from {ForeignOrigin} returned the variable: {probe.Log}");
        Assert.False(probe.OriginReflected, $"the kernel allowed {ForeignOrigin} (Access-Control-Allow-Origin): {probe.Log}");
        Assert.False(probe.CodeRan, $"code sent to /kernelhub from {ForeignOrigin} ran: {probe.Log}");
        Assert.Contains("403", probe.Log);
        Assert.Equal("off", probe.Marker);      // the notebooks' first cell looks for this
        Assert.Null(probe.FirstCellWarning);
        Assert.Equal("", probe.HookInKernel);   // programs the kernel starts (dotnet build) do not load the guard
        Assert.True(probe.JupyterWorks, "a cell did not run over Jupyter's own channels");
    }

    [JupyterClientFact]
    public async Task The_probes_catch_the_kernelspec_dotnet_interactive_writes()
    {
        // As `dotnet tool run dotnet-interactive -- jupyter install` writes it, plus --http-local-only so that this
        // control listens on loopback only: the hub and the variables endpoint are open even so.
        var spec = Path.Combine(_folder, "stock", Kernelspec.CSharp);
        Directory.CreateDirectory(spec);
        File.WriteAllText(Path.Combine(spec, "kernel.json"), new JsonObject
        {
            ["argv"] = new JsonArray("dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}",
                "--http-port-range", "2048-3000", "--http-local-only"),
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
        }.ToJsonString());
        Assert.False(Kernelspec.IsGuarded(JsonNode.Parse(File.ReadAllText(Path.Combine(spec, "kernel.json")))!.AsObject()));

        var probe = await ProbeAsync(Path.GetDirectoryName(spec)!);

        Assert.True(probe.VariableRead, $"the control kernel's variable was not readable: {probe.Log}");
        Assert.True(probe.OriginReflected, $"the control kernel did not allow {ForeignOrigin}: {probe.Log}");
        Assert.True(probe.CodeRan, $"the control kernel did not run code sent to its hub: {probe.Log}");
        Assert.Null(probe.Marker);
        Assert.Contains("run the workbook's kernelspec", probe.FirstCellWarning ?? "");
        Assert.Contains(Kernelspec.InstallCommand, probe.FirstCellWarning ?? "");
    }

    [JupyterClientFact]
    public async Task Installing_again_replaces_the_open_kernelspecs_dotnet_interactive_wrote()
    {
        var kernels = Path.Combine(_folder, "kernels");
        await JupyterInstallAsync(kernels);
        var written = Directory.GetDirectories(kernels).Select(Path.GetFileName).Order().ToList();
        Assert.Contains(Kernelspec.CSharp, written);
        Assert.All(written, name => Assert.False(Kernelspec.IsGuarded(ReadSpec(kernels, name!))));

        var installed = await RunRunnerAsync("--install-kernel", "--path", kernels);

        foreach (var name in written)
        {
            Assert.Contains($"{name}: replaced in {Path.Combine(kernels, name!)} (the earlier kernelspec left the kernel's HTTP API open)", installed);
            Assert.True(Kernelspec.IsGuarded(ReadSpec(kernels, name!)), $"{name} is still open");
        }
    }

    [LinuxFact]
    public async Task The_runners_kernel_listens_on_nothing_outside_loopback()
    {
        using var kernel = await KernelProcess.StartAsync(Repository.Root, Repository.NotebooksDirectory, TimeSpan.FromMinutes(3), CancellationToken.None);
        Assert.Null(await kernel.SubmitCodeAsync("6 * 7", "csharp", (_, _) => { }, TimeSpan.FromMinutes(2), CancellationToken.None));

        var listeners = ListeningSockets.Of(ListeningSockets.ProcessTree(kernel.ProcessId));

        output.WriteLine($"listening: {(listeners.Count == 0 ? "nothing" : string.Join(", ", listeners))}");
        Assert.All(listeners, l => Assert.True(l.IsLoopback, $"the runner's kernel listens on {l}, reachable from other machines"));
    }

    private sealed record Probe(
        IReadOnlyList<ListeningSockets.Listener> Listeners, IReadOnlyList<int> HttpPorts, bool VariableRead, bool OriginReflected,
        bool CodeRan, string? Marker, string? HookInKernel, bool JupyterWorks, string? FirstCellWarning, string Log);

    /// <summary>Starts the kernelspec's kernel through jupyter_client, defines a secret in it, then attacks it from another origin.</summary>
    private async Task<Probe> ProbeAsync(string kernels)
    {
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        var proof = Path.Combine(_folder, "ran-" + Guid.NewGuid().ToString("N"));
        var log = new StringBuilder();
        await using var kernel = await JupyterKernel.StartAsync(kernels, Kernelspec.CSharp);

        var (status, messages) = await kernel.ExecuteAsync($"var secret = \"{secret}\"; 6 * 7");
        var jupyterWorks = status == "ok" && messages.ToJsonString().Contains("42", StringComparison.Ordinal);
        var (_, environment) = await kernel.ExecuteAsync(
            """Console.Write($"[{Environment.GetEnvironmentVariable("NEURALNET_KERNEL_HTTP_API")}|{Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS")}]")""");
        var printed = Texts(environment);
        var values = printed[(printed.IndexOf('[') + 1)..printed.LastIndexOf(']')].Split('|');
        var (_, firstCell) = await kernel.ExecuteAsync("#load \"build-library.csx\"");
        var warning = Texts(firstCell).Split('\n').FirstOrDefault(l => l.Contains("Security", StringComparison.Ordinal));

        // The kernel's web server starts beside Jupyter's channels; give it time to listen.
        IReadOnlyList<ListeningSockets.Listener> listeners = [];
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(500))
        {
            listeners = ListeningSockets.Of(kernel.ProcessTree());
            if (listeners.Any(l => !kernel.ZmqPorts.Contains(l.Port))) break;
        }
        log.AppendLine($"listening: {string.Join(", ", listeners)}; Jupyter's ports: {string.Join(", ", kernel.ZmqPorts)}");
        var httpPorts = listeners.Where(l => !kernel.ZmqPorts.Contains(l.Port)).Select(l => l.Port).Distinct().ToList();

        bool variableRead = false, originReflected = false, codeRan = false;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        foreach (var port in httpPorts)
        {
            var read = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/variables/csharp/secret");
            read.Headers.Add("Origin", ForeignOrigin);
            using (var response = await http.SendAsync(read))
            {
                var body = await response.Content.ReadAsStringAsync();
                log.AppendLine($"GET :{port}/variables/csharp/secret → {(int)response.StatusCode} {body.Trim()}");
                variableRead |= body.Contains(secret, StringComparison.Ordinal);
                originReflected |= response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) && allowed.Contains(ForeignOrigin);
            }

            var negotiate = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/kernelhub/negotiate?negotiateVersion=1");
            negotiate.Headers.Add("Origin", ForeignOrigin);
            using (var response = await http.SendAsync(negotiate))
            {
                log.AppendLine($"POST :{port}/kernelhub/negotiate → {(int)response.StatusCode}");
                originReflected |= response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) && allowed.Contains(ForeignOrigin);
            }

            codeRan |= await SubmitThroughHubAsync(port, $"System.IO.File.WriteAllText(@\"{proof}\", \"ran\");", proof, log);
        }
        output.WriteLine(log.ToString());
        return new Probe(listeners, httpPorts, variableRead, originReflected, codeRan, values[0] is { Length: > 0 } m ? m : null, values[1],
            jupyterWorks, warning, log.ToString());
    }

    /// <summary>
    /// What a web page could do: a SignalR client over WebSocket, with a foreign Origin, calls the hub's
    /// submitCommand with a SubmitCode envelope. True when the code ran (the file it writes appears).
    /// </summary>
    private static async Task<bool> SubmitThroughHubAsync(int port, string code, string proof, StringBuilder log)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", ForeignOrigin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/kernelhub"), timeout.Token);
        }
        catch (WebSocketException e)
        {
            log.AppendLine($"WebSocket :{port}/kernelhub → refused ({e.Message})");
            return false;
        }
        const char End = '\u001e';
        await SendAsync("""{"protocol":"json","version":1}""" + End);
        var envelope = new JsonObject
        {
            ["token"] = "probe-1",
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        }.ToJsonString();
        await SendAsync(new JsonObject { ["type"] = 1, ["target"] = "submitCommand", ["arguments"] = new JsonArray(envelope) }.ToJsonString() + End);
        log.AppendLine($"WebSocket :{port}/kernelhub → connected, submitCommand sent");
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(250))
        {
            if (File.Exists(proof)) return true;
        }
        return false;

        Task SendAsync(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    private static string Texts(JsonArray messages) =>
        string.Concat(messages.Select(m => m?["content"]?["text"]?.GetValue<string>()
            ?? m?["content"]?["data"]?["text/plain"]?.GetValue<string>() ?? ""));

    private static JsonObject ReadSpec(string kernels, string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, name, "kernel.json")))!.AsObject();

    /// <summary>The runner's command line, as the README has a student type it (the built runner, not a rebuild).</summary>
    private static async Task<string> RunRunnerAsync(params string[] args)
    {
        var runner = Path.Combine(AppContext.BaseDirectory, "NeuralNet.Runner.dll");
        return await RunAsync("dotnet", [runner, .. args], Repository.Root);
    }

    /// <summary>What the README told students before: <c>dotnet tool run dotnet-interactive -- jupyter install</c>.</summary>
    private static Task<string> JupyterInstallAsync(string kernels)
    {
        Directory.CreateDirectory(kernels);
        return RunAsync("dotnet", ["tool", "run", "dotnet-interactive", "--", "jupyter", "install", "--path", kernels], Repository.Root);
    }

    private static async Task<string> RunAsync(string program, string[] args, string folder)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{text}");
        return text;
    }
}
