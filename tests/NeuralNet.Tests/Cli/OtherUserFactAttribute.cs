using System.Diagnostics;

namespace NeuralNet.Tests.Cli;

/// <summary>
/// A fact about what a user who is not root may do, checked by running the command line as such a user: as the test
/// process itself when it is not root, otherwise as nobody (uid 65534) through <c>setpriv</c>. Root may write any
/// file, so only another user can show that a read-only file is refused. Reported as skipped, with the reason, where
/// that cannot be done (Windows, no setpriv, or nobody cannot run the built command line).
/// </summary>
public sealed class OtherUserFactAttribute : FactAttribute
{
    /// <summary>The user id the command line runs as when the tests run as root.</summary>
    public const string Nobody = "65534";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (OperatingSystem.IsWindows()) return "needs Unix users and file modes, which Windows does not have";
        if (!Environment.IsPrivilegedProcess) return null;
        if (!Shell.Run("setpriv", "--reuid", Nobody, "--regid", Nobody, "--clear-groups", "true"))
            return "runs as root, and setpriv cannot run a program as nobody (uid 65534), so no user here is refused a read-only file";
        var start = Start("--help");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"runs as root, and nobody (uid 65534) cannot run {Cli} (exit {process.ExitCode}; is the build under a folder only root may read?)";
    });

    public OtherUserFactAttribute()
    {
        if (Missing.Value is { } why) Skip = why;
    }

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "NeuralNet.Cli.dll");

    /// <summary>The command line with <paramref name="arguments"/>, to run as a user who is not root.</summary>
    public static ProcessStartInfo Start(params string[] arguments)
    {
        var start = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("setpriv", ["--reuid", Nobody, "--regid", Nobody, "--clear-groups", "dotnet", Cli, .. arguments])
            : new ProcessStartInfo("dotnet", [Cli, .. arguments]);
        start.UseShellExecute = false;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }
}
