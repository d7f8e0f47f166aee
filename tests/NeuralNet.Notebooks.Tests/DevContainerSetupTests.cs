using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// The dev container's setup (.devcontainer/setup.sh, its postCreateCommand), run as a new container runs it: on a
/// fresh copy of the repository with an empty HOME (no kernelspec, no tools, no .dotnet), twice. It must end with
/// the guarded kernelspec installed there and notebook 00 executed in it through Jupyter.
/// </summary>
/// <remarks>
/// The copy holds what a clone of this work tree holds (git ls-files: tracked and new files, not ignored ones such
/// as artifacts/), so the library and the runner are built from nothing. NuGet packages come from this machine's
/// global packages folder (NUGET_PACKAGES): an empty HOME would otherwise download every package again.
/// </remarks>
[Collection(KernelCollection.Name)]
public sealed class DevContainerSetupTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-devcontainer-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temporary folder is left to the system.
        }
    }

    [SetupScriptFact]
    public void The_setup_script_on_a_fresh_clone_with_an_empty_home_ends_with_notebook_00_run_in_the_guarded_kernel()
    {
        // What the container runs after it is created is this script, from the repository's folder.
        var container = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, ".devcontainer", "devcontainer.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        Assert.Equal("bash .devcontainer/setup.sh", container["postCreateCommand"]!.GetValue<string>());

        var clone = CopyOfWorkTree(Path.Combine(_folder, "clone"));
        var home = Directory.CreateDirectory(Path.Combine(_folder, "home")).FullName;
        var kernelspec = Path.Combine(home, ".local", "share", "jupyter", "kernels", Kernelspec.CSharp, "kernel.json");
        var executed = Path.Combine(clone, "artifacts", "setup", "00-start-here.ipynb");

        var (exitCode, output) = RunSetup(clone, home);

        Assert.True(exitCode == 0, $"setup.sh exited with {exitCode}:\n{Tail(output)}");
        Assert.Contains($".net-csharp: installed in {Path.GetDirectoryName(kernelspec)}", output);
        Assert.Contains("All set", output);
        Assert.True(Kernelspec.IsGuarded(JsonNode.Parse(File.ReadAllText(kernelspec))!.AsObject()), $"{kernelspec} is not the guarded kernelspec");
        AssertRanInTheKernel(executed);

        // Again, as when a container is rebuilt on the same volume: the same result, the kernelspec updated in place.
        File.Delete(executed);
        (exitCode, output) = RunSetup(clone, home);

        Assert.True(exitCode == 0, $"setup.sh, run a second time, exited with {exitCode}:\n{Tail(output)}");
        Assert.Contains($".net-csharp: updated in {Path.GetDirectoryName(kernelspec)}", output);
        AssertRanInTheKernel(executed);
    }

    /// <summary>Notebook 00 as nbconvert saved it: run in the .NET (C#) kernel, every code cell executed, no error.</summary>
    private static void AssertRanInTheKernel(string path)
    {
        Assert.True(File.Exists(path), $"setup.sh wrote no {path}");
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(Kernelspec.CSharp, notebook["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        var code = notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.True(code.Count > 5, $"notebook 00 has {code.Count} code cells");
        Assert.All(code, c => Assert.NotNull(c!["execution_count"]));
        var outputs = code.SelectMany(c => c!["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => o!["output_type"]!.GetValue<string>() == "error");
        // The first cell (build-library.csx) names the runtime the kernel runs on.
        Assert.Contains("This kernel runs on .NET", code[0]!["outputs"]!.ToJsonString());
    }

    private (int ExitCode, string Output) RunSetup(string clone, string home)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = clone, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(".devcontainer/setup.sh");
        start.Environment["HOME"] = home;
        start.Environment["NUGET_PACKAGES"] = GlobalPackagesFolder();
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        // Nothing may point outside the empty home: Jupyter's folders and .NET's follow HOME.
        foreach (var moved in new[] { "DOTNET_CLI_HOME", "JUPYTER_DATA_DIR", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME" })
        {
            start.Environment.Remove(moved);
        }
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (output) output.AppendLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (output) output.AppendLine(line); };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"setup.sh did not finish in 20 minutes:\n{Tail(output.ToString())}");
        }
        process.WaitForExit();
        log.WriteLine($"setup.sh: exit code {process.ExitCode} after {clock.Elapsed.TotalSeconds:0} s");
        return (process.ExitCode, output.ToString());
    }

    /// <summary>The files a clone of this work tree holds (tracked, and new but not ignored), copied to <paramref name="target"/>.</summary>
    private static string CopyOfWorkTree(string target)
    {
        var (exitCode, files) = Git("ls-files", "-z", "--cached", "--others", "--exclude-standard");
        Assert.True(exitCode == 0, $"git ls-files failed in {Repository.Root}: {files}");
        foreach (var file in files.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var from = Path.Combine(Repository.Root, file);
            if (!File.Exists(from))
                continue; // deleted in the work tree, not yet committed
            var to = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }
        return target;
    }

    /// <summary>Where this machine's NuGet keeps restored packages (what `dotnet nuget locals` says).</summary>
    private static string GlobalPackagesFolder()
    {
        var start = new ProcessStartInfo("dotnet", ["nuget", "locals", "global-packages", "--list"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        const string Prefix = "global-packages: ";
        Assert.True(process.ExitCode == 0 && line.StartsWith(Prefix, StringComparison.Ordinal), $"dotnet nuget locals said: {line}");
        return line[Prefix.Length..].Trim();
    }

    private static (int ExitCode, string Output) Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(60));
}

/// <summary>Runs where the setup script can: bash, git (the copy of the work tree) and Jupyter's nbconvert on the PATH.</summary>
public sealed class SetupScriptFactAttribute : FactAttribute
{
    public SetupScriptFactAttribute()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var missing = new[] { "bash", "git", "jupyter", "jupyter-nbconvert" }.Where(tool => !path.Any(dir => File.Exists(Path.Combine(dir, tool)))).ToList();
        if (OperatingSystem.IsWindows())
            Skip = "Skipped: .devcontainer/setup.sh is a bash script for Linux containers (and Linux or macOS machines).";
        else if (missing.Count > 0)
            Skip = $"Skipped: {string.Join(", ", missing)} not on the PATH. Install them (Debian, as root): apt-get install -y git jupyter-notebook jupyter-nbconvert";
    }
}
