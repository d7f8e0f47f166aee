using System.Diagnostics;

namespace NeuralNet.Runner;

/// <summary>Settings for <see cref="NotebookRunner"/>.</summary>
public sealed record NotebookRunnerOptions
{
    /// <summary>How long one cell may run before the notebook fails (and the kernel is killed).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the kernel may take to start (several seconds; more on a busy machine).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Where executed notebooks are written (<c>&lt;name&gt;.ipynb</c>); null to write nothing.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>
    /// The folder holding <c>.config/dotnet-tools.json</c> (the pinned kernel); null to find it above the
    /// notebook, the current directory or the runner.
    /// </summary>
    public string? ToolRoot { get; init; }
}

/// <summary>Why a notebook run stopped.</summary>
/// <param name="Cell">The failing cell (null when the kernel could not start).</param>
/// <param name="Message">The kernel's error message (exception, compile error, timeout…).</param>
public sealed record NotebookFailure(NotebookCell? Cell, string Message)
{
    public override string ToString()
    {
        var firstLines = string.Join('\n', Message.Split('\n').Take(3).Select(l => l.TrimEnd('\r')));
        return Cell is null ? firstLines : $"{Cell.Describe()}: {firstLines}";
    }
}

/// <summary>The result of running one notebook.</summary>
public sealed record NotebookRunResult(
    Notebook Notebook,
    IReadOnlyDictionary<int, (int ExecutionCount, IReadOnlyList<CellOutput> Outputs)> Cells,
    NotebookFailure? Failure,
    TimeSpan Elapsed,
    string? OutputPath,
    IReadOnlyList<int> KernelProcessIds,
    IReadOnlyList<(int Cell, string Text)> CompilerWarnings)
{
    public bool Succeeded => Failure is null;

    /// <summary>How many code cells ran (the failing one included).</summary>
    public int CellsRun => Cells.Count;

    /// <summary>All outputs of a cell (empty when it did not run).</summary>
    public IReadOnlyList<CellOutput> OutputsOf(NotebookCell cell) =>
        Cells.TryGetValue(cell.Index, out var c) ? c.Outputs : [];

    /// <summary>Every compiler warning, with its cell (also in the cell's stderr output, as Jupyter shows it).</summary>
    public IEnumerable<(NotebookCell Cell, string Text)> Warnings =>
        CompilerWarnings.Select(w => (Notebook.Cells[w.Cell], w.Text));

    /// <summary>Every error output, with its cell.</summary>
    public IEnumerable<(NotebookCell Cell, CellOutput Output)> Errors =>
        Notebook.Cells.SelectMany(cell => OutputsOf(cell).Where(o => o.Kind == OutputKind.Error).Select(o => (cell, o)));
}

/// <summary>
/// Runs notebooks top to bottom in the real .NET Interactive kernel process, one kernel per notebook,
/// the way VS Code would, and saves them with their outputs. Used by the CLI and by the notebook tests.
/// </summary>
public sealed class NotebookRunner(NotebookRunnerOptions options)
{
    public NotebookRunnerOptions Options { get; } = options;

    public async Task<NotebookRunResult> RunAsync(string notebookPath, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var path = Path.GetFullPath(notebookPath);
        var notebook = Notebook.Load(path);
        var collector = new OutputCollector();
        var counts = new Dictionary<int, int>();
        var pids = new List<int>();
        NotebookFailure? failure = null;

        var codeCells = notebook.Cells.Where(c => c.IsCode && !string.IsNullOrWhiteSpace(c.Source)).ToList();
        if (codeCells.Count > 0)
        {
            KernelProcess? kernel = null;
            try
            {
                try
                {
                    var toolRoot = Options.ToolRoot ?? FindToolRoot(Path.GetDirectoryName(path)!);
                    kernel = await KernelProcess.StartAsync(toolRoot, Path.GetDirectoryName(path)!, Options.StartupTimeout, cancellationToken);
                }
                catch (Exception e) when (e is TimeoutException or KernelExitedException or InvalidOperationException or System.ComponentModel.Win32Exception or DirectoryNotFoundException)
                {
                    failure = new NotebookFailure(null, $"could not start the kernel: {e.Message}");
                    return Finish();
                }
                pids.Add(kernel.ProcessId);
                if (kernel.KernelProcessId is { } kernelPid)
                {
                    pids.Add(kernelPid);
                }

                foreach (var cell in codeCells)
                {
                    collector.BeginCell(cell.Index);
                    counts[cell.Index] = counts.Count + 1;
                    string? error;
                    if (Notebook.ToKernelName(cell.KernelName) is not { } kernelName)
                    {
                        error = $"the runner cannot run `{cell.KernelName}` cells (only .NET Interactive languages: csharp, fsharp, pwsh, html…)";
                    }
                    else
                    {
                        try
                        {
                            error = await kernel.SubmitCodeAsync(cell.Source, kernelName, collector.OnEvent, Options.CellTimeout, cancellationToken);
                        }
                        catch (TimeoutException e)
                        {
                            error = $"Cell timed out: {e.Message} (set a longer per-cell timeout if it needs more)";
                        }
                        catch (KernelExitedException e)
                        {
                            error = e.Message;
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // Anything unexpected while running or reading a cell fails that cell, by name,
                            // and the notebook is still saved with everything up to it.
                            error = $"the runner failed on this cell: {e.GetType().Name}: {e.Message}";
                        }
                    }

                    if (error is not null)
                    {
                        collector.AddError(error);
                        failure = new NotebookFailure(cell, error);
                        break;
                    }
                }
            }
            finally
            {
                // Always: a kernel left running burns most of a core after we are gone.
                kernel?.Dispose();
            }
        }

        return Finish();

        NotebookRunResult Finish()
        {
            var results = counts.ToDictionary(
                c => c.Key,
                c => (c.Value, (IReadOnlyList<CellOutput>)collector.OutputsOf(c.Key)));

            string? outputPath = null;
            if (Options.OutputDirectory is { } directory)
            {
                Directory.CreateDirectory(directory);
                outputPath = Path.Combine(directory, notebook.Name + ".ipynb");
                File.WriteAllText(outputPath, Notebook.Serialize(notebook.WithOutputs(results)));
            }

            return new NotebookRunResult(notebook, results, failure, clock.Elapsed, outputPath, pids, collector.Warnings.ToList());
        }
    }

    /// <summary>The nearest folder at or above these places with <c>.config/dotnet-tools.json</c>.</summary>
    public static string FindToolRoot(params string[] startDirectories)
    {
        foreach (var start in startDirectories.Append(Environment.CurrentDirectory).Append(AppContext.BaseDirectory))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("no .config/dotnet-tools.json found (the kernel tool is pinned there; run from the repository)");
    }
}
