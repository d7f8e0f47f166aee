using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace NeuralNet.Runner.Book;

/// <summary>
/// What the book is typeset with: node, and from npm KaTeX and highlight.js (Book/package.json), installed
/// into <c>artifacts/book-npm</c> the first time, as <c>.ci/run</c> installs the browser tests' packages into artifacts/npm.
/// </summary>
internal sealed class BookTools
{
    private BookTools(string folder, string node)
    {
        Folder = folder;
        Node = node;
    }

    /// <summary>artifacts/book-npm: package.json, node_modules and the typesetting script.</summary>
    public string Folder { get; }

    public string Node { get; }

    public string NodeModules => Path.Combine(Folder, "node_modules");

    /// <summary>The script node runs (Book/typeset.js, written beside node_modules so that require finds the packages).</summary>
    public string TypesetScript => Path.Combine(Folder, "typeset.js");

    /// <summary>The packages and versions of Book/package.json, e.g. "katex 0.16.22 and highlight.js 11.11.1".</summary>
    public static string Packages =>
        string.Join(" and ", JsonNode.Parse(Resource("package.json"))!["dependencies"]!.AsObject().Select(p => $"{p.Key} {p.Value}"));

    /// <summary>
    /// node and the npm packages, installed into <paramref name="folder"/> when missing or not the pinned versions;
    /// or the one line that says what the book needs (<paramref name="needs"/>).
    /// </summary>
    public static BookTools? Prepare(string folder, out string? needs)
    {
        needs = null;
        string? node = OnPath("node");
        string? npm = OnPath("npm");
        if (node is null || npm is null)
        {
            needs = $"the book (artifacts/book/) was not written: it needs Node.js and npm on PATH, for {Packages} (npm installs them into "
                + $"{Relative(folder)}); install Node.js (it brings npm), then run `dotnet run --project src/NeuralNet.Runner -- --book`.";
            return null;
        }
        var tools = new BookTools(folder, node);
        Directory.CreateDirectory(folder);
        string manifest = Resource("package.json");
        File.WriteAllText(tools.TypesetScript, Resource("typeset.js"));
        if (tools.Installed(manifest)) return tools;

        File.WriteAllText(Path.Combine(folder, "package.json"), manifest);
        var (exit, log) = Run(npm, ["install", "--prefix", folder, "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(10));
        if (exit != 0 || !tools.Installed(manifest))
        {
            string last = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {exit}";
            needs = $"the book (artifacts/book/) was not written: `npm install --prefix {Relative(folder)}` of {Packages} failed ({last}); "
                + "fix npm's access to its registry, then run `dotnet run --project src/NeuralNet.Runner -- --book`.";
            return null;
        }
        return tools;
    }

    /// <summary>Every package of the manifest is in node_modules at its pinned version.</summary>
    private bool Installed(string manifest)
    {
        foreach (var (name, version) in JsonNode.Parse(manifest)!["dependencies"]!.AsObject())
        {
            string installed = Path.Combine(NodeModules, name, "package.json");
            if (!File.Exists(installed) || JsonNode.Parse(File.ReadAllText(installed))?["version"]?.GetValue<string>() != version!.GetValue<string>())
                return false;
        }
        return true;
    }

    /// <summary>A file of Book/ embedded in the runner (typeset.js, package.json, book.css).</summary>
    public static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Book." + name)
            ?? throw new InvalidOperationException($"the runner holds no Book/{name}: rebuild src/NeuralNet.Runner");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static (int Exit, string Log) Run(string program, IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
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
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{Path.GetFileName(program)} took over {timeout.TotalMinutes:0} minutes and was stopped");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    /// <summary>A program on PATH (on Windows also its .cmd or .exe: npm is npm.cmd there).</summary>
    private static string? OnPath(string program)
    {
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program + ".cmd"] : [program];
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }
}
