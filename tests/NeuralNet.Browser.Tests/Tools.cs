using System.Text.Json.Nodes;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The programs the browser tests drive, found on this machine, and what to install when one is missing.
/// A test that needs a missing one is reported as skipped with that message, never passed.
/// </summary>
internal static class Tools
{
    /// <summary>
    /// The plotly.js 3 the "VS Code" test draws with (VS Code's notebook renderers bundle plotly.js 3): the version
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
