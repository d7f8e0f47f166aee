using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NeuralNet.Runner;

/// <summary>
/// <c>--check</c>: what this machine still needs before the workbook's notebooks run, one line per part, each with
/// the command that fixes it: the .NET SDK and runtimes, the pinned kernel tool, the kernelspec, Jupyter, and the
/// library the notebooks load.
/// </summary>
public static partial class SetupCheck
{
    /// <summary>One line of the report: whether the part is in order, what was found, and the command that fixes it.</summary>
    public sealed record Line(bool Ok, string Part, string Found, string? Fix = null)
    {
        /// <summary>The line as printed: ✔ or ✘, the part, what was found, and on the next line the fix.</summary>
        public override string ToString() =>
            $"{(Ok ? "✔" : "✘")} {Part}: {Found}" + (Ok || Fix is null ? "" : $"\n    fix: {Fix}");
    }

    /// <summary>The command that builds the library into artifacts/notebook-library/ (what the first cell runs).</summary>
    public const string BuildCommand = "dotnet build src/NeuralNet.Interactive";

    private const string InstallDotNet = "install the .NET 10 SDK (LTS) or the .NET 11 SDK from https://dot.net/download, then open a new terminal";

    /// <summary>
    /// Every check, for the repository at <paramref name="root"/> and the kernelspecs in <paramref name="kernelsFolder"/>
    /// (<paramref name="givenFolder"/>: the student named that folder with --path, so the fix names it too).
    /// </summary>
    public static IReadOnlyList<Line> Run(string root, string kernelsFolder, bool givenFolder = false) =>
        [Sdk(root), Runtimes(root), KernelTool(root), KernelspecInstalled(kernelsFolder, givenFolder), Jupyter(), Library(root)];

