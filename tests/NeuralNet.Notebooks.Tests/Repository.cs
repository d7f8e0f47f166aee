namespace NeuralNet.Notebooks.Tests;

/// <summary>Paths in the repository, and checks on kernel processes.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string NotebooksDirectory => Path.Combine(Root, "notebooks");

    /// <summary>The executed workbook (what the README hands out): the chapters of notebooks/, and the solutions key in its solutions/ folder.</summary>
    public static string ExecutedNotebooksDirectory => Path.Combine(Root, "artifacts", "notebooks");

    /// <summary>Where tests write the notebooks they make up (broken, slow, …) after running them.</summary>
    public static string ScratchNotebooksDirectory => Path.Combine(Root, "artifacts", "test-notebooks");

    /// <summary>The library as the notebooks load it (the second cell: #load "../artifacts/notebook-library/NeuralNet.csx").</summary>
    public static string NotebookLibraryDirectory => Path.Combine(Root, "artifacts", "notebook-library");

    /// <summary>A runner writing to <paramref name="outputDirectory"/> (default: the executed workbook's folder).</summary>
    public static NotebookRunner Runner(string? outputDirectory = null, TimeSpan? cellTimeout = null) =>
        new(new NotebookRunnerOptions
        {
            OutputDirectory = outputDirectory ?? ExecutedNotebooksDirectory,
            ToolRoot = Root,
            CellTimeout = cellTimeout ?? TimeSpan.FromMinutes(5),
        });

    /// <summary>Asserts the run left no kernel process behind.</summary>
    public static void AssertKernelGone(NotebookRunResult result)
    {
        Assert.NotEmpty(result.KernelProcessIds);
        foreach (var pid in result.KernelProcessIds)
        {
            Assert.False(KernelProcess.IsAlive(pid), $"kernel process {pid} is still running after the run");
        }
    }

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

/// <summary>Tests that start real kernels run one at a time (a kernel wants most of a core).</summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection
{
    public const string Name = "real kernel";
}
