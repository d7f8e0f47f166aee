using System.Globalization;
using NeuralNet.Runner;
using NeuralNet.Runner.Book;

// Runs the workbook's notebooks top to bottom in the real .NET Interactive kernel, saves them with
// their outputs under artifacts/notebooks/, and fails (exit code 1) on the first failing cell, an unmet
// expectation, an error output or a compiler warning.
//
//   dotnet tool restore && dotnet run --project src/NeuralNet.Runner -- [notebook …] [options]
//
// With --install-kernel it installs instead the Jupyter kernelspec students open the notebooks with (Kernelspec.cs).

const string Usage = """
    Usage: dotnet run --project src/NeuralNet.Runner -- [notebook …] [options]

      notebook           A name under notebooks/ (00-start-here, 00-start-here.ipynb, or a prefix like 00),
                         the same under a folder of notebooks/ (solutions/03 is the solutions of notebook 03),
                         a folder (solutions: every notebook in it) or a path to an .ipynb file.
                         Default: every notebook under notebooks/, then the solutions key in notebooks/solutions/.
      --timeout <s>      Per-cell timeout in seconds (default 300).
      --notebooks <dir>  Where to look for notebooks by name (default: notebooks/ of the repository).
      --out <dir>        Where to write the executed notebooks (default: artifacts/notebooks/; the solutions
                         key under its solutions/ subfolder, as in notebooks/).
      --book             Only write the book (artifacts/book/) from the executed copies in --out, without running
                         anything. Running every notebook (no names) writes it too, when all pass.
      -h, --help         Show this help.

    Usage: dotnet run --project src/NeuralNet.Runner -- --install-kernel [--path <kernels folder>]

      --install-kernel   Install the ".NET (C#)" kernel for Jupyter and VS Code's Jupyter extension: the pinned
                         kernel with its HTTP API off and nothing listening outside loopback (see docs/security.md).
                         Replaces the kernelspecs `dotnet-interactive jupyter install` writes, which leave it open.
      --path <dir>       The kernels folder to install into (default: Jupyter's, e.g. ~/.local/share/jupyter/kernels).

    Usage: dotnet run --project src/NeuralNet.Runner -- --check [--path <kernels folder>]

      --check            Tell what is missing to open the notebooks: the .NET SDK and runtimes, the kernel tool, the
                         kernelspec (in --path's folder, default Jupyter's), Jupyter, and whether the library the
                         notebooks load is built and current; each ✘ with the command that fixes it. Exit code 0 when
                         all is in order, 1 otherwise.
    """;

var names = new List<string>();
var timeout = TimeSpan.FromMinutes(5);
string? notebooksDir = null, outDir = null, kernelsFolder = null;
var installKernel = false;
var check = false;
var bookOnly = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "-h" or "--help":
                Console.WriteLine(Usage);
                return 0;
            case "--timeout":
                timeout = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
                break;
            case "--notebooks":
                notebooksDir = Value();
                break;
            case "--out":
                outDir = Value();
                break;
            case "--book":
                bookOnly = true;
                break;
            case "--install-kernel":
                installKernel = true;
                break;
            case "--check":
                check = true;
                break;
            case "--path":
                kernelsFolder = Value();
                break;
            case var a when a.StartsWith('-'):
                throw new ArgumentException($"unknown option {a}");
            default:
                names.Add(args[i]);
                break;
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"error: {e.Message}\n\n{Usage}");
        return 2;
    }
}

if (check)
{
    if (installKernel || bookOnly || names.Count > 0 || notebooksDir is not null || outDir is not null)
    {
        Console.Error.WriteLine($"error: --check runs no notebooks and installs nothing: give it alone (or with --path)\n\n{Usage}");
        return 2;
    }
    try
    {
        var repository = NotebookRunner.FindToolRoot(Environment.CurrentDirectory);
        var kernels = Path.GetFullPath(kernelsFolder ?? Kernelspec.DefaultKernelsFolder());
        return SetupCheck.Print(SetupCheck.Run(repository, kernels, givenFolder: kernelsFolder is not null), Console.Out);
    }
    catch (DirectoryNotFoundException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }
}

