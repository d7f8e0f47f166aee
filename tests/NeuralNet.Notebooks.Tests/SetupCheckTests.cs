using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// <c>--check</c> (SetupCheck): a missing or unguarded kernelspec and a stale library are each reported with the
/// command that fixes them, and the exit code says whether all is in order.
/// </summary>
public sealed class SetupCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-setup-check-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_missing_kernelspec_is_reported_with_the_install_command_and_exit_code_1()
    {
        var kernels = Directory.CreateDirectory(Path.Combine(_folder, "kernels")).FullName;
        var output = new StringWriter();

        var exitCode = SetupCheck.Print(SetupCheck.Run(Repository.Root, kernels, givenFolder: true), output);

        Assert.Equal(1, exitCode);
        var text = output.ToString();
        Assert.Contains($"✘ kernelspec: no .NET (C#) kernelspec in {kernels}\n"
            + $"    fix: dotnet run --project src/NeuralNet.Runner -- --install-kernel --path {kernels}\n", text);
        // The other parts are reported too, one line each (this machine has the SDK and the kernel tool).
        Assert.Contains("✔ .NET SDK: 1", text);
        Assert.Contains("✔ kernel tool: dotnet-interactive 1.0.712001 (pinned in .config/dotnet-tools.json)", text);
        Assert.Matches(@"\d of 6 not in order", text);
    }

    [Fact]
    public void The_kernelspec_installed_by_install_kernel_passes_and_the_stock_one_is_refused()
    {
        var kernels = Path.Combine(_folder, "kernels");
        Kernelspec.Install(kernels, Kernelspec.GuardAssembly);

        var guarded = SetupCheck.KernelspecInstalled(kernels);

        Assert.True(guarded.Ok, guarded.ToString());
        Assert.Contains($"in {Path.Combine(kernels, Kernelspec.CSharp)}, guarded", guarded.Found);

        // What `dotnet-interactive jupyter install` writes: the kernel with its HTTP API open.
        File.WriteAllText(Path.Combine(kernels, Kernelspec.CSharp, "kernel.json"), new JsonObject
        {
            ["argv"] = new JsonArray("dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"),
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
        }.ToJsonString());

        var stock = SetupCheck.KernelspecInstalled(kernels);

        Assert.False(stock.Ok);
        Assert.Contains("HTTP API open", stock.Found);
        Assert.Equal(Kernelspec.InstallCommand, stock.Fix);
    }

    [Fact]
    public void A_source_newer_than_the_library_build_is_reported_stale_with_the_build_command()
    {
        var root = FakeRepository();
        var built = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(root, "artifacts", "notebook-library", "built.stamp"), built);
        var source = Path.Combine(root, "src", "NeuralNet", "Layers", "Dense.cs");
        File.SetLastWriteTimeUtc(source, built.AddMinutes(-5));

        var current = SetupCheck.Library(root);

        Assert.True(current.Ok, current.ToString());
        Assert.Contains("up to date", current.Found);

        File.SetLastWriteTimeUtc(source, built.AddMinutes(5));

        var stale = SetupCheck.Library(root);

        Assert.False(stale.Ok);
        Assert.StartsWith($"stale: {Path.Combine("src", "NeuralNet", "Layers", "Dense.cs")} changed", stale.Found);
        Assert.StartsWith("dotnet build src/NeuralNet.Interactive", stale.Fix);
        Assert.Contains("restart any running kernel", stale.Fix);
    }

    [Fact]
    public void A_library_never_built_is_reported_with_the_build_command()
    {
        var root = FakeRepository();
        Directory.Delete(Path.Combine(root, "artifacts"), recursive: true);

        var line = SetupCheck.Library(root);

        Assert.False(line.Ok);
        Assert.StartsWith("not built yet", line.Found);
        Assert.Equal(SetupCheck.BuildCommand, line.Fix);
    }

    [Fact]
    public void The_library_sources_are_the_first_cells()
    {
        // Read from notebooks/build-library.csx, so --check and the first cell call the same build stale.
        var sources = SetupCheck.LibrarySources(Repository.Root);

        Assert.Contains("src/NeuralNet", sources);
        Assert.Contains("src/NeuralNet.Interactive", sources);
        Assert.All(sources, s => Assert.True(Path.Exists(Path.Combine(Repository.Root, s)), $"{s} is not in the repository"));
    }

    /// <summary>A repository with the first cell's script, one library source and a built library.</summary>
    private string FakeRepository()
    {
        var root = Path.Combine(_folder, "repository");
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        File.Copy(Path.Combine(Repository.NotebooksDirectory, "build-library.csx"), Path.Combine(root, "notebooks", "build-library.csx"));
        Directory.CreateDirectory(Path.Combine(root, "src", "NeuralNet", "Layers"));
        File.WriteAllText(Path.Combine(root, "src", "NeuralNet", "Layers", "Dense.cs"), "// a library source\n");
        var library = Directory.CreateDirectory(Path.Combine(root, "artifacts", "notebook-library")).FullName;
        File.WriteAllText(Path.Combine(library, "NeuralNet.dll"), "");
        File.WriteAllText(Path.Combine(library, "built.stamp"), "");
        return root;
    }
}
