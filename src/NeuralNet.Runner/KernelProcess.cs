using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace NeuralNet.Runner;

/// <summary>The kernel stopped (crashed, or was killed) while the runner waited for it.</summary>
public sealed class KernelExitedException(string message) : Exception(message);

/// <summary>
/// One real .NET Interactive kernel process (<c>dotnet tool run dotnet-interactive -- stdio</c>, what
/// VS Code runs), spoken to over its stdio protocol: one JSON command envelope per line in, one JSON
/// event envelope per line out.
/// </summary>
/// <remarks>
/// The runner owns the process, so it can always end it: <see cref="Dispose"/> kills the whole tree
/// (<c>dotnet tool run</c> and the kernel it starts) and, in case the kernel was orphaned, the kernel
/// itself by the process id it announces in <c>KernelReady</c>. A kernel left behind keeps burning most
/// of a core; the process-exit hook covers the runner being stopped too.
/// </remarks>
public sealed partial class KernelProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(new() { SingleReader = true });
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly EventHandler _onProcessExit;
    private readonly int _pid;
    private readonly DateTime _startedAt;
    private int _commands;
    private int _disposed;

    private KernelProcess(Process process, DateTime startedAt)
    {
        _process = process;
        _pid = process.Id;
        _startedAt = startedAt;
        _onProcessExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>Id of the process the runner started (<c>dotnet tool run</c>).</summary>
    public int ProcessId => _pid;

    /// <summary>Id of the kernel process itself (a child of <see cref="ProcessId"/>), once ready.</summary>
    public int? KernelProcessId { get; private set; }

    // The kernel's start time, read when it announced itself: a process that later reuses its id has another.
    private DateTime? _kernelStartTime;

    private static DateTime? StartTimeOf(int? pid)
    {
        if (pid is not { } id) return null;
        try
        {
            using var process = Process.GetProcessById(id);
            return process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts a kernel whose working directory is <paramref name="workingDirectory"/> (the notebook's
    /// folder, as in VS Code), using the tool pinned in <paramref name="toolRoot"/>/.config/dotnet-tools.json,
    /// and waits for it to be ready.
    /// </summary>
    public static async Task<KernelProcess> StartAsync(string toolRoot, string workingDirectory, TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = toolRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "tool", "run", "dotnet-interactive", "--", "stdio", "--default-kernel", "csharp", "--working-dir", workingDirectory })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var startedAt = DateTime.Now;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start `dotnet tool run dotnet-interactive`");
        var kernel = new KernelProcess(process, startedAt);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(startupTimeout);
            while (true)
            {
                JsonObject envelope;
                try
                {
                    envelope = await kernel.NextEventAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"the kernel was not ready after {startupTimeout.TotalSeconds:0} s{kernel.StderrTail()}");
                }
                if (envelope["eventType"]?.GetValue<string>() == "KernelReady")
                {
                    kernel.KernelProcessId = KernelPid(envelope);
                    kernel._kernelStartTime = StartTimeOf(kernel.KernelProcessId);
                    return kernel;
                }
            }
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="code"/> in the given subkernel, passing every event of the command to
    /// <paramref name="onEvent"/> (event type, event body), and returns null when it succeeded or the
    /// kernel's error message when it failed. Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> and <see cref="KernelExitedException"/> if the kernel dies.
    /// </summary>
    public async Task<string?> SubmitCodeAsync(string code, string kernelName, Action<string, JsonObject?> onEvent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var token = $"neuralnet-{Interlocked.Increment(ref _commands)}";
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernelName },
        };
        try
        {
            await _process.StandardInput.WriteLineAsync(envelope.ToJsonString().AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new KernelExitedException($"the kernel stopped reading commands ({e.Message}){StderrTail()}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            JsonObject received;
            try
            {
                received = await NextEventAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s");
            }

            var eventToken = received["command"]?["token"]?.GetValue<string>();
            if (eventToken is null || (eventToken != token && !eventToken.StartsWith(token + ".", StringComparison.Ordinal)))
            {
                continue;
            }
            var type = received["eventType"]?.GetValue<string>() ?? "";
            var body = received["event"] as JsonObject;
            if (eventToken == token && type == "CommandSucceeded")
            {
                return null;
            }
            if (eventToken == token && type == "CommandFailed")
            {
                return body?["message"]?.GetValue<string>() ?? "the command failed without a message";
            }
            onEvent(type, body);
        }
    }

    /// <summary>Kills the kernel and everything it started. Safe to call more than once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        // If `dotnet tool run` went first, the kernel is no longer in its tree: end it by its own id
        // (checking it is the process we saw start, not a later one that reused the id).
        if (KernelProcessId is { } pid)
        {
            try
            {
                using var kernel = Process.GetProcessById(pid);
                if (IsAlive(pid) && _kernelStartTime is { } started && kernel.StartTime == started)
                {
                    kernel.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Not running (the normal case).
            }
        }

        // SIGKILL is asynchronous: wait until both are really gone.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (IsAlive(_pid) || (KernelProcessId is { } k && IsAlive(k))))
        {
            Thread.Sleep(50);
        }
    }

    /// <summary>Whether a process is running (a zombie waiting to be reaped is not).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }

        var stat = $"/proc/{pid}/stat";
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return true;
            }
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        Kill();
        Task.WaitAll([_stdoutPump, _stderrPump], TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private async Task<JsonObject> NextEventAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _events.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            var code = _process.HasExited ? $" with exit code {_process.ExitCode}" : "";
            throw new KernelExitedException($"the kernel process exited{code}{StderrTail()}");
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                // The kernel prints a welcome banner before the protocol starts: skip anything not JSON.
                if (!line.StartsWith('{'))
                {
                    continue;
                }
                try
                {
                    if (JsonNode.Parse(line) is JsonObject envelope)
                    {
                        _events.Writer.TryWrite(envelope);
                    }
                }
                catch (JsonException)
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderrTail)
                {
                    _stderrTail.Enqueue(line);
                    if (_stderrTail.Count > 20)
                    {
                        _stderrTail.Dequeue();
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private string StderrTail()
    {
        lock (_stderrTail)
        {
            return _stderrTail.Count == 0 ? "" : "; kernel stderr:\n" + string.Join('\n', _stderrTail);
        }
    }

    private static int? KernelPid(JsonObject kernelReady)
    {
        // KernelReady lists the kernels as kernel://pid-<id>/…; that id is the kernel process.
        var match = PidPattern().Match(kernelReady.ToJsonString());
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"kernel://pid-(\d+)")]
    private static partial Regex PidPattern();
}
