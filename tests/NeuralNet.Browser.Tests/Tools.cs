using System.Text.Json.Nodes;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The programs the browser tests drive, found on this machine, and what to install when one is missing.
/// A test that needs a missing one is reported as skipped with that message, never passed.
/// </summary>
internal static class Tools
{
    /// <summary>
    /// The plotly.js 3 every saved figure is also drawn with (PlotlyJs3Tests): the version
    /// pinned in tests/NeuralNet.Browser.Tests/package.json, which .ci/run installs into artifacts/npm.
    /// </summary>
    public static string PlotlyJs3Version =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "tests", "NeuralNet.Browser.Tests", "package.json")))!["dependencies"]!["plotly.js-dist-min"]!.GetValue<string>();

    private const string InstallBrowserTools =
        "Install them (Debian, as root): apt-get update && apt-get install -y chromium jupyter-notebook jupyter-nbconvert "
        + "— .ci/run does this by itself.";

    public static string Root { get; } = FindRoot();

    /// <summary>Chromium: $NEURALNET_CHROMIUM, else /usr/bin/chromium (Debian), else chromium or chromium-browser on PATH.</summary>
    public static string? Chromium { get; } =
        Environment.GetEnvironmentVariable("NEURALNET_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : OnPath("chromium") ?? OnPath("chromium-browser");

    public static string? JupyterNotebook { get; } = OnPath("jupyter-notebook");

    public static string? JupyterNbconvert { get; } = OnPath("jupyter-nbconvert");

    /// <summary>Where .ci/run installs plotly.js 3 (npm plotly.js-dist-min), inside the clone.</summary>
    public static string PlotlyJs3Folder => Path.Combine(Root, "artifacts", "npm", "node_modules", "plotly.js-dist-min");

    public static string PlotlyJs3 => Path.Combine(PlotlyJs3Folder, "plotly.min.js");

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? MissingBrowserTools
    {
        get
        {
            var missing = new List<string>();
            if (Chromium is null) missing.Add("chromium (or set NEURALNET_CHROMIUM to a Chromium binary)");
            if (JupyterNotebook is null) missing.Add("jupyter-notebook");
            if (JupyterNbconvert is null) missing.Add("jupyter-nbconvert");
            return missing.Count == 0 ? null
                : $"Browser tests skipped: {string.Join(", ", missing)} not found. {InstallBrowserTools}";
        }
    }

    /// <summary>Why the plotly.js 3 test cannot run here, or null when it can.</summary>
    public static string? MissingPlotlyJs3
    {
        get
        {
            if (Chromium is null) return MissingBrowserTools;
            var package = Path.Combine(PlotlyJs3Folder, "package.json");
            string install = "Install it into the clone: mkdir -p artifacts/npm && cp tests/NeuralNet.Browser.Tests/package.json artifacts/npm/ "
                + "&& npm install --prefix artifacts/npm (.ci/run does this by itself; it needs npm: apt-get install -y npm).";
            if (!File.Exists(PlotlyJs3) || !File.Exists(package))
                return $"plotly.js 3 test skipped: {PlotlyJs3} not found. {install}";
            var version = JsonNode.Parse(File.ReadAllText(package))?["version"]?.GetValue<string>();
            return version == PlotlyJs3Version ? null
                : $"plotly.js 3 test skipped: artifacts/npm holds plotly.js-dist-min {version}, not {PlotlyJs3Version}. {install}";
        }
    }

    /// <summary>
    /// A Python that has jupyter_client (Debian's python3-jupyter-client, which jupyter-notebook brings): $NEURALNET_PYTHON,
    /// else /usr/bin/python3 (Debian's packages are installed for it), else python3 on PATH; null when none imports it.
    /// </summary>
    public static string? PythonWithJupyterClient => PythonProbe.Value;

    private static readonly Lazy<string?> PythonProbe = new(() =>
        new[] { Environment.GetEnvironmentVariable("NEURALNET_PYTHON"), "/usr/bin/python3", OnPath("python3") }
            .Where(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            .FirstOrDefault(p => Imports(p!, "jupyter_client")));

    private static bool Imports(string python, string module)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-c", $"import {module}" }) start.ArgumentList.Add(arg);
            using var process = System.Diagnostics.Process.Start(start)!;
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Where .ci/run installs tests/NeuralNet.Browser.Tests/package.json's packages.</summary>
    public static string NpmFolder => Path.Combine(Root, "artifacts", "npm");

    /// <summary>esbuild from npm (bundles the renderers the wire test feeds).</summary>
    public static string Esbuild => Path.Combine(NpmFolder, "node_modules", ".bin", OperatingSystem.IsWindows() ? "esbuild.cmd" : "esbuild");

    /// <summary>Why the wire test cannot run here, or null when it can.</summary>
    public static string? MissingWireTools
    {
        get
        {
            var missing = new List<string>();
            if (Chromium is null) missing.Add("chromium (apt-get install -y chromium, or set NEURALNET_CHROMIUM)");
            if (PythonWithJupyterClient is null)
                missing.Add("a Python with jupyter_client (apt-get install -y python3-jupyter-client, which jupyter-notebook brings; or set NEURALNET_PYTHON)");
            var wanted = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "tests", "NeuralNet.Browser.Tests", "package.json")))!["dependencies"]!.AsObject();
            var npm = new List<string>();
            foreach (var (name, version) in wanted)
            {
                var installed = Path.Combine(NpmFolder, "node_modules", name, "package.json");
                string? have = File.Exists(installed) ? JsonNode.Parse(File.ReadAllText(installed))?["version"]?.GetValue<string>() : null;
                if (have != version?.GetValue<string>()) npm.Add($"{name} {version}{(have is null ? "" : $" (it holds {have})")}");
            }
            if (npm.Count > 0) missing.Add($"from npm in artifacts/npm: {string.Join(", ", npm)}");
            if (missing.Count == 0 && !File.Exists(Esbuild)) missing.Add($"esbuild's program {Esbuild}");
            return missing.Count == 0 ? null
                : $"Wire test skipped: {string.Join("; ", missing)}. Install the npm packages into the clone: mkdir -p artifacts/npm "
                  + "&& cp tests/NeuralNet.Browser.Tests/package.json artifacts/npm/ && npm install --prefix artifacts/npm "
                  + "(.ci/run does this and the apt-get by itself; npm: apt-get install -y npm).";
        }
    }

    /// <summary>Why the book tests cannot run here, or null when they can (the book step itself installs its npm packages).</summary>
    public static string? MissingBookTools =>
        Chromium is null ? "Book tests skipped: chromium not found (apt-get install -y chromium, or set NEURALNET_CHROMIUM)."
        : OnPath("node") is null || OnPath("npm") is null ? "Book tests skipped: node and npm not found; the book is typeset with KaTeX and highlight.js from npm (apt-get install -y npm)."
        : null;

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("NeuralNet.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs Chromium and Jupyter: skipped, with what to install, when they are missing.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Tools.MissingBrowserTools is { } why) Skip = why;
    }
}

/// <summary>A theory that needs Chromium and Jupyter: skipped, with what to install, when they are missing.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (Tools.MissingBrowserTools is { } why) Skip = why;
    }
}

/// <summary>A theory that needs Chromium and plotly.js 3 from npm: skipped, with what to install, when missing.</summary>
public sealed class PlotlyJs3TheoryAttribute : TheoryAttribute
{
    public PlotlyJs3TheoryAttribute()
    {
        if (Tools.MissingPlotlyJs3 is { } why) Skip = why;
    }
}

/// <summary>A fact that needs Chromium, jupyter_client and the renderers from npm: skipped, with what to install, when missing.</summary>
public sealed class WireFactAttribute : FactAttribute
{
    public WireFactAttribute()
    {
        if (Tools.MissingWireTools is { } why) Skip = why;
    }
}
