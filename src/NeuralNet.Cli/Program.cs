using NeuralNet.Cli;
using Spectre.Console;

// The first Ctrl+C asks training to stop after the current epoch (the model so far is saved, exit code 130);
// a second one ends the program at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;   // second Ctrl+C: let it end the process
    e.Cancel = true;
    cancellation.Cancel();
    Console.Error.WriteLine("Stopping after this epoch and saving the model so far… (Ctrl+C again to quit at once)");
};

var console = AnsiConsole.Console;
var context = new CliContext
{
    Out = console,
    Error = Console.Error,
    Cancellation = cancellation.Token,
    LiveProgress = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected,
};
return CliApp.Run(args, context);