    /// <summary>Prints every line, then a summary; returns 0 when all is in order, 1 otherwise.</summary>
    public static int Print(IReadOnlyList<Line> lines, TextWriter output)
    {
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
        var failed = lines.Count(l => !l.Ok);
        output.WriteLine(failed == 0
            ? "All set: open a notebook (VS Code or Jupyter, kernel .NET (C#)) and run it."
            : $"{failed} of {lines.Count} not in order: run the fix under each ✘ (in the repository's folder), then --check again.");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The SDK the repository's global.json picks: 10 or newer.</summary>
    public static Line Sdk(string root)
    {
        var (ok, output) = Command(root, "dotnet", "--version");
        var version = output.Trim();
        return ok && Major(version) >= 10
            ? new Line(true, ".NET SDK", version)
            : new Line(false, ".NET SDK", ok ? $"{version} (the workbook needs 10 or newer)" : "none that global.json accepts (10 or newer)", InstallDotNet);
    }

    /// <summary>The runtimes the kernel and the runner run on: Microsoft.NETCore.App and Microsoft.AspNetCore.App 10 or newer.</summary>
    public static Line Runtimes(string root)
    {
        var (ok, output) = Command(root, "dotnet", "--list-runtimes");
        var found = (ok ? output : "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length >= 2 && Major(p[1]) >= 10)
            .GroupBy(p => p[0], p => p[1])
            .ToDictionary(g => g.Key, g => g.ToList());
        string[] needed = ["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"];
        var text = string.Join(", ", needed.Select(n => $"{n} {(found.TryGetValue(n, out var v) ? string.Join(" ", v) : "missing")}"));
        return needed.All(found.ContainsKey)
            ? new Line(true, ".NET runtimes", text)
            : new Line(false, ".NET runtimes", $"{text} (the kernel needs both, 10 or newer)", InstallDotNet);
    }

    /// <summary>The kernel tool pinned in .config/dotnet-tools.json, restored and answering with that version.</summary>
    public static Line KernelTool(string root)
    {
        const string Part = "kernel tool";
        var manifest = Path.Combine(root, ".config", "dotnet-tools.json");
        string pinned;
        try
        {
            pinned = JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?["microsoft.dotnet-interactive"]?["version"]?.GetValue<string>()
                ?? throw new InvalidDataException("it pins no microsoft.dotnet-interactive");
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or InvalidOperationException)
        {
            return new Line(false, Part, $"cannot read {manifest}: {e.Message}", "git checkout .config/dotnet-tools.json");
        }
        var (ok, output) = Command(root, "dotnet", "tool", "run", "dotnet-interactive", "--", "--version");
        var version = output.Trim().Split('+')[0];
        return ok && version == pinned
            ? new Line(true, Part, $"dotnet-interactive {version} (pinned in .config/dotnet-tools.json)")
            : new Line(false, Part, ok ? $"dotnet-interactive {version}, not the pinned {pinned}" : $"dotnet-interactive {pinned} is not restored", "dotnet tool restore");
    }

    /// <summary>The ".NET (C#)" kernelspec in <paramref name="kernelsFolder"/>: there, and guarded (<see cref="Kernelspec.IsGuarded"/>).</summary>
    public static Line KernelspecInstalled(string kernelsFolder, bool givenFolder = false)
    {
        const string Part = "kernelspec";
        var install = givenFolder ? $"{Kernelspec.InstallCommand} --path {kernelsFolder}" : Kernelspec.InstallCommand;
        var path = Path.Combine(kernelsFolder, Kernelspec.CSharp, "kernel.json");
        if (!File.Exists(path))
            return new Line(false, Part, $"no .NET (C#) kernelspec in {kernelsFolder}", install);
        JsonObject? spec;
        try
        {
            spec = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException e)
        {
            return new Line(false, Part, $"{path} is not valid JSON ({e.Message})", install);
        }
        return (spec is null ? null : Kernelspec.IsGuarded(spec)) switch
        {
            true => new Line(true, Part, $".NET (C#) in {Path.GetDirectoryName(path)}, guarded (HTTP API off, loopback only)"),
            false => new Line(false, Part, $"{path} starts the kernel with its HTTP API open to web pages and the network "
                + "(written by `dotnet-interactive jupyter install`, or its guard is missing)", install),
            null => new Line(false, Part, $"{path} does not start .NET Interactive", install),
        };
    }

    /// <summary>Jupyter on the PATH, with Notebook or Lab to open the notebooks in.</summary>
    public static Line Jupyter()
    {
        const string Fix = "python3 -m pip install --user notebook   (or your system's package, e.g. apt install jupyter-notebook)";
        var jupyter = OnPath("jupyter");
        if (jupyter is null)
            return new Line(false, "Jupyter", "`jupyter` is not on the PATH", Fix);
        var frontEnds = new[] { "notebook", "lab" }.Where(f => OnPath($"jupyter-{f}") is not null).ToList();
        return frontEnds.Count > 0
            ? new Line(true, "Jupyter", $"{jupyter} ({string.Join(", ", frontEnds.Select(f => $"jupyter {f}"))})")
            : new Line(false, "Jupyter", $"{jupyter}, but neither `jupyter notebook` nor `jupyter lab`", Fix);
    }

    /// <summary>
    /// The library the notebooks load (artifacts/notebook-library/): built, and no source newer than its build — the
    /// same sources and the same built.stamp as the first cell (notebooks/build-library.csx) compares.
    /// </summary>
    public static Line Library(string root)
    {
        const string Part = "library";
        var library = Path.Combine(root, "artifacts", "notebook-library");
        var stamp = new FileInfo(Path.Combine(library, "built.stamp"));
        if (!stamp.Exists || !File.Exists(Path.Combine(library, "NeuralNet.dll")))
            return new Line(false, Part, "not built yet (artifacts/notebook-library/ is missing; a notebook's first cell builds it too, in about a minute)", BuildCommand);
        IReadOnlyList<string> sources;
        try
        {
            sources = LibrarySources(root);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return new Line(false, Part, $"cannot tell what it is built from: {e.Message}", "git checkout notebooks/build-library.csx");
        }
        var newest = sources
            .Select(source => Path.Combine(root, source))
            .SelectMany(path => Directory.Exists(path)
                ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories)
                : File.Exists(path) ? [new FileInfo(path)] : [])
            .MaxBy(file => file.LastWriteTimeUtc);
        var built = $"built {stamp.LastWriteTime:yyyy-MM-dd HH:mm:ss}";
        return newest is null || newest.LastWriteTimeUtc <= stamp.LastWriteTimeUtc
            ? new Line(true, Part, $"artifacts/notebook-library/, {built}, up to date")
            : new Line(false, Part, $"stale: {Path.GetRelativePath(root, newest.FullName)} changed ({newest.LastWriteTime:yyyy-MM-dd HH:mm:ss}) after the build the notebooks load ({built})",
                $"{BuildCommand}   (then restart any running kernel: it keeps the DLLs it loaded)");
    }

    /// <summary>What the library is built from, read from the first cell's script (notebooks/build-library.csx), so the two never disagree.</summary>
    public static IReadOnlyList<string> LibrarySources(string root)
    {
        var script = Path.Combine(root, "notebooks", "build-library.csx");
        var match = SourcesDeclaration().Match(File.ReadAllText(script));
        if (!match.Success)
            throw new InvalidDataException($"{script} no longer declares `static readonly string[] Sources = [\"…\", …];`: update SetupCheck.LibrarySources to read it.");
        return Quoted().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
    }

    [GeneratedRegex(@"static\s+readonly\s+string\[\]\s+Sources\s*=\s*\[([^\]]*)\]")]
    private static partial Regex SourcesDeclaration();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();

    private static int Major(string version) =>
        int.TryParse(version.Split('.')[0], out var major) ? major : 0;

    private static string? OnPath(string name)
    {
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat" } : [""];
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => extensions.Select(ext => Path.Combine(dir, name + ext)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a command in <paramref name="directory"/>: whether it exited with 0, and what it printed (stdout, then stderr).</summary>
    private static (bool Ok, string Output) Command(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start);
            if (process is null)
                return (false, "");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                return (false, "timed out");
            }
            return (process.ExitCode == 0, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, e.Message);
        }
    }
}
