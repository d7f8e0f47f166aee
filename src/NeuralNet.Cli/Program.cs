using NeuralNet.Cli;
using Spectre.Console;

// The first Ctrl+C asks training to stop after the current step (the model so far is saved, exit code 130);
// a second one ends the program at once, after saving the model as of training's last report.
using var cancellation = new CancellationTokenSource();
var saveBeforeQuitting = new SaveBeforeQuitting();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested)
    {
        // Second Ctrl+C: save what exists, then let it end the process (e.Cancel stays false).
        try
        {
            Console.Error.WriteLine(saveBeforeQuitting.Run() ?? "Quitting; nothing was trained yet to save.");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: quitting without saving the model so far: {error.Message}");
        }
        return;
    }
    e.Cancel = true;
    cancellation.Cancel();
    Console.Error.WriteLine("Stopping after this step and saving the model so far… (Ctrl+C again to quit at once, saving the model as of the last report)");
};

var console = AnsiConsole.Console;
var context = new CliContext
{
    Out = console,
    Error = Console.Error,
    Cancellation = cancellation.Token,
    LiveProgress = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected,
    SaveBeforeQuitting = saveBeforeQuitting,
};
return CliApp.Run(args, context);
