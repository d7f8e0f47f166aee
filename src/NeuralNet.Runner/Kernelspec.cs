using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralNet.Runner;

/// <summary>
/// The Jupyter kernelspec the workbook installs for Jupyter and VS Code's Jupyter extension: the pinned
/// .NET Interactive kernel, started as <c>dotnet-interactive jupyter install</c> would start it, but safe.
/// </summary>
/// <remarks>
/// In Jupyter mode the pinned kernel always runs an HTTP API with no authentication that accepts any Origin: it
/// listens on every network interface, returns any variable's value and runs any code sent to its SignalR hub.
/// The kernel is deprecated and will not be fixed, so this kernelspec closes it from outside:
/// <list type="bullet">
/// <item><c>--http-local-only</c>: the listener is on loopback only, never on another interface;</item>
/// <item><c>DOTNET_STARTUP_HOOKS</c> loads NeuralNet.KernelGuard into the kernel, which answers every HTTP request
/// with 403 and never sets up the API's routes or hub. Nothing the notebooks do needs them: cells, outputs,
/// charts and live updates travel over Jupyter's own channels.</item>
/// </list>
/// The guard is copied beside kernel.json, so the kernelspec does not depend on this repository's folder.
/// </remarks>
public static class Kernelspec
{
    /// <summary>The kernel's name in notebooks' metadata and in Jupyter; <c>dotnet-interactive jupyter install</c> uses the same.</summary>
    public const string CSharp = ".net-csharp";

    /// <summary>The file name of the guard assembly, in the runner's folder and in the kernelspec's.</summary>
    public const string GuardFileName = "NeuralNet.KernelGuard.dll";

    /// <summary>The command that installs it, as a student types it.</summary>
    public const string InstallCommand = "dotnet run --project src/NeuralNet.Runner -- --install-kernel";

    /// <summary>The kernels <c>dotnet-interactive jupyter install</c> writes besides C# (each as unsafe as the C# one).</summary>
    private static readonly Dictionary<string, (string DefaultKernel, string DisplayName, string Language)> Kernels = new()
    {
        [CSharp] = ("csharp", ".NET (C#)", "C#"),
        [".net-fsharp"] = ("fsharp", ".NET (F#)", "F#"),
        [".net-powershell"] = ("pwsh", ".NET (PowerShell)", "PowerShell"),
    };

    /// <summary>The guard assembly shipped beside the runner.</summary>
    public static string GuardAssembly => Path.Combine(AppContext.BaseDirectory, GuardFileName);

    /// <summary>
    /// The kernelspec of <paramref name="name"/> (one of the .NET kernels) whose guard is <paramref name="guardPath"/>:
    /// what kernel.json holds.
    /// </summary>
    public static JsonObject KernelJson(string name, string guardPath)
    {
        var (defaultKernel, displayName, language) = Kernels[name];
        return new JsonObject
        {
            ["argv"] = new JsonArray("dotnet", "interactive", "jupyter", "--default-kernel", defaultKernel, "--http-local-only", "{connection_file}"),
            ["env"] = new JsonObject { ["DOTNET_STARTUP_HOOKS"] = guardPath },
            ["display_name"] = displayName,
            ["language"] = language,
            ["metadata"] = new JsonObject
            {
                ["neuralnet"] = new JsonObject
                {
                    ["installedBy"] = InstallCommand,
                    ["why"] = "The kernel's HTTP API is off (every request gets 403) and its listener is on loopback only: "
                        + "as `dotnet-interactive jupyter install` writes it, any web page or any machine on the network can run code in it.",
                },
            },
        };
    }

