using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// A kernel started exactly as Jupyter (and VS Code's Jupyter extension) starts it: by jupyter_client from a
/// kernelspec folder, its argv and env as the kernelspec says, in a notebook's folder. Cells run over Jupyter's
/// protocol (jupyter_kernel.py beside this file does the talking). Disposing shuts it down and kills whatever is
/// left by process id.
/// </summary>
internal sealed class JupyterKernel : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _driver;
    private readonly List<int> _tree = [];

    private JupyterKernel(Process driver, int pid, IReadOnlyList<int> ports)
    {
        _driver = driver;
        ProcessId = pid;
        ZmqPorts = ports;
    }

    /// <summary>The process the kernelspec's argv started (<c>dotnet</c>); the kernel itself is among its descendants.</summary>
    public int ProcessId { get; }

    /// <summary>The five ports of Jupyter's channels (shell, iopub, stdin, control, heartbeat).</summary>
    public IReadOnlyList<int> ZmqPorts { get; }

    /// <summary>Why these tests cannot run here (no Debian Python with jupyter_client, not Linux), or null.</summary>
    public static string? Missing { get; } = FindMissing();

    public static async Task<JupyterKernel> StartAsync(string kernelsFolder, string name)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(Repository.Root, "tests", "NeuralNet.Notebooks.Tests", "jupyter_kernel.py"), kernelsFolder, name, Repository.NotebooksDirectory })
            start.ArgumentList.Add(arg);
        var driver = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = driver.StandardError.ReadToEndAsync();
        var ready = await NextAsync(driver, TimeSpan.FromMinutes(5), stderr);
        var kernel = new JupyterKernel(driver, ready["pid"]!.GetValue<int>(), ready["ports"]!.AsArray().Select(p => p!.GetValue<int>()).ToList());
        kernel._tree.AddRange(ListeningSockets.ProcessTree(kernel.ProcessId));
        return kernel;
    }

    /// <summary>Runs a cell; returns its status ("ok" or "error") and its output messages.</summary>
    public async Task<(string Status, JsonArray Messages)> ExecuteAsync(string code)
    {
        await _driver.StandardInput.WriteLineAsync(new JsonObject { ["execute"] = code }.ToJsonString());
        await _driver.StandardInput.FlushAsync();
        var reply = await NextAsync(_driver, TimeSpan.FromMinutes(5), null);
        return (reply["status"]!.GetValue<string>(), reply["messages"]!.AsArray());
    }

    /// <summary>The kernel's process and every process under it now.</summary>
    public IReadOnlyList<int> ProcessTree() => ListeningSockets.ProcessTree(ProcessId);

    public async ValueTask DisposeAsync()
    {
        var tree = _tree.Union(ListeningSockets.ProcessTree(ProcessId)).ToList();
        try
        {
            if (!_driver.HasExited)
            {
                await _driver.StandardInput.WriteLineAsync("""{"stop": true}""");
                _driver.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _driver.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        finally
        {
            if (!_driver.HasExited) _driver.Kill(entireProcessTree: true);
            // Whatever jupyter_client did not end: by process id.
            foreach (var pid in tree.Where(KernelProcess.IsAlive))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                }
            }
            _driver.Dispose();
        }
    }

    private static async Task<JsonObject> NextAsync(Process driver, TimeSpan timeout, Task<string>? stderr)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await driver.StandardOutput.ReadLineAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                driver.Kill(entireProcessTree: true);
                throw new TimeoutException($"jupyter_kernel.py said nothing for {timeout}");
            }
            if (line is null)
            {
                var why = stderr is null ? "" : await stderr;
                throw new InvalidOperationException($"jupyter_kernel.py ended before answering:\n{why}");
            }
            if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject message)
                return message;
        }
    }

    private static string? FindMissing()
    {
        if (!OperatingSystem.IsLinux())
            return "Skipped: reads the kernel's sockets from /proc (Linux only).";
        if (!File.Exists(Python))
            return $"Skipped: {Python} not found. Install it (Debian, as root): apt-get install -y python3-jupyter-client — .ci/run does this by itself.";
        using var probe = Process.Start(new ProcessStartInfo(Python, "-c \"import jupyter_client\"") { UseShellExecute = false, RedirectStandardError = true })!;
        probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        return probe.ExitCode == 0 ? null
            : "Skipped: Debian's Python has no jupyter_client. Install it (Debian, as root): apt-get install -y python3-jupyter-client — .ci/run does this by itself.";
    }
}

/// <summary>A fact that starts a kernel through jupyter_client: skipped, with what to install, when it is missing.</summary>
public sealed class JupyterClientFactAttribute : FactAttribute
{
    public JupyterClientFactAttribute()
    {
        if (JupyterKernel.Missing is { } why) Skip = why;
    }
}
