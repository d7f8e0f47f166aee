using System.Reflection;
using NeuralNet.Cli.Commands;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Training;
using Spectre.Console;

namespace NeuralNet.Cli;

/// <summary>Where a command writes and what may stop it; the console's in <see cref="Program"/>, captured ones in tests.</summary>
public sealed class CliContext
{
    /// <summary>Normal output: progress, results, help.</summary>
    public required IAnsiConsole Out { get; init; }

    /// <summary>Error messages (one line each, no stack traces).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Cancelled by the first Ctrl+C: training stops after the current epoch and the model so far is saved.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Draw a live progress bar (a terminal) rather than printing plain lines (redirected output, CI).</summary>
    public bool LiveProgress { get; init; }

    /// <summary>What a second Ctrl+C saves before the program ends at once (null: nothing is saved then).</summary>
    public SaveBeforeQuitting? SaveBeforeQuitting { get; init; }

    /// <summary>A context writing plain text to <paramref name="output"/> and <paramref name="error"/> (no colours, no live display).</summary>
    public static CliContext Plain(TextWriter output, TextWriter error, CancellationToken cancellation = default) => new()
    {
        Out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        }),
        Error = error,
        Cancellation = cancellation,
        LiveProgress = false,
    };
}

/// <summary>
/// What a second Ctrl+C saves before the program ends at once. The first Ctrl+C asks training to stop after the current
/// step and save the model; when that takes too long for the user (a long step, an evaluation of a large test set) the
/// second one quits — and first writes what exists: <c>train</c>'s model as of its last report, so the run so far is
/// not lost. The command sets what to save as it goes; the Ctrl+C handler runs it, once.
/// </summary>
public sealed class SaveBeforeQuitting
{
    private readonly Lock _gate = new();
    private Func<string>? _save;
    private bool _ran;

    /// <summary>Sets what to save now (replacing what was set); <paramref name="save"/> writes it and returns a line saying where.</summary>
    public void Set(Func<string>? save)
    {
        lock (_gate) _save = save;
    }

    /// <summary>Runs the save once (later calls do nothing); returns its line, or null when there was nothing to save.</summary>
    public string? Run()
    {
        lock (_gate)
        {
            if (_ran || _save is null) return null;
            _ran = true;
            return _save();
        }
    }
}

/// <summary>The command-line program: dispatches to a command and turns every expected failure into one message and an exit code.</summary>
public static class CliApp
{
    /// <summary>The program's name in usage lines.</summary>
    public const string Name = "neuralnet";

    public static class ExitCodes
    {
        /// <summary>Done.</summary>
        public const int Ok = 0;
        /// <summary>The data, a model file or training failed; the message says why.</summary>
        public const int Failed = 1;
        /// <summary>The command line is wrong; the message says what to write instead.</summary>
        public const int Usage = 2;
        /// <summary>Stopped by Ctrl+C (128 + SIGINT); the model so far was saved.</summary>
        public const int Cancelled = 130;
    }

    /// <summary>Runs the command line <paramref name="args"/> and returns the exit code.</summary>
    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        string? command = null;
        // Numbers are written the invariant way (0.5, 1,234) by each formatting call, as they are read from the
        // command line; the caller's culture is left alone.
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "-?" or "help")
            {
                if (args.Length >= 2 && args[0] == "help") return Run([args[1], "--help"], context);
                Help.Overview(context.Out);
                return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
            }
            if (args[0] is "--version" or "version")
            {
                context.Out.Line($"{Name} {Version}");
                return ExitCodes.Ok;
            }
            command = args[0];
            var rest = args[1..];
            _ = MemoryBudget.Bytes;   // a NEURALNET_MEMORY_BUDGET that is not a size is named now, not as if an option were wrong
            return command switch
            {
                "train" => TrainCommand.Run(rest, context),
                "evaluate" or "eval" => EvaluateCommand.Run(rest, context),
                "info" => InfoCommand.Run(rest, context),
                "predict" => PredictCommand.Run(rest, context),
                _ => throw new UsageException(UnknownCommand(command)),
            };
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            string? which = e.Command ?? (command is "train" or "evaluate" or "info" or "predict" ? command : null);
            context.Error.WriteLine(which is null ? $"Run '{Name} --help' for the commands." : $"Run '{Name} {which} --help' for its options and examples.");
            return ExitCodes.Usage;
        }
        catch (DataFormatException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ModelFileException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (TrainingDivergedException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ArgumentException e)
        {
            // The library's own validation (shapes, rates): its messages are written for people.
            context.Error.WriteLine($"error: {StripParameter(e)}");
            return ExitCodes.Failed;
        }
    }

    private static string UnknownCommand(string command)
    {
        if (command.StartsWith('-'))
            return $"{command} comes before a command. Write the command first, e.g. '{Name} train {command} …'.";
        string[] commands = ["train", "evaluate", "predict", "info"];
        string near = commands.OrderBy(c => ParsedOptions.Levenshtein(command, c)).First();
        string hint = ParsedOptions.Levenshtein(command, near) <= 2 ? $" Did you mean '{near}'?" : "";
        return $"Unknown command '{command}'.{hint} The commands are train, evaluate, predict and info.";
    }

    /// <summary>An ArgumentException's message without the " (Parameter 'x')" .NET appends.</summary>
    internal static string StripParameter(ArgumentException e)
    {
        string message = e.Message;
        int at = e.ParamName is null ? -1 : message.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return at >= 0 ? message[..at] : message;
    }

    internal static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";
}

/// <summary>Plain text output that Spectre does not re-wrap (it wraps at 80 columns when output is redirected).</summary>
public static class ConsoleExtensions
{
    /// <summary>Writes <paramref name="text"/> and a newline as it is.</summary>
    public static void Line(this IAnsiConsole console, string text = "")
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine(text);
    }
}