    /// <summary>
    /// Whether a kernelspec starts the kernel safely: <c>--http-local-only</c> and a guard that exists. Null when it
    /// is not a .NET Interactive Jupyter kernel at all.
    /// </summary>
    public static bool? IsGuarded(JsonObject spec)
    {
        var argv = (spec["argv"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];
        if (!argv.Contains("jupyter") || !argv.Any(a => a.Contains("interactive", StringComparison.OrdinalIgnoreCase)))
            return null;
        var hook = spec["env"]?["DOTNET_STARTUP_HOOKS"]?.GetValue<string>();
        return argv.Contains("--http-local-only") && hook is not null
            && Path.GetFileName(hook) == GuardFileName && File.Exists(hook);
    }

    /// <summary>
    /// The folder Jupyter reads user kernelspecs from: what <c>jupyter --data-dir</c> says when Jupyter is installed
    /// (it knows every setting that moves it), else Jupyter's default (<c>$JUPYTER_DATA_DIR</c>, then
    /// ~/.local/share/jupyter, ~/Library/Jupyter or %APPDATA%\jupyter), with <c>kernels</c> under it. VS Code's
    /// Jupyter extension reads the same folder.
    /// </summary>
    public static string DefaultKernelsFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } configured)
            return Path.Combine(configured, "kernels");
        if (AskJupyterDataDir() is { } fromJupyter)
            return Path.Combine(fromJupyter, "kernels");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string data = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter")
            : OperatingSystem.IsMacOS()
                ? Path.Combine(home, "Library", "Jupyter")
                : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
        return Path.Combine(data, "kernels");
    }

    /// <summary>
    /// Installs the C# kernelspec into <paramref name="kernelsFolder"/> (created if missing), replacing one of the
    /// same name, and re-writes any other .NET Interactive kernelspec there (F#, PowerShell, left by
    /// <c>dotnet-interactive jupyter install</c>) the same safe way. Returns one line per kernelspec written.
    /// </summary>
    public static IReadOnlyList<string> Install(string kernelsFolder, string guardAssembly)
    {
        if (!File.Exists(guardAssembly))
            throw new FileNotFoundException($"The kernel guard {guardAssembly} is missing: build the runner first (dotnet build src/NeuralNet.Runner).", guardAssembly);
        Directory.CreateDirectory(kernelsFolder);
        var written = new List<string>();
        foreach (var name in Kernels.Keys)
        {
            var folder = Path.Combine(kernelsFolder, name);
            var existing = ReadSpec(folder);
            if (name != CSharp && existing is null)
                continue;
            var guard = Path.GetFullPath(Path.Combine(folder, GuardFileName));
            // The runtime splits DOTNET_STARTUP_HOOKS at the path separator: such a path would load nothing.
            if (guard.Contains(Path.PathSeparator))
                throw new ArgumentException($"The kernelspec folder {folder} contains '{Path.PathSeparator}', which DOTNET_STARTUP_HOOKS cannot hold: give another folder with --path.");
            Directory.CreateDirectory(folder);
            File.Copy(guardAssembly, guard, overwrite: true);
            var json = KernelJson(name, guard).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var temporary = Path.Combine(folder, $".kernel.json.{Environment.ProcessId}.tmp");
            File.WriteAllText(temporary, json + "\n");
            File.Move(temporary, Path.Combine(folder, "kernel.json"), overwrite: true);
            written.Add(existing is null ? $"{name}: installed in {folder}"
                : IsGuarded(existing) == true ? $"{name}: updated in {folder}"
                : $"{name}: replaced in {folder} (the earlier kernelspec left the kernel's HTTP API open)");
        }
        return written;
    }

    private static JsonObject? ReadSpec(string folder)
    {
        var path = Path.Combine(folder, "kernel.json");
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? AskJupyterDataDir()
    {
        try
        {
            using var jupyter = Process.Start(new ProcessStartInfo("jupyter", "--data-dir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (jupyter is null) return null;
            var output = jupyter.StandardOutput.ReadToEndAsync();
            if (!jupyter.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                jupyter.Kill(entireProcessTree: true);
                return null;
            }
            var folder = output.Result.Trim();
            return jupyter.ExitCode == 0 && Path.IsPathRooted(folder) ? folder : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // Jupyter is not installed (VS Code's Jupyter extension alone reads the default folder).
        }
    }
}
