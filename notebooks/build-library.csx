// The first cell of every notebook runs this file:   #load "build-library.csx"
//
// The next cell loads the compiled NeuralNet library from artifacts/notebook-library/. This makes sure
// it is there and newer than its sources, and builds it when it is not — with
//
//     dotnet build src/NeuralNet.Interactive
//
// run in the repository's folder (about a minute the first time, nothing to do after that). Every
// build of NeuralNet.Interactive, Debug or Release, copies its output to artifacts/notebook-library/.
// It has to run before the library is loaded: a running kernel cannot swap DLLs it has already loaded.
#nullable enable
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;

static class LibraryBuild
{
    // What the library is built from: a file here newer than built.stamp means "build again".
    static readonly string[] Sources = ["src/NeuralNet", "src/NeuralNet.Data", "src/NeuralNet.Workbook", "src/NeuralNet.Interactive", "assets", "Directory.Build.props", "Directory.Packages.props"];

    public static void EnsureBuilt()
    {
        WarnIfKernelIsOpen();
        var root = FindRoot();
        if (root is null)
        {
            Stop($"NeuralNet.sln is not in {Directory.GetCurrentDirectory()} or any folder above it: open the notebook from the notebooks/ folder of the repository.");
            return;
        }
        var library = Path.Combine(root, "artifacts", "notebook-library");
        var stamp = new FileInfo(Path.Combine(library, "built.stamp"));
        var changed = NewestSource(root);
        var upToDate = stamp.Exists && (changed is null || stamp.LastWriteTimeUtc >= changed.LastWriteTimeUtc);

        // Run again in a kernel that has loaded the library: it can only carry on with the same DLLs.
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.StartsWith(library, StringComparison.Ordinal)).ToList();
        if (loaded.Count > 0)
        {
            var rebuilt = loaded.FirstOrDefault(a => !File.Exists(a.Location) || ModuleVersionId(a.Location) != a.ManifestModule.ModuleVersionId);
            if (!upToDate || rebuilt is not null)
            {
                var what = upToDate ? $"{Path.GetFileName(rebuilt!.Location)} was rebuilt" : $"{Path.GetRelativePath(root, changed!.FullName)} changed";
                Stop($"{what} after this kernel loaded NeuralNet. Restart the kernel, then run the notebook again: "
                    + "this cell builds the library if needed and the next one loads the new one.");
                return;
            }
        }
        if (upToDate)
        {
            Console.WriteLine($"NeuralNet is built (artifacts/notebook-library/, {stamp.LastWriteTime:yyyy-MM-dd HH:mm}) and up to date.");
            Console.WriteLine($"This kernel runs on {RuntimeInformation.FrameworkDescription}.");
            return;
        }

        Console.WriteLine(stamp.Exists && changed is not null
            ? $"{Path.GetRelativePath(root, changed.FullName)} changed since the last build: building NeuralNet …"
            : "NeuralNet is not built yet: building it (about a minute) …");
        var started = Stopwatch.StartNew();
        // Layout (.editorconfig) is checked by the repository's own builds and CI, not here: a teacher's edit
        // in src/ runs in the notebook even if a space is out of place.
        var (exitCode, output) = Run(root, "dotnet", "build", "src/NeuralNet.Interactive/NeuralNet.Interactive.csproj",
            "--nologo", "-v", "quiet", "-tl:off", "-clp:NoSummary", "-p:EnforceCodeStyleInBuild=false");
        if (exitCode != 0)
        {
            // Compiler errors once each, with paths from the repository's folder: "src/…/File.cs(12,5): error CS…".
            var errors = output.Where(line => line.Contains(": error ", StringComparison.Ordinal))
                .Select(line => line.Replace(root + Path.DirectorySeparatorChar, "").Trim())
                .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @"\s*\[[^\]]*\.csproj\]$", ""))
                .Distinct()
                .ToList();
            Stop("NeuralNet did not build (`dotnet build src/NeuralNet.Interactive`):\n"
                + string.Join("\n", errors.Count > 0 ? errors : output.TakeLast(20))
                + "\nFix what it names, then run this cell again.");
            return;
        }
        Console.WriteLine($"NeuralNet is built (artifacts/notebook-library/, in {started.Elapsed.TotalSeconds:0} s).");
        Console.WriteLine($"This kernel runs on {RuntimeInformation.FrameworkDescription}.");
    }

    /// <summary>
    /// A kernel Jupyter started from the kernelspec `dotnet-interactive jupyter install` writes runs an HTTP API
    /// that lets any web page or other machine run code in it. The workbook's kernelspec switches it off and says
    /// so in NEURALNET_KERNEL_HTTP_API (src/NeuralNet.Runner/Kernelspec.cs); VS Code's Polyglot Notebooks and
    /// the runner start the kernel without one (stdio).
    /// </summary>
    static void WarnIfKernelIsOpen()
    {
        if (!Environment.GetCommandLineArgs().Contains("jupyter") || Environment.GetEnvironmentVariable("NEURALNET_KERNEL_HTTP_API") == "off")
        {
            return;
        }
        Console.Error.WriteLine("Security: this kernel was started without the workbook's kernelspec, so its HTTP API is on: any web page "
            + "you visit, and any machine on your network unless it listens on loopback only, can run code here as you. To run the workbook's kernelspec, "
            + "in the repository's folder: dotnet run --project src/NeuralNet.Runner -- --install-kernel   then restart this kernel.");
    }

    /// <summary>The repository's folder: the first folder up from the notebook's with NeuralNet.sln in it.</summary>
    static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>The id the compiler gave this build of a DLL: the same file, the same id.</summary>
    static Guid ModuleVersionId(string dll)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(dll));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    static FileInfo? NewestSource(string root) =>
        Sources.Select(source => Path.Combine(root, source))
            .SelectMany(path => Directory.Exists(path)
                ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories)
                : File.Exists(path) ? [new FileInfo(path)] : [])
            .MaxBy(file => file.LastWriteTimeUtc);

    static (int ExitCode, List<string> Output) Run(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var output = new List<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (output) output.Add(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (output) output.Add(line); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, [$"could not start `{program}`: {e.Message}. Is the .NET SDK installed (https://dot.net)?"]);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>Fails the cell with this message alone (no stack trace), which also stops "Run All".</summary>
    static void Stop(string message) =>
        KernelInvocationContext.Current.Fail(KernelInvocationContext.Current.Command, null, message);
}

LibraryBuild.EnsureBuilt();
