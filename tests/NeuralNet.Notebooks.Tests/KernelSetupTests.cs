using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// The FSharp.Core fix in the real kernel, for notebooks that #r the DLLs one by one instead of
/// #load-ing NeuralNet.csx: the first use of NeuralNet.Interactive runs its module initializer, and
/// Plotly.NET (built against FSharp.Core 10.1) then runs on the kernel's FSharp.Core 10.0.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelSetupTests : IDisposable
{
    private static readonly string Library = Repository.NotebookLibraryDirectory;
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-kernel-setup-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_notebook_folder_has_no_FSharp_Core_of_its_own()
    {
        // A second FSharp.Core beside Plotly.NET.dll would be loaded next to the kernel's (MissingMethodException).
        Assert.True(File.Exists(Path.Combine(Library, "Plotly.NET.dll")));
        Assert.True(File.Exists(Path.Combine(Library, "NeuralNet.csx")));
        Assert.False(File.Exists(Path.Combine(Library, "FSharp.Core.dll")));
    }

    [Fact]
    public async Task Charts_render_after_a_plain_r_of_the_library()
    {
        string[] dlls = ["MathNet.Numerics", "NeuralNet", "Plotly.NET", "Plotly.NET.CSharp", "NeuralNet.Interactive"];
        var cells = new JsonArray(
            Code("references", string.Join('\n', dlls.Select(d => $"#r \"{Path.Combine(Library, d + ".dll")}\""))),
            Code("setup", "NeuralNet.Interactive.KernelSetup.IsInstalled"),
            Code("chart", "Plotly.NET.CSharp.Chart.Line<double, double, string>(new[] { 1.0, 2.0, 3.0 }, new[] { 0.25, 0.5, 0.125 })"),
            Code("fsharp-core", """
                var copies = AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "FSharp.Core");
                Console.WriteLine($"FSharp.Core copies: {copies}, redirects: {NeuralNet.Interactive.KernelSetup.FSharpCoreRedirects}");
                """));
        var path = Path.Combine(_folder, "plain-r.ipynb");
        File.WriteAllText(path, new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString());

        var result = await Repository.Runner(outputDirectory: Repository.ScratchNotebooksDirectory).RunAsync(path);

        Repository.AssertKernelGone(result);
        Assert.Equal(Path.Combine(Repository.ScratchNotebooksDirectory, "plain-r.ipynb"), result.OutputPath);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        string Text(int cell, string? mime) => string.Concat(result.OutputsOf(result.Notebook.Cells[cell]).SelectMany(o => o.TextsFor(mime)));
        Assert.Contains("True", Text(1, null));
        Assert.Contains("\"type\":\"scatter\"", Text(2, "text/html"));
        Assert.Contains("[0.25,0.5,0.125]", Text(2, "text/html"));
        // One FSharp.Core in the process (the kernel's), and the resolver is what made Plotly load.
        Assert.Matches(@"FSharp\.Core copies: 1, redirects: [1-9]", Text(3, "stdout"));
    }

    private static JsonObject Code(string id, string source) => new()
    {
        ["cell_type"] = "code",
        ["id"] = id,
        ["execution_count"] = null,
        ["metadata"] = new JsonObject(),
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };
}
