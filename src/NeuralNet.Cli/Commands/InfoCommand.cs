using System.Globalization;
using NeuralNet.Data;
using Spectre.Console;

namespace NeuralNet.Cli.Commands;

/// <summary><c>info</c>: what a saved model is — its layers, parameters, cost — and how its training went.</summary>
public static class InfoCommand
{
    public static int Run(string[] args, CliContext context)
    {
        var o = ParsedOptions.Parse("info", args, []);
        if (o.Help)
        {
            Help.Command(context.Out, "Show a saved model's layers, size and training history.", $"{CliApp.Name} info <model.json>", [],
                ["Exit codes: 0 done, 1 bad model file, 2 bad command line."],
                [($"{CliApp.Name} info fashion.json", "the model train's first example writes")]);
            return CliApp.ExitCodes.Ok;
        }
        string path = EvaluateCommand.ModelArgument(o, "info");
        var saved = ModelFile.Read(path);
        var network = saved.Network;
        var console = context.Out;
        var inv = CultureInfo.InvariantCulture;
        console.Line($"Model:      {Path.GetFullPath(path)}");
        console.Line($"Layers:     {string.Join(" → ", network.LayerSizes)} ({network.ParameterCount.ToString("N0", inv)} parameters)");
        console.Line($"Cost:       {network.Cost.Name}");
        var table = new Table().AddColumns("layer", "units", "inputs", "activation", "W", "b");
        foreach (var layer in network.Layers)
        {
            table.AddRow(layer.Index.ToString(inv), layer.Units.ToString(inv), layer.Inputs.ToString(inv), layer.Activation.Name,
                $"{layer.W.RowCount} × {layer.W.ColumnCount}", $"{layer.b.RowCount} × 1");
        }

        console.Write(table);
        if (saved.History is { Epochs: > 0 } h)
        {
            console.Line($"Training:   {h.Epochs.ToString("N0", inv)} epochs, {h.Optimizer}, α = {h.LearningRate.ToString(inv)}{(h.Stopped ? " (stopped early by Ctrl+C)" : "")}");
            console.Line($"            cost {h.Costs[0].ToString("G4", inv)} → {h.Costs[^1].ToString("G4", inv)}, " +
                $"training accuracy {TrainCommand.Percent(h.Accuracies[0])} → {TrainCommand.Percent(h.Accuracies[^1])}");
            if (h.ValidationEpochs.Count > 0)
                console.Line($"            test accuracy {TrainCommand.Percent(h.ValidationAccuracies[^1])} at epoch {h.ValidationEpochs[^1].ToString("N0", inv)}");
        }
        else
        {
            console.Line("Training:   no history saved");
        }
        if (saved.Data is { } d)
        {
            console.Line($"Data:       {d.Source}{(d.Options.Count == 0 ? "" : " (" + string.Join(", ", d.Options.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"--{p.Key} {p.Value}")) + ")")}");
            console.Line($"            {d.Features.ToString("N0", inv)} features{(d.Scaling is null ? "" : ", standardized")}; " +
                $"{d.ClassNames.Count} classes: {string.Join(", ", d.ClassNames.Take(12))}{(d.ClassNames.Count > 12 ? ", …" : "")}; " +
                $"{d.TrainSamples.ToString("N0", inv)} training and {d.TestSamples.ToString("N0", inv)} test samples");
        }
        else
        {
            console.Line($"Data:       not recorded (model format {saved.Version})");
        }

        return CliApp.ExitCodes.Ok;
    }
}
