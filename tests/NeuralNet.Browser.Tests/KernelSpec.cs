using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The Jupyter kernel spec of the .NET (C#) kernel that the wire test starts through jupyter_client: the one place
/// that writes it.
/// </summary>
/// <remarks>
/// For now it is what <c>dotnet tool run dotnet-interactive -- jupyter install --path …</c> writes (the spec a student
/// installs), with <c>--http-local-only</c> added to its argv so that the kernel's HTTP API listens on loopback only.
/// When the project installs a kernel spec of its own, write that one here instead.
/// </remarks>
internal static class KernelSpec
{
    /// <summary>The kernel spec's name (its folder), as Jupyter lists it.</summary>
    public const string Name = ".net-csharp";

    /// <summary>Writes the kernel spec into <paramref name="kernelsFolder"/>/<see cref="Name"/>; returns the kernel.json path.</summary>
    public static async Task<string> WriteAsync(string kernelsFolder)
    {
        if (Directory.Exists(kernelsFolder)) Directory.Delete(kernelsFolder, recursive: true);
        Directory.CreateDirectory(kernelsFolder);
        await JupyterServer.RunAsync("dotnet", ["tool", "run", "dotnet-interactive", "--", "jupyter", "install", "--path", kernelsFolder],
            Tools.Root, TimeSpan.FromMinutes(3));
        string path = Path.Combine(kernelsFolder, Name, "kernel.json");
        if (!File.Exists(path))
            throw new InvalidOperationException($"dotnet-interactive jupyter install wrote no {Name} kernel spec into {kernelsFolder}");

        var spec = JsonNode.Parse(File.ReadAllText(path))!;
        var argv = spec["argv"]!.AsArray();
        int connectionFile = argv.Select(a => a?.GetValue<string>()).ToList().IndexOf("{connection_file}");
        if (connectionFile < 0) throw new InvalidOperationException($"{path}: its argv has no {{connection_file}}: {argv.ToJsonString()}");
        if (!argv.Any(a => a?.GetValue<string>() == "--http-local-only")) argv.Insert(connectionFile + 1, "--http-local-only");
        File.WriteAllText(path, spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
