using System.Diagnostics;
using System.Globalization;
using NeuralNet.Data;
using NeuralNet.Training;
using Spectre.Console;
using static System.FormattableString;

namespace NeuralNet.Cli.Commands;

/// <summary><c>train</c>: loads data, builds the network the options describe, trains it with a progress display, saves the model and a chart.</summary>
public static class TrainCommand
{
    private const string Net = "Network", Train = "Training", Output = "Output";

    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        .. DataOptions.Specs.Where(s => s.Section == DataOptions.Section),
        new("hidden-layers", "sizes", "The hidden layers' sizes, comma-separated; the input and output sizes come from the data.", "64", Net),
        new("layers", "sizes",
            "All layer sizes, input first and output last (e.g. 784,128,10). The first must equal the number of features and the last " +
            "the number of outputs (1 for two classes, else one per class); you are told what fits if not.", Section: Net),
        new("hidden", "activation", "Activation of the hidden layers: relu, leaky_relu, tanh, sigmoid, identity.", "relu", Net),
        new("output", "activation", "Activation of the output layer.", "sigmoid (1 unit) for two classes, softmax for more", Net),
        new("cost", "name", "What training minimises: binary_cross_entropy, categorical_cross_entropy, mse, l1.", "matches the output", Net),
        new("init", "name", "How the first weights are drawn: he, xavier or original (randn·0.1).", "he for relu, xavier otherwise", Net),
        new("epochs", "N", "Passes over the training data.", "30", Train, 'e'),
        new("batch-size", "N|full", "Samples per gradient step; 'full' uses all of them (one step per epoch).", "32", Train, 'b'),
        new("optimizer", "name", "The update rule: sgd, momentum (β = 0.9) or adam.", "adam", Train),
        new("learning-rate", "α", "Step size.", "0.001 for adam, 0.01 for momentum, 0.05 for sgd", Train, 'l'),
        new("l2", "λ", "L2 weight penalty (weight decay), e.g. 0.1.", "0", Train),
        new("dropout", "p", "Fraction of hidden units switched off on each training step, e.g. 0.2.", "0", Train),
        DataOptions.Specs.Single(s => s.Name == "seed"),
        new("out", "model.json", "Where to save the trained model (JSON; load it with ModelFile.Read, evaluate or info).", "model.json", Output, 'o'),
        new("chart", "file.html", "Where to write the HTML chart of cost and accuracy per epoch (opens in any browser, no internet needed).",
            "the model's path with .html", Output),
        new("no-chart", null, "Do not write the chart.", Section: Output),
    ];

    /// <summary>The example that meets the project's bar: > 80% test accuracy on the shipped Fashion-MNIST subset in well under a minute.</summary>
    public const string FashionExample =
        "train --data fashion-mnist-subset --hidden-layers 128 --epochs 15 --batch-size 32 --optimizer adam --learning-rate 0.001 --dropout 0.2 --seed 1 --out fashion.json";

    private static void ShowHelp(IAnsiConsole console) => Help.Command(console,
        "Train a network on a data set, showing cost and accuracy as it goes; save the model and an HTML chart of its history.",
        $"{CliApp.Name} train --data <source> [options]",
        Specs,
        [
            "Output and cost follow the number of classes unless given: two classes → one sigmoid unit with binary cross-entropy; " +
            "more → one softmax unit per class with categorical cross-entropy.",
            "The test set (held out, never trained on) is measured at every report and at the end; the chart calls these figures validation cost and accuracy.",
            "Ctrl+C stops training after the current step; the model trained so far and its chart are still written, and the exit code is 130. " +
            "A second Ctrl+C ends the program at once, after saving the model as of the last progress report (no chart).",
            "--out and --chart are checked before the data is loaded: a folder, a device or an unwritable place is refused at once. " +
            "If --out is a symbolic link, the file it points to is replaced and the link kept. The model is written to a temporary file " +
            "and renamed over the old one, so a failure, Ctrl+C or kill during the save leaves the previous model as it was.",
            "The model file records what the model needs to be used again: the number and names of the features, the --standardize " +
            "means and deviations, the class names, the data source and the split (--seed, --test-fraction). evaluate and predict use it.",
            "Exit codes: 0 done, 1 bad data or model file or training failed, 2 bad command line, 130 stopped by Ctrl+C.",
            "When output is not a terminal (redirected, CI), progress is printed as plain lines instead of a progress bar.",
        ],
        [
            ($"{CliApp.Name} {FashionExample}", "Fashion-MNIST subset, 784-128-10 with dropout: about 84% test accuracy in under a minute"),
            ($"{CliApp.Name} train --data moons --hidden-layers 16,16 --epochs 200 --learning-rate 0.01", "two interleaved half-moons (2 classes → 1 sigmoid output)"),
            ($"{CliApp.Name} train --data spirals --layers 2,64,64,3 --epochs 300 --learning-rate 0.01 --chart spirals.html", "three spirals, all layer sizes given"),
            ($"{CliApp.Name} train --data iris.csv --label-column species --standardize --hidden-layers 8 --epochs 200", "your own CSV file"),
            ($"{CliApp.Name} train --data ~/mnist --hidden-layers 256,128 --epochs 10 --dropout 0.2", "a folder of IDX files (MNIST, Fashion-MNIST …)"),
        ]);

    public static int Run(string[] args, CliContext context)
    {
        var o = ParsedOptions.Parse("train", args, Specs);
        if (o.Help)
        {
            ShowHelp(context.Out);
            return CliApp.ExitCodes.Ok;
        }
        if (o.Positional.Count > 0)
            throw new UsageException($"train takes no arguments besides options, but got \"{o.Positional[0]}\". Did you mean --data {o.Positional[0]}?", "train");

        // Read and check every option before loading anything, so a typo fails at once.
        var request = DataOptions.Read(o, "train");
        int epochs = o.Int("epochs", 30, 1, 10_000_000, "30");
        int? batchSize = BatchSize(o);
        string optimizerName = o.Choice("optimizer", Optimizers.Names, "adam");
        double defaultRate = Optimizers.FromName(optimizerName).LearningRate;
        double learningRate = o.Double("learning-rate", defaultRate, 0, 100, minExclusive: true, example: defaultRate.ToString(CultureInfo.InvariantCulture));
        double l2 = o.Double("l2", 0, 0, 1e6, example: "0.1");
        double dropout = o.Double("dropout", 0, 0, 1, maxExclusive: true, example: "0.2");
        string? initName = o.Has("init") ? o.Choice("init", ["he", "xavier", "original"], "he") : null;
        int[]? layers = o.IntList("layers", "784,128,10");
        int[]? hiddenLayers = o.IntList("hidden-layers", "128,64");
        string hidden = o.String("hidden") ?? "relu";
        string? output = o.String("output");
        string? cost = o.String("cost");
        string modelPath = o.String("out") ?? "model.json";
        if (o.Has("chart") && o.Flag("no-chart"))
            throw new UsageException("--chart and --no-chart contradict each other; give one.", "train");
        string? chartPath = o.Flag("no-chart") ? null : o.String("chart") ?? Path.ChangeExtension(modelPath, ".html");
        if (chartPath is not null && Path.GetFullPath(chartPath) == Path.GetFullPath(modelPath))
            throw new UsageException($"--chart and --out are the same file ({chartPath}); give the chart its own name, e.g. --chart history.html.", "train");

        // The output places are checked before anything is loaded or trained, so a bad --out cannot cost a training run.
        string modelFull = Writable("out", modelPath);
        if (chartPath is not null) Writable("chart", chartPath);

        var data = DataSources.Load(request);
        var plan = NetworkPlan.Create(data.Features, data.Classes, layers, hiddenLayers, hidden, output, cost);
        CheckSeveralClasses(data);

        var init = Initialization.FromName(initName ?? (plan.Hidden.Key?.Contains("relu", StringComparison.Ordinal) == true ? "he" : "xavier"), request.Seed);
        var network = new Network(plan.LayerSizes, plan.Hidden, plan.Output, plan.Cost, init);
        var (xTrain, yTrain) = (data.Train.X, plan.Targets(data.Train));
        var (xTest, yTest) = (data.Test.X, plan.Targets(data.Test));

        var optimizer = Optimizers.FromName(optimizerName, learningRate);
        int reportEvery = Math.Max(1, epochs / 100);
        int printEvery = reportEvery * Math.Max(1, (int)Math.Round(epochs / 20.0 / reportEvery));
        string batchText = batchSize is null ? "full batch"
            : batchSize >= data.Train.Count ? Invariant($"full batch (--batch-size {batchSize} is not below the {data.Train.Count:N0} training samples)")
            : $"batches of {batchSize}";

        var console = context.Out;
        console.Line($"Data:      {data.Description}");
        console.Line(Invariant($"           {data.Train.Count:N0} training and {data.Test.Count:N0} test samples, {data.Features:N0} features, {data.Classes} classes"));
        console.Line(Invariant($"Network:   {plan.Describe()}, {network.ParameterCount:N0} parameters, {init.Name} initialisation"));
        console.Line(Invariant($"Training:  {epochs:N0} epochs, {batchText}, {optimizer}") +
            (l2 > 0 || dropout > 0 ? $", {new Regularization(l2, dropout)}" : "") + Invariant($", seed {request.Seed}"));

        string label = $"{string.Join('-', plan.LayerSizes)}, {optimizerName} α = {learningRate.ToString(CultureInfo.InvariantCulture)}";
        var record = data.Record();
        // A second Ctrl+C quits at once: it saves the model as of the last report, copied at each report (on the training
        // thread, between epochs, where the weights are whole), then the final model once training has returned.
        void SaveOnQuit(Network model, TrainingHistory trained, int epoch) => context.SaveBeforeQuitting?.Set(() =>
        {
            string full = ModelFile.Save(model, modelPath, record, trained);
            return Invariant($"Quitting: saved the model as of epoch {epoch:N0} to {full}.");
        });
        void Snapshot(TrainingProgress p)
        {
            if (context.SaveBeforeQuitting is null) return;
            SaveOnQuit(network.Clone(), Copied(p.History, label), p.Epoch);
        }

        var trainer = new Trainer(network);
        var watch = Stopwatch.StartNew();
        TrainingHistory history;
        TrainingOptions Options(Action<TrainingProgress> onProgress) => new()
        {
            Epochs = epochs,
            BatchSize = batchSize,
            Optimizer = optimizer,
            ShuffleSeed = request.Seed,
            // One --seed, separate streams: the dropout masks must not repeat the shuffle's numbers.
            Regularization = new Regularization(l2, dropout, DropoutSeed: unchecked(request.Seed * 2654435761u + 1)),
            ReportEvery = reportEvery,
            ValidationX = xTest,
            ValidationY = yTest,
            OnProgress = onProgress,
            Cancellation = context.Cancellation,
        };
        if (context.LiveProgress)
        {
            history = null!;
            console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape($"epoch 0/{epochs}"), maxValue: epochs);
                    history = trainer.Train(xTrain, yTrain, Options(p =>
                    {
                        Snapshot(p);
                        task.Description = Markup.Escape(ProgressLine(p));
                        task.Value = p.Epoch;
                    }));
                    if (history.Stopped) task.Description = Markup.Escape($"stopped at epoch {history.Epochs}/{epochs}");
                    task.StopTask();
                });
        }
        else
        {
            history = trainer.Train(xTrain, yTrain, Options(p =>
            {
                Snapshot(p);
                if (p.Epoch == 1 || p.Epoch % printEvery == 0 || p.Epoch == p.Epochs)
                    console.Line(Invariant($"{ProgressLine(p)}  ({watch.Elapsed.TotalSeconds:F1} s)"));
            }));
        }
        watch.Stop();
        history.Label = label;
        if (history.Epochs > 0) SaveOnQuit(network, history, history.Epochs);   // trained: the network itself is whole now

        if (history.Epochs == 0)
        {
            console.Line("Stopped before the first epoch finished; nothing to save.");
            return CliApp.ExitCodes.Cancelled;
        }

        double trainAccuracy = network.Accuracy(xTrain, yTrain);
        double testAccuracy = network.Accuracy(xTest, yTest);
        double testCost = network.ComputeCost(xTest, yTest);
        modelFull = ModelFile.Save(network, modelPath, record, history);
        string? chartFull = chartPath is null ? null
            : ChartWriter.Write(history, chartPath, $"{data.Description}: {string.Join('-', plan.LayerSizes)}, {optimizer}");

        console.Line(history.Stopped
            ? Invariant($"Stopped by Ctrl+C after {history.Epochs:N0} of {epochs:N0} epochs ({watch.Elapsed.TotalSeconds:F1} s); saving the model trained so far.")
            : Invariant($"Trained {history.Epochs:N0} epochs in {watch.Elapsed.TotalSeconds:F1} s."));
        console.Line($"Training accuracy: {Percent(trainAccuracy)}");
        console.Line(Invariant($"Test accuracy:     {Percent(testAccuracy)}  (cost {testCost:G4}, {data.Test.Count:N0} samples)"));
        console.Line($"Model:             {modelFull}{(modelFull != Path.GetFullPath(modelPath) ? $" (through the link {Path.GetFullPath(modelPath)})" : "")}");
        if (chartFull is not null) console.Line($"Chart:             {chartFull}");
        return history.Stopped ? CliApp.ExitCodes.Cancelled : CliApp.ExitCodes.Ok;
    }

    /// <summary>A copy of the history so far, marked stopped: what a model saved mid-run records.</summary>
    private static TrainingHistory Copied(TrainingHistory h, string label)
    {
        var copy = new TrainingHistory(h.LearningRate, h.Optimizer, label) { StepsPerEpoch = h.StepsPerEpoch, Stopped = true };
        for (int i = 0; i < h.Epochs; i++) copy.Add(h.Costs[i], h.Accuracies[i]);
        for (int i = 0; i < h.ValidationEpochs.Count; i++) copy.AddValidation(h.ValidationEpochs[i], h.ValidationCosts[i], h.ValidationAccuracies[i]);
        return copy;
    }

    /// <summary>
    /// Refuses training samples that are all of one class, although the labels name more: a network trained on them learns
    /// to answer that class always, and reports a training accuracy of 100 % that says nothing.
    /// </summary>
    private static void CheckSeveralClasses(LoadedData data)
    {
        var present = data.Train.Labels.Distinct().ToArray();
        if (present.Length >= 2) return;
        string only = data.ClassNames[present[0]];
        bool split = data.Test.Labels.Any(l => l != present[0]);
        throw new DataFormatException(data.Source, null, null,
            Invariant($"the {data.Train.Count:N0} training samples are all of one class ('{only}'){(split ? ", after the test samples were held out" : "")}, so there is nothing to tell apart: ") +
            $"the network would learn to answer '{only}' for everything and report 100% accuracy. " +
            (split ? "Use more samples, or another --seed or --test-fraction."
                : $"Give data with samples of at least two classes{(data.Description.Contains("(CSV)", StringComparison.Ordinal) ? ", or check that --label-column is the label column" : "")}."));
    }

    /// <summary>Checks an output path (see <see cref="ModelFile.CheckWritable"/>) and returns the file that will be written.</summary>
    private static string Writable(string option, string path)
    {
        try { return ModelFile.CheckWritable(path); }
        catch (ModelFileException e) { throw new UsageException($"--{option} {path}: {e.Message}", "train"); }
    }

    private static int? BatchSize(ParsedOptions o)
    {
        string? text = o.String("batch-size");
        if (text is not null && text.Equals("full", StringComparison.OrdinalIgnoreCase)) return null;
        return o.Int("batch-size", 32, 1, int.MaxValue, "32 (or full)");
    }

    internal static string ProgressLine(TrainingProgress p)
    {
        string width = p.Epochs.ToString(CultureInfo.InvariantCulture);
        string line = Invariant($"epoch {p.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width.Length)}/{width}  cost {p.Cost:F4}  train {Percent(p.Accuracy)}");
        if (p.ValidationAccuracy is { } va) line += $"  test {Percent(va)}";
        return line;
    }

    internal static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
