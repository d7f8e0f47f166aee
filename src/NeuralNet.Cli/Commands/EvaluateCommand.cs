using System.Globalization;
using NeuralNet.Data;
using Spectre.Console;
using static System.FormattableString;

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
                    "Without --data, the model's own record is used: the data set, split (--seed, --test-fraction) and scaling it was trained with, " +
                    "so exactly its test samples are measured.",
                    "With --data, the data must fit the record: the same features, classes and --standardize; for the same data set also the same " +
                    "--seed and --test-fraction (another split would test on training samples). Each difference is listed and nothing is measured. " +
                    "A model trained on a file may be measured on another file with the same columns and classes.",
                    "Scaling is never refitted: --standardize applies the means and deviations recorded at training.",
                    "Exit codes: 0 done, 1 bad data or model file, 2 bad command line.",
                ],
                [
                    ($"{CliApp.Name} evaluate fashion.json", "the model of train's first example, on the subset's 500 test images (from its record)"),
                    ($"{CliApp.Name} evaluate model.json --data moons --seed 1 --split all", "every sample of the moons set"),
                ]);
            return CliApp.ExitCodes.Ok;
        }
        string modelPath = ModelArgument(o, "evaluate");
        string split = o.Choice("split", ["test", "train", "all"], "test");
        var saved = ModelFile.Read(modelPath);
        var network = saved.Network;
        var record = saved.Data;
        LoadedData data;
        string? note = null;
        if (record is null)
        {
            var request = DataOptions.Read(o, "evaluate");
            data = DataSources.Load(request);
            note = $"Note: {modelPath} (model format {saved.Version}) records no data, so evaluate cannot check that this data is what it was trained on. Train it again to record that.";
            if (data.Features != network.LayerSizes[0])
            {
                throw new UsageException(
                    $"The model {modelPath} takes {network.LayerSizes[0]} features per sample, but {request.Source} has {data.Features}. Evaluate it on the kind of data it was trained on.",
                    "evaluate");
            }
        }
        else
        {
            var request = o.Has("data") ? DataOptions.Read(o, "evaluate") : DataOptions.FromRecord(record, o, modelPath);
            data = DataSources.Load(request, record.Scaling, record.ClassNames);
            CheckFits(record, data, modelPath, split);
        }
        int outputs = network.LayerSizes[^1];
        if (!(outputs == 1 && data.Classes == 2) && outputs < data.Classes)
        {
            throw new UsageException(
                $"The model {modelPath} has {outputs} output unit{(outputs == 1 ? "" : "s")}, which cannot tell the {data.Classes} classes of {data.Source} apart.", "evaluate");
        }

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
        if (note is not null) console.Line(note);
        console.Line($"Model: {Path.GetFullPath(modelPath)} ({string.Join(" → ", network.LayerSizes)})");
        console.Line(Invariant($"Data:  {data.Description}; {split} samples: {set.Count:N0}"));
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
        {
            table.AddRow(Markup.Escape(data.ClassNames[k]), counts[k].ToString("N0", CultureInfo.InvariantCulture),
                correct[k].ToString("N0", CultureInfo.InvariantCulture), counts[k] == 0 ? "–" : TrainCommand.Percent((double)correct[k] / counts[k]));
        }

        console.Write(table);
        return CliApp.ExitCodes.Ok;
    }

    /// <summary>
    /// Refuses data that does not fit the model's record, listing every difference: another data set, other features or
    /// classes, other scaling, or another split (which would test on samples the model was trained on).
    /// </summary>
    internal static void CheckFits(ModelData record, LoadedData data, string modelPath, string split)
    {
        var differences = new List<string>();
        bool sameSource = data.Source == record.Source;
        bool bothFiles = Path.IsPathRooted(record.Source) && Path.IsPathRooted(data.Source);
        if (!sameSource && !bothFiles)
            differences.Add($"data: it was trained on {record.Source}, not {data.Source}");
        foreach (string key in record.Options.Keys.Union(data.Options.Keys).Order(StringComparer.Ordinal))
        {
            if (!sameSource && key is "seed" or "test-fraction" or "test-data") continue;   // another file: its own split
            if (split == "all" && key is "seed" or "test-fraction") continue;               // every sample: the split does not matter
            string was = record.Options.GetValueOrDefault(key) ?? "not given", now = data.Options.GetValueOrDefault(key) ?? "not given";
            if (was == now) continue;
            string why = key switch
            {
                "seed" or "test-fraction" => $" — another split's test samples include samples the model was trained on",
                "standardize" => was == "yes" ? " — the model expects standardized features" : " — the model was trained on unscaled features",
                "samples" or "noise" => " — other synthetic data",
                _ => "",
            };
            differences.Add($"--{key}: {was} in training, {now} here{why}");
        }
        if (data.Features != record.Features)
        {
            differences.Add($"features: the model takes {record.Features} per sample, the data has {data.Features}");
        }
        else if (record.FeatureNames is { } names && data.FeatureNames is { } given && !names.SequenceEqual(given))
        {
            int k = Enumerable.Range(0, names.Count).First(i => names[i] != given[i]);
            differences.Add($"feature columns: column {k + 1} was '{names[k]}' in training, here it is '{given[k]}'");
        }
        if (!data.ClassNames.SequenceEqual(record.ClassNames.Take(data.ClassNames.Count)) || data.Classes > record.ClassNames.Count)
            differences.Add($"classes: the model knows {List(record.ClassNames)}, the data has {List(data.ClassNames)}");
        if (differences.Count == 0) return;
        throw new UsageException(
            $"The model {modelPath} does not fit this data:\n  - {string.Join("\n  - ", differences)}\n" +
            $"To measure it on the data it was trained on, give no data options: {CliApp.Name} evaluate {modelPath}", "evaluate");
    }

    private static string List(IReadOnlyList<string> names) =>
        names.Count + " (" + string.Join(", ", names.Take(10)) + (names.Count > 10 ? ", …" : "") + ")";

    internal static string ModelArgument(ParsedOptions o, string command)
    {
        if (o.Positional.Count == 0)
            throw new UsageException($"Give the model file: {CliApp.Name} {command} model.json …", command);
        if (o.Positional.Count > 1)
            throw new UsageException($"{command} takes one model file, but got {o.Positional.Count} arguments: {string.Join(" ", o.Positional)}.", command);
        return o.Positional[0];
    }
}
