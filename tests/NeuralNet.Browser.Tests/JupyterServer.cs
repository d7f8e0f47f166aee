using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NeuralNet.Runner;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// A real Jupyter Notebook server on loopback, as a student starts it (<c>jupyter-notebook</c>), with the
/// <c>.NET (C#)</c> kernelspec the README installs (<c>dotnet run --project src/NeuralNet.Runner -- --install-kernel</c>). Everything
/// Jupyter reads or writes (kernel specs, config, runtime files, the trust database) lives in a private folder
/// under artifacts/browser/, so nothing global is needed or touched.
/// </summary>
/// <remarks>
/// The notebooks are served from copies in <c>artifacts/browser/root/notebooks/</c> (a run saves nothing into
/// notebooks/). Their setup cells load <c>../artifacts/…</c>, so <c>artifacts/browser/root/artifacts</c> is a
/// link to the clone's artifacts folder.
/// </remarks>
internal sealed class JupyterServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private JupyterServer(Process process, int port, string notebooksFolder)
    {
        _process = process;
        Port = port;
        NotebooksFolder = notebooksFolder;
        BaseUrl = $"http://127.0.0.1:{port}/";
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public string BaseUrl { get; }

    /// <summary>The folder the served notebook copies are in.</summary>
    public string NotebooksFolder { get; }

    public int ProcessId => _process.Id;

    /// <summary>The server's output so far (for failure messages).</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<JupyterServer> StartAsync()
    {
        string home = Path.Combine(Tools.Root, "artifacts", "browser");
        string jupyter = Path.Combine(home, "jupyter");
        string root = Path.Combine(home, "root");
        if (Directory.Exists(jupyter)) Directory.Delete(jupyter, recursive: true);
        if (Directory.Exists(root)) DeleteKeepingLinkTargets(root);
        string kernels = Path.Combine(jupyter, "data", "kernels");
        Directory.CreateDirectory(kernels);
        Directory.CreateDirectory(root);

        // The notebooks folder as a student has it (notebooks and their helper scripts), and the link that
        // makes "../artifacts/…" from a notebook reach the clone's artifacts folder.
        string notebooks = Path.Combine(root, "notebooks");
        CopyFolder(Path.Combine(Tools.Root, "notebooks"), notebooks);
        File.CreateSymbolicLink(Path.Combine(root, "artifacts"), Path.Combine(Tools.Root, "artifacts"));

        // The kernelspec the README installs (`--install-kernel`): the kernel's HTTP API off, nothing outside loopback.
        Kernelspec.Install(kernels, Kernelspec.GuardAssembly);
        if (Kernelspec.IsGuarded(JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, Kernelspec.CSharp, "kernel.json")))!.AsObject()) != true)
            throw new InvalidOperationException($"--install-kernel wrote no guarded {Kernelspec.CSharp} kernelspec into {kernels}");

        int port = FreePort();
        var start = new ProcessStartInfo(Tools.JupyterNotebook!)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--no-browser", "--ip", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--port-retries=0", "--NotebookApp.token=", "--NotebookApp.password=", "--allow-root",
                     "--notebook-dir", root,
                 })
            start.ArgumentList.Add(arg);
        start.Environment["JUPYTER_PATH"] = Path.Combine(jupyter, "data");
        start.Environment["JUPYTER_DATA_DIR"] = Path.Combine(jupyter, "data");
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(jupyter, "config");
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(jupyter, "runtime");
        start.Environment["IPYTHONDIR"] = Path.Combine(jupyter, "ipython");
        start.Environment["JUPYTER_PLATFORM_DIRS"] = "1";

        var process = Process.Start(start) ?? throw new InvalidOperationException("jupyter-notebook did not start");
        var server = new JupyterServer(process, port, notebooks);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"jupyter-notebook exited with {process.ExitCode}:\n{server.Log}");
            try
            {
                var specs = JsonNode.Parse(await server._http.GetStringAsync("api/kernelspecs"));
                if (specs?["kernelspecs"]?[".net-csharp"] is null)
                    throw new InvalidOperationException($"Jupyter does not list the .net-csharp kernel: {specs}\n{server.Log}");
                return server;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>The page of a served notebook.</summary>
    public string NotebookUrl(string fileName) => $"{BaseUrl}notebooks/notebooks/{Uri.EscapeDataString(fileName)}";

    /// <summary>Shuts down every running kernel (the kernels end themselves; the server waits for them).</summary>
    public async Task ShutDownKernelsAsync()
    {
        var sessions = JsonNode.Parse(await _http.GetStringAsync("api/sessions")) as JsonArray ?? [];
        foreach (var session in sessions)
        {
            if (session?["id"]?.GetValue<string>() is { } id)
                using (await _http.DeleteAsync($"api/sessions/{id}")) { }
        }
        var kernels = JsonNode.Parse(await _http.GetStringAsync("api/kernels")) as JsonArray ?? [];
        foreach (var kernel in kernels)
        {
            if (kernel?["id"]?.GetValue<string>() is { } id)
                using (await _http.DeleteAsync($"api/kernels/{id}")) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await ShutDownKernelsAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The server is gone already; the kill below ends whatever is left.
        }
        if (!_process.HasExited)
        {
            // The server and anything it started (kernels that did not end), by this process's id.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.')) continue;
            File.Copy(file, Path.Combine(to, name), overwrite: true);
        }
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.') || name == "__pycache__") continue;
            CopyFolder(dir, Path.Combine(to, name));
        }
    }

    /// <summary>Deletes a folder without following the link to artifacts/ inside it.</summary>
    private static void DeleteKeepingLinkTargets(string folder)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null || entry is FileInfo) entry.Delete();
            else DeleteKeepingLinkTargets(entry.FullName);
        }
        Directory.Delete(folder);
    }

    internal static async Task<string> RunAsync(string program, IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
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
        string output = await stdout + await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output}");
        return output;
    }
}
