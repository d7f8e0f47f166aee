using System.Diagnostics;

namespace NeuralNet.Tests;

/// <summary>A fact about Unix files (pipes, devices, file modes, killed processes): reported as skipped on Windows, which has none of them.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "needs Unix pipes, devices and file modes, which Windows does not have";
    }
}

/// <summary>
/// A fact that makes a write fail for real. Other users are stopped by a read-only folder; root writes anywhere, so
/// for root only an immutable file (<c>chattr +i</c>) stops the write. Where root has no such attribute (tmpfs, for
/// one) the fact is reported as skipped, never passed without testing.
/// </summary>
public sealed class FailingWriteFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (OperatingSystem.IsWindows()) return "needs Unix file modes, which Windows does not have";
        if (Environment.UserName != "root") return null;
        string probe = Path.Combine(Path.GetTempPath(), $"neuralnet-chattr-probe-{Guid.NewGuid():N}");
        File.WriteAllText(probe, "");
        try
        {
            if (!Shell.Run("chattr", "+i", probe)) return $"runs as root, and the file system of {Path.GetTempPath()} has no immutable attribute (chattr +i failed), so nothing can make a write fail";
            Shell.Run("chattr", "-i", probe);
            return null;
        }
        finally
        {
            File.Delete(probe);
        }
    });

    public FailingWriteFactAttribute()
    {
        if (Missing.Value is { } why) Skip = why;
    }
}

/// <summary>Runs a program of the machine's (mkfifo, chattr…) and waits for it.</summary>
public static class Shell
{
    /// <summary>True when <paramref name="program"/> ran and exited with 0.</summary>
    public static bool Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;   // the program is not installed
        }
    }
}
