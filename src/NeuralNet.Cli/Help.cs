using System.Text;
using Spectre.Console;

namespace NeuralNet.Cli;

/// <summary>The help pages: usage, options grouped by section with defaults, and examples.</summary>
public static class Help
{
    /// <summary>The top-level page.</summary>
    public static void Overview(IAnsiConsole console)
    {
        var text = new StringBuilder();
        text.AppendLine($"{CliApp.Name} — train small neural networks (multi-layer perceptrons) from the command line.");
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine($"  {CliApp.Name} <command> [options]");
        text.AppendLine("  dotnet run --project src/NeuralNet.Cli -- <command> [options]     (from the repository)");
        text.AppendLine();
        text.AppendLine("Commands:");
        text.AppendLine("  train      Train a network on a data set; save the model and an HTML chart of its training");
        text.AppendLine("  evaluate   Measure a saved model's accuracy on a data set's test samples");
        text.AppendLine("  predict    Score new samples (CSV rows or IDX images) with a saved model");
        text.AppendLine("  info       Show a saved model's layers, size, training history and the data it records");
        text.AppendLine();
        text.AppendLine("Options:");
        text.AppendLine("  -h, --help   Show help (also after a command: train --help)");
        text.AppendLine("  --version    Show the version");
        text.AppendLine();
        text.AppendLine("Examples:");
        text.AppendLine($"  {CliApp.Name} train --data fashion-mnist-subset --hidden-layers 128 --epochs 20");
        text.AppendLine($"  {CliApp.Name} train --data moons --hidden-layers 16,16 --epochs 200");
        text.AppendLine($"  {CliApp.Name} evaluate model.json");
        text.AppendLine($"  {CliApp.Name} predict model.json --data new-rows.csv --out predictions.csv");
        text.AppendLine($"  {CliApp.Name} info model.json");
        text.AppendLine();
        text.Append($"Run '{CliApp.Name} <command> --help' for a command's options.");
        console.Line(text.ToString());
    }

    /// <summary>A command's page: what it does, usage, options by section, notes and examples.</summary>
    public static void Command(IAnsiConsole console, string summary, string usage, IReadOnlyList<OptionSpec> specs,
        IReadOnlyList<string> notes, IReadOnlyList<(string Command, string Comment)> examples)
    {
        int width = Math.Clamp(console.Profile.Width, 60, 120);
        var text = new StringBuilder();
        text.AppendLine(summary);
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine($"  {usage}");
        const int column = 30;
        foreach (var section in specs.GroupBy(s => s.Section))
        {
            text.AppendLine();
            text.AppendLine($"{section.Key}:");
            foreach (var spec in section)
            {
                string left = "  " + (spec.Short is { } c ? $"-{c}, " : "") + $"--{spec.Name}" + (spec.Value is null ? "" : $" <{spec.Value}>");
                string help = spec.Help + (spec.Default is null ? "" : $" [default: {spec.Default}]");
                var lines = Wrap(help, width - column);
                if (left.Length >= column - 1)
                {
                    text.AppendLine(left);
                    foreach (var line in lines) text.AppendLine(new string(' ', column) + line);
                }
                else
                {
                    text.AppendLine(left.PadRight(column) + lines[0]);
                    foreach (var line in lines.Skip(1)) text.AppendLine(new string(' ', column) + line);
                }
            }
        }
        text.AppendLine();
        text.AppendLine($"  {"-h, --help",-(column - 2)}Show this help");
        if (notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notes:");
            foreach (var note in notes)
            {
                var lines = Wrap(note, width - 4);
                text.AppendLine("  " + lines[0]);
                foreach (var line in lines.Skip(1)) text.AppendLine("  " + line);
            }
        }
        if (examples.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Examples:");
            foreach (var (command, comment) in examples)
            {
                text.AppendLine($"  # {comment}");
                text.AppendLine($"  {command}");
            }
        }
        console.Line(text.ToString().TrimEnd());
    }

    internal static List<string> Wrap(string text, int width)
    {
        width = Math.Max(width, 20);
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }
}
