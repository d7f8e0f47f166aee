using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// The kernel runs on the runtime a newcomer has. Everything here is built for .NET 10 and rolls forward to
/// the next major only when 10 is missing (the test host: RollForward=Major in Directory.Build.props; the
/// kernel: "rollForward": true in .config/dotnet-tools.json, which `dotnet tool run` turns into
/// --roll-forward Major). So the kernel and these tests always run on the same major version: 10 where
/// 10 is installed, 11 where only 11 is (.ci/runtime11 runs this there and sets
/// NEURALNET_EXPECTED_RUNTIME_MAJOR=11).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class RuntimeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-runtime-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_kernel_runs_on_the_same_major_runtime_as_the_tests()
    {
        var path = Path.Combine(_folder, "runtime.ipynb");
        File.WriteAllText(path, new JsonObject
        {
            ["cells"] = new JsonArray(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(),
                ["source"] = "Console.WriteLine($\"runtime {Environment.Version.Major} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})\");",
            }),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString());

        var result = await Repository.Runner(outputDirectory: Repository.ScratchNotebooksDirectory).RunAsync(path);

        Repository.AssertKernelGone(result);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var printed = string.Concat(result.OutputsOf(result.Notebook.Cells[0]).SelectMany(o => o.TextsFor("stdout")));
        Assert.StartsWith($"runtime {Environment.Version.Major} (", printed);
        if (Environment.GetEnvironmentVariable("NEURALNET_EXPECTED_RUNTIME_MAJOR") is { Length: > 0 } expected)
        {
            Assert.Equal(expected, Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