if (installKernel || kernelsFolder is not null)
{
    if (!installKernel || names.Count > 0)
    {
        Console.Error.WriteLine($"error: --path goes with --install-kernel, and --install-kernel runs no notebooks\n\n{Usage}");
        return 2;
    }
    try
    {
        kernelsFolder = Path.GetFullPath(kernelsFolder ?? Kernelspec.DefaultKernelsFolder());
        foreach (var line in Kernelspec.Install(kernelsFolder, Kernelspec.GuardAssembly))
        {
            Console.WriteLine(line);
        }
        Console.WriteLine("Jupyter and VS Code now start the kernel with its HTTP API off and nothing listening outside loopback. "
            + "Restart any .NET kernel that is running.");
        return 0;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
    {
        Console.Error.WriteLine($"error: could not install the kernel: {e.Message}");
        return 1;
    }
}

string root;
try
{
    root = NotebookRunner.FindToolRoot(Environment.CurrentDirectory);
}
catch (DirectoryNotFoundException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
notebooksDir = Path.GetFullPath(notebooksDir ?? Path.Combine(root, "notebooks"));
outDir = Path.GetFullPath(outDir ?? Path.Combine(root, "artifacts", "notebooks"));
if (bookOnly)
{
    if (names.Count > 0)
    {
        Console.Error.WriteLine($"error: --book runs no notebooks: give it no notebook names\n\n{Usage}");
        return 2;
    }
    return BookCommand.Run(root, notebooksDir, outDir);
}

var paths = new List<string>();
if (names.Count == 0)
{
    paths.AddRange(NotebookFiles(notebooksDir));
    paths.AddRange(NotebookFiles(Path.Combine(notebooksDir, "solutions")));
    if (paths.Count == 0)
    {
        Console.Error.WriteLine($"error: no notebooks in {notebooksDir}");
        return 2;
    }
}
foreach (var name in names)
{
    if (File.Exists(name))
    {
        paths.Add(Path.GetFullPath(name));
        continue;
    }
    var folder = Directory.Exists(name) ? name : Path.Combine(notebooksDir, name);
    if (Directory.Exists(folder) && NotebookFiles(folder) is { Count: > 0 } inFolder)
    {
        paths.AddRange(inFolder);
        continue;
    }
    // A name may start with a folder under notebooks/: solutions/03.
    var lookIn = notebooksDir;
    var prefix = name;
    if (name.Contains('/') || name.Contains(Path.DirectorySeparatorChar))
    {
        lookIn = Path.Combine(notebooksDir, Path.GetDirectoryName(name)!);
        prefix = Path.GetFileName(name);
    }
    var candidates = NotebookFiles(lookIn);
    // "01" is notebook 01-…, not also 01a-…: a name followed by "-" in the file name is its number.
    var exact = candidates.FirstOrDefault(p => Path.GetFileName(p) == prefix || Path.GetFileNameWithoutExtension(p) == prefix)
        ?? (candidates.Where(p => Path.GetFileName(p).StartsWith(prefix + "-", StringComparison.Ordinal)).ToList() is [var numbered] ? numbered : null);
    var byPrefix = candidates.Where(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal)).ToList();
    if (exact is null && byPrefix.Count != 1)
    {
        Console.Error.WriteLine(byPrefix.Count == 0
            ? $"error: no notebook `{name}` in {lookIn}"
            : $"error: `{name}` matches several notebooks: {string.Join(", ", byPrefix.Select(Path.GetFileName))}");
        return 2;
    }
    paths.Add(exact ?? byPrefix[0]);
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var options = new NotebookRunnerOptions { CellTimeout = timeout, ToolRoot = root };
var width = paths.Max(p => Path.GetFileNameWithoutExtension(p).Length);
var failed = 0;
foreach (var path in paths)
{
    NotebookRunResult result;
    try
    {
        // The executed copies mirror notebooks/: notebooks/solutions/x.ipynb is saved as <out>/solutions/x.ipynb.
        var subfolder = Path.GetRelativePath(notebooksDir, Path.GetDirectoryName(path)!);
        var saveTo = subfolder.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(subfolder) ? outDir : Path.Combine(outDir, subfolder);
        result = await new NotebookRunner(options with { OutputDirectory = saveTo }).RunAsync(path, cancel.Token);
    }
    catch (OperationCanceledException)
    {
        Console.Error.WriteLine("Cancelled.");
        return 130;
    }
    catch (InvalidDataException e)
    {
        Console.WriteLine($"{Path.GetFileNameWithoutExtension(path).PadRight(width)}  FAILED");
        Console.WriteLine($"  {e.Message}");
        failed++;
        continue;
    }

    var problems = result.Succeeded ? NotebookExpectations.Check(result) : [];
    var errorOutputs = result.Succeeded ? result.Errors.ToList() : [];
    var warnings = result.Warnings.ToList();
    var ok = result.Succeeded && problems.Count == 0 && errorOutputs.Count == 0 && warnings.Count == 0;
    var cells = result.Notebook.Cells.Count(c => c.IsCode);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{result.Notebook.Name.PadRight(width)}  {result.CellsRun,3}/{cells} cells  {result.Elapsed.TotalSeconds,6:0.0} s  {(ok ? "OK" : "FAILED")}"));
    var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
    if (result.Failure is { } failure)
    {
        Console.WriteLine($"  {relative}, {failure}");
    }
    foreach (var problem in problems)
    {
        Console.WriteLine($"  {relative}, {problem}");
    }
    foreach (var (cell, output) in errorOutputs)
    {
        Console.WriteLine($"  {relative}, {cell.Describe()} has an error output: {output.ErrorValue}");
    }
    foreach (var (cell, text) in warnings)
    {
        Console.WriteLine($"  {relative}, {cell.Describe()} has a compiler warning (a reader sees it in red): {text}");
    }
    if (!ok)
    {
        failed++;
    }
}

Console.WriteLine($"Executed notebooks: {Path.GetRelativePath(Environment.CurrentDirectory, outDir)}{Path.DirectorySeparatorChar}");
if (failed > 0)
{
    Console.WriteLine($"{failed} of {paths.Count} notebook(s) FAILED");
    return 1;
}
// The whole workbook ran: write the book from it (artifacts/book/).
return names.Count == 0 ? BookCommand.Run(root, notebooksDir, outDir) : 0;

static List<string> NotebookFiles(string folder) =>
    Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList() : [];
