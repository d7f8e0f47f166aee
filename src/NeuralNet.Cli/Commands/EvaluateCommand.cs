using System.Globalization;
using Spectre.Console;

namespace NeuralNet.Cli.Commands;

/// <summary><c>evaluate</c>: a saved model's accuracy and cost on a data set's test samples, overall and per class.</summary>
public static class EvaluateCommand
{
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        .. DataOptions.Specs,
        new("split", "test|train|all", "Which samples to measure.", "test", "Evaluation"),
    ];

    public static int Run(string[] args, CliContext context)
    {
        var o = ParsedOptions.Parse("evaluate", args, Specs);
        if (o.Help)
        {
            Help.Command(context.Out,
                "Measure a saved model on a data set: accuracy and cost, overall and per class.",
                $"{CliApp.Name} evaluate <model.json> --data <source> [options]",
                Specs,
                [
                    "Give the same data options as for train (--data, --test-fraction, --seed, --standardize, …) to measure the same test samples: " +
                    "the split and the scaling are rebuilt from them.",
                    "Exit codes: 0 done, 1 bad data or model file, 2 bad command line.",
                ],
                [
                    ($"{CliApp.Name} evaluate fashion.json --data fashion-mnist-subset", "the model of train's first example, on the subset's 500 test images"),
                    ($"{CliApp.Name} evaluate model.json --data moons --seed 1 --split all", "every sample of the moons set"),
                ]);
            return CliApp.ExitCodes.Ok;
        }
        string modelPath = ModelArgument(o, "evaluate");
        var request = DataOptions.Read(o, "evaluate");
        string split = o.Choice("split", ["test", "train", "all"], "test");

        var network = Network.Load(modelPath);
        var data = DataSources.Load(request);
        if (data.Features != network.LayerSizes[0])
            throw new UsageException(
                $"The model {modelPath} takes {network.LayerSizes[0]} features per sample, but {request.Source} has {data.Features}. Evaluate it on the kind of data it was trained on.",
                "evaluate");
        int outputs = network.LayerSizes[^1];
        if (!(outputs == 1 && data.Classes == 2) && outputs < data.Classes)
            throw new UsageException(
                $"The model {modelPath} has {outputs} output unit{(outputs == 1 ? "" : "s")}, which cannot tell the {data.Classes} classes of {request.Source} apart.", "evaluate");

        var set = split switch
        {
            "train" => data.Train,
            "all" => new Data.LabeledData(data.Train.X.Append(data.Test.X), [.. data.Train.Labels, .. data.Test.Labels], data.ClassNames),
            _ => data.Test,
        };
        var y = NetworkPlan.Targets(set, outputs);
        double accuracy = network.Accuracy(set.X, y);
        double cost = network.ComputeCost(set.X, y);
        var predicted = network.PredictClasses(set.X);

        var console = context.Out;
        console.Line($"Model: {Path.GetFullPath(modelPath)} ({string.Join(" → ", network.LayerSizes)})");
        console.Line($"Data:  {data.Description}; {split} samples: {set.Count:N0}");
        console.Line($"Accuracy: {TrainCommand.Percent(accuracy)}   Cost: {cost.ToString("G4", CultureInfo.InvariantCulture)}");
        var table = new Table().AddColumns("class", "samples", "correct", "accuracy");
        table.Columns[1].RightAligned();
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        var counts = new int[data.Classes];
        var correct = new int[data.Classes];
        for (int j = 0; j < set.Count; j++)
        {
            int label = set.Labels[j];
            counts[label]++;
            if (predicted[j] == label) correct[label]++;
        }
        for (int k = 0; k < data.Classes; k++)
            table.AddRow(Markup.Escape(data.ClassNames[k]), counts[k].ToString("N0", CultureInfo.InvariantCulture),
                correct[k].ToString("N0", CultureInfo.InvariantCulture), counts[k] == 0 ? "–" : TrainCommand.Percent((double)correct[k] / counts[k]));
        console.Write(table);
        return CliApp.ExitCodes.Ok;
    }

    internal static string ModelArgument(ParsedOptions o, string command)
    {
        if (o.Positional.Count == 0)
            throw new UsageException($"Give the model file: {CliApp.Name} {command} model.json …", command);
        if (o.Positional.Count > 1)
            throw new UsageException($"{command} takes one model file, but got {o.Positional.Count} arguments: {string.Join(" ", o.Positional)}.", command);
        return o.Positional[0];
    }
}
