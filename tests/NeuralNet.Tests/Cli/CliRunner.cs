using NeuralNet.Cli;

namespace NeuralNet.Tests.Cli;

/// <summary>Runs the CLI in-process with captured output, as a terminal-less run (CI) would see it.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Output}\n--- err ---\n{Error}";
    }

    public static Result Run(params string[] args) => Run(CancellationToken.None, null, args);

    /// <summary>Runs with a cancellation token; <paramref name="onOutput"/> sees every output line as it is written.</summary>
    public static Result Run(CancellationToken cancellation, Action<string>? onOutput, params string[] args) =>
        Run(cancellation, onOutput, null, args);

    /// <summary>As the other Run, with what a second Ctrl+C would save (the program's Ctrl+C handler runs it).</summary>
    public static Result Run(CancellationToken cancellation, Action<string>? onOutput, SaveBeforeQuitting? saveBeforeQuitting, params string[] args)
    {
        var output = new WatchingWriter(onOutput);
        var error = new StringWriter();
        var context = CliContext.Plain(output, error, cancellation);
        int code = CliApp.Run(args, new CliContext
        {
            Out = context.Out,
            Error = context.Error,
            Cancellation = context.Cancellation,
            LiveProgress = context.LiveProgress,
            SaveBeforeQuitting = saveBeforeQuitting,
        });
        return new Result(code, output.ToString(), error.ToString());
    }

    private sealed class WatchingWriter(Action<string>? onLine) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            onLine?.Invoke(value ?? "");
        }
    }
}
