using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>The runner in the real kernel: failures are reported precisely and never leave a kernel behind.</summary>
[Collection(KernelCollection.Name)]
public sealed class RunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-notebook-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_broken_notebook_fails_at_the_cell_that_throws_and_saves_what_ran()
    {
        var path = WriteNotebook("broken",
            "var live = display(\"first value\");\nlive.Update(\"final value\");",
            "Console.WriteLine(\"still fine\");",
            "// this cell is broken on purpose\nthrow new InvalidOperationException(\"deliberately broken\");",
            "Console.WriteLine(\"never runs\");");

        var result = await Repository.Runner(outputDirectory: Path.Combine(_folder, "out")).RunAsync(path);

        Repository.AssertKernelGone(result);
        Assert.False(result.Succeeded);
        var failure = result.Failure!;
        Assert.Equal(3, failure.Cell!.Index);  // 0-based; markdown cell first
        Assert.Contains("cell 4 (`// this cell is broken on purpose`)", failure.ToString());
        Assert.Contains("InvalidOperationException: deliberately broken", failure.Message);
        Assert.Equal(3, result.CellsRun);

        // The live display ends with its final value, replacing the first one.
        var display = Assert.Single(result.OutputsOf(result.Notebook.Cells[1]));
        Assert.Equal(OutputKind.Display, display.Kind);
        Assert.Contains("final value", string.Concat(display.TextsFor(null)));
        Assert.DoesNotContain("first value", string.Concat(display.TextsFor(null)));

        // The saved notebook: outputs up to the failing cell, the error, nothing after.
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!.AsObject();
        var cells = saved["cells"]!.AsArray();
        Assert.Equal(4, saved["nbformat"]!.GetValue<int>());
        Assert.Equal("display_data", cells[1]!["outputs"]![0]!["output_type"]!.GetValue<string>());
        Assert.Contains("final value", cells[1]!["outputs"]![0]!["data"]!.ToJsonString());
        Assert.Equal("stream", cells[2]!["outputs"]![0]!["output_type"]!.GetValue<string>());
        var error = cells[3]!["outputs"]![0]!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("deliberately broken", error["evalue"]!.GetValue<string>());
        Assert.Equal(3, cells[3]!["execution_count"]!.GetValue<int>());
        Assert.Empty(cells[4]!["outputs"]!.AsArray());
        Assert.Null(cells[4]!["execution_count"]);
    }

    [Fact]
    public async Task A_compiler_warning_is_reported_with_its_cell_and_saved_as_jupyter_shows_it()
    {
        var path = WriteNotebook("warning",
            "Console.WriteLine(\"clean\");",
            "int F()\n{\n    int unused;\n    return 1;\n}\nConsole.WriteLine(F());");

        var result = await Repository.Runner(outputDirectory: Path.Combine(_folder, "out")).RunAsync(path);

        Repository.AssertKernelGone(result);
        Assert.True(result.Succeeded, result.Failure?.ToString());   // a warning does not stop the cell …
        var (cell, text) = Assert.Single(result.Warnings);             // … but it is reported, by cell
        Assert.Equal(2, cell.Index);
        Assert.Equal("(3,9): warning CS0168: The variable 'unused' is declared but never used", text);
        var saved = JsonNode.Parse(File.ReadAllText(result.OutputPath!))!["cells"]!.AsArray();
        var streams = saved[2]!["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>(), o => o!["text"]!.ToJsonString());
        Assert.Contains("warning CS0168", streams["stderr"]);   // the kernel sends it after the cell's own output
        Assert.Contains("1", streams["stdout"]);
        Assert.DoesNotContain("warning", saved[1]!["outputs"]!.ToJsonString());   // the clean cell has none
    }

    [Fact]
    public async Task A_cell_that_runs_too_long_fails_the_notebook_and_the_kernel_is_killed()
    {
        var path = WriteNotebook("slow", "System.Threading.Thread.Sleep(TimeSpan.FromMinutes(10));", "3 + 3");

        var result = await Repository.Runner(outputDirectory: Repository.ScratchNotebooksDirectory, cellTimeout: TimeSpan.FromSeconds(15)).RunAsync(path);

        Repository.AssertKernelGone(result);
        Assert.Equal(Path.Combine(Repository.ScratchNotebooksDirectory, "slow.ipynb"), result.OutputPath);
        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Failure!.Cell!.Index);
        Assert.Contains("timed out after 15 s", result.Failure.Message);
        Assert.Equal(1, result.CellsRun);
    }

    /// <summary>A notebook with a markdown cell, then these C# cells.</summary>
    private string WriteNotebook(string name, params string[] cells)
    {
        var array = new JsonArray(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# Test" });
        foreach (var source in cells)
        {
            array.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
                ["outputs"] = new JsonArray(),
                ["source"] = source,
            });
        }
        var notebook = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["language"] = "C#", ["display_name"] = ".NET (C#)" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 2,
        };
        var path = Path.Combine(_folder, name + ".ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }
}
