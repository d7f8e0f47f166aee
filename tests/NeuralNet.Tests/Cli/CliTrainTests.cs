using NeuralNet.Cli;
using NeuralNet.Data;
using NeuralNet.Tests.Data;
using NeuralNet.Training;

namespace NeuralNet.Tests.Cli;

/// <summary>The CLI end to end on small data: train, save, chart, evaluate, info; bad data; Ctrl+C.</summary>
public sealed class CliTrainTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_on_moons_writes_a_model_that_loads_and_a_chart_with_the_history()
    {
        string model = _temp.File("moons.json");
        var result = CliRunner.Run("train", "--data", "moons", "--samples", "200", "--hidden-layers", "8", "--epochs", "40",
            "--learning-rate", "0.02", "--seed", "3", "--out", model);
        Assert.True(result.ExitCode == 0, result.ToString());

        // Plain progress lines (no terminal here), first and last epoch included.
        Assert.Contains("epoch  1/40  cost ", result.Output);
        Assert.Contains("epoch 40/40  cost ", result.Output);
        Assert.Contains("Test accuracy:", result.Output);
        Assert.DoesNotContain("\u001b[", result.Output);   // no ANSI escapes when redirected

        var saved = ModelFile.Read(model);
        var network = saved.Network;
        Assert.Equal([2, 8, 1], network.LayerSizes);
        Assert.NotNull(saved.History);
        Assert.Equal(40, saved.History!.Epochs);
        Assert.False(saved.History.Stopped);
        var test = SyntheticData.Moons(200, 0.2, 3).TrainTestSplit(0.2, 3).Test;
        Assert.True(network.Accuracy(test.X, test.BinaryRow(1)) > 0.8);

        string chart = Path.ChangeExtension(model, ".html");
        Assert.True(File.Exists(chart));
        string html = File.ReadAllText(chart);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<title>moons (synthetic, seed 3)", html);
        Assert.Contains("\"type\":\"scatter\"", html);
        // The chart carries the history: the last epoch's cost, as the chart's JSON writes it.
        Assert.Contains(LastCostText(saved.History.Costs[^1]), html);

        // evaluate rebuilds the same split from the same data options.
        var evaluation = CliRunner.Run("evaluate", model, "--data", "moons", "--samples", "200", "--seed", "3");
        Assert.True(evaluation.ExitCode == 0, evaluation.ToString());
        double accuracy = network.Accuracy(test.X, test.BinaryRow(1));
        Assert.Contains($"Accuracy: {accuracy * 100:F1}%", evaluation.Output);

        var info = CliRunner.Run("info", model);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("2 → 8 → 1", info.Output);
        Assert.Contains("40 epochs", info.Output);
    }

    // The chart's JSON writes doubles in their shortest round-trip form.
    private static string LastCostText(double cost) => cost.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Train_on_a_csv_file_with_a_named_label_column_and_a_test_file()
    {
        var rows = SyntheticData.Spirals(20, 3, 0.1, 5);
        string Csv(LabeledData d) => "x1,kind,x2\n" + string.Join("\n", Enumerable.Range(0, d.Count).Select(j =>
            FormattableString.Invariant($"{d.X[0, j]},{(char)('a' + d.Labels[j])},{d.X[1, j]}")));
        var (train, test) = rows.TrainTestSplit(0.25, 1);
        string trainFile = _temp.WriteText("train.csv", Csv(train));
        string testFile = _temp.WriteText("test.csv", Csv(test));
        string model = _temp.File("csv.json");
        var result = CliRunner.Run("train", "--data", trainFile, "--test-data", testFile, "--label-column", "kind", "--standardize",
            "--layers", "2,16,3", "--epochs", "5", "--out", model, "--no-chart");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("45 training and 15 test samples, 2 features, 3 classes", result.Output);
        Assert.Equal([2, 16, 3], ModelFile.Read(model).Network.LayerSizes);
        Assert.False(File.Exists(Path.ChangeExtension(model, ".html")));
    }

    [Fact]
    public void Train_on_a_folder_of_idx_files()
    {
        var data = SyntheticData.Circles(60, 0.05, 0.5, 2);
        var pixels = data.WithX(data.X.Map(v => Math.Clamp((v + 1.5) / 3, 0, 1)));
        var (train, test) = pixels.TrainTestSplit(0.5, 2);
        Idx.WriteImagesAndLabels(train, _temp.File("train-images-idx3-ubyte.gz"), _temp.File("train-labels-idx1-ubyte.gz"), [1, 2]);
        Idx.WriteImagesAndLabels(test, _temp.File("t10k-images-idx3-ubyte.gz"), _temp.File("t10k-labels-idx1-ubyte.gz"), [1, 2]);
        var result = CliRunner.Run("train", "--data", _temp.Path, "--hidden-layers", "4", "--epochs", "3", "--out", _temp.File("idx.json"), "--no-chart");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("30 training and 30 test samples, 2 features, 2 classes", result.Output);
    }

    [Fact]
    public void Bad_data_file_gives_the_loaders_message_and_exit_code_1()
    {
        string bad = _temp.WriteText("bad.csv", "a,b,label\n1,2,0\n3,oops,1\n");
        var result = CliRunner.Run("train", "--data", bad, "--out", _temp.File("never.json"));
        Assert.Equal(CliApp.ExitCodes.Failed, result.ExitCode);
        Assert.StartsWith($"error: {bad}, line 3, column 2", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(_temp.File("never.json")));

        var missing = CliRunner.Run("train", "--data", _temp.File("nope.csv"));
        Assert.Equal(CliApp.ExitCodes.Failed, missing.ExitCode);
        Assert.Contains("file not found", missing.Error);

        var emptyFolder = CliRunner.Run("train", "--data", _temp.Path);
        Assert.Equal(CliApp.ExitCodes.Failed, emptyFolder.ExitCode);
        Assert.Contains("no IDX training pair", emptyFolder.Error);
    }

    [Fact]
    public void Bad_model_file_is_one_message()
    {
        string notModel = _temp.WriteText("x.json", "{\"hello\": 1}");
        var result = CliRunner.Run("info", notModel);
        Assert.Equal(CliApp.ExitCodes.Failed, result.ExitCode);
        Assert.Contains("not a NeuralNet model", result.Error);
        Assert.Equal(CliApp.ExitCodes.Failed, CliRunner.Run("info", _temp.File("absent.json")).ExitCode);
    }

    [Fact]
    public void Ctrl_C_stops_training_saves_the_model_so_far_and_exits_130()
    {
        string model = _temp.File("stopped.json");
        using var cancel = new CancellationTokenSource();
        // Cancel as soon as the first epoch is reported, as a Ctrl+C during training would.
        var result = CliRunner.Run(cancel.Token, line => { if (line.StartsWith("epoch", StringComparison.Ordinal)) cancel.Cancel(); },
            "train", "--data", "xor", "--samples", "100", "--hidden-layers", "4", "--epochs", "1000", "--out", model);
        Assert.True(result.ExitCode == CliApp.ExitCodes.Cancelled, result.ToString());
        Assert.Contains("Stopped by Ctrl+C after 1 of 1,000 epochs", result.Output);
        var history = ModelFile.Read(model).History;
        Assert.True(history!.Stopped);
        Assert.Equal(1, history.Epochs);
        Assert.True(File.Exists(Path.ChangeExtension(model, ".html")));
    }

    [Fact]
    public void Ctrl_C_before_the_first_epoch_saves_nothing()
    {
        string model = _temp.File("none.json");
        var result = CliRunner.Run(new CancellationToken(canceled: true), null,
            "train", "--data", "xor", "--samples", "50", "--epochs", "10", "--out", model);
        Assert.Equal(CliApp.ExitCodes.Cancelled, result.ExitCode);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void A_second_Ctrl_C_saves_the_model_as_of_the_last_report_before_quitting()
    {
        // The program's handler runs SaveBeforeQuitting on the second Ctrl+C, then the process ends. Here it runs when
        // epoch 2 is printed — as if the first Ctrl+C had not stopped a long step — and the file is read at once.
        string model = _temp.File("quit.json");
        var save = new SaveBeforeQuitting();
        string? said = null;
        TrainingHistory? saved = null;
        var result = CliRunner.Run(CancellationToken.None, line =>
        {
            if (!line.StartsWith("epoch 2/", StringComparison.Ordinal)) return;
            said = save.Run();
            saved = ModelFile.Read(model).History;
        }, save, "train", "--data", "xor", "--samples", "100", "--hidden-layers", "4", "--epochs", "3", "--out", model, "--no-chart");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Quitting: saved the model as of epoch 2 to {model}.", said);
        Assert.Equal(2, saved!.Epochs);
        Assert.True(saved.Stopped);
        Assert.Equal("2-4-1, adam α = 0.001", saved.Label);
        Assert.NotNull(ModelFile.Read(model).Data);   // with its data record, as train saves it
        Assert.Null(save.Run());   // once only
    }

    [Fact]
    public void A_second_Ctrl_C_before_any_report_has_nothing_to_save()
    {
        var save = new SaveBeforeQuitting();
        string? said = "not run";
        CliRunner.Run(CancellationToken.None, line => { if (line.StartsWith("Data:", StringComparison.Ordinal)) said = save.Run(); }, save,
            "train", "--data", "xor", "--samples", "50", "--epochs", "2", "--out", _temp.File("early.json"), "--no-chart");
        Assert.Null(said);
    }
}
