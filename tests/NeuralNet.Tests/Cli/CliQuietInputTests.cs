using System.Text.Json.Nodes;
using NeuralNet.Tests.Data;

namespace NeuralNet.Tests.Cli;

/// <summary>Issue 22 through the command line: input that used to be accepted and give a wrong answer without a word is refused, saying why.</summary>
public sealed class CliQuietInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string TrainMoons(string name = "moons.json", params string[] extra)
    {
        string model = _temp.File(name);
        var r = CliRunner.Run(["train", "--data", "moons", "--samples", "200", "--hidden-layers", "8", "--epochs", "3", "--no-chart", "--out", model, .. extra]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return model;
    }

    private static void Edit(string model, Action<JsonNode> edit, Func<string, string>? text = null)
    {
        var root = JsonNode.Parse(File.ReadAllText(model))!;
        edit(root);
        File.WriteAllText(model, (text ?? (t => t))(root.ToJsonString()));
    }

    [Theory]
    [InlineData("info")]
    [InlineData("evaluate")]
    public void A_model_with_a_weight_of_1e400_is_refused_by_info_and_evaluate(string command)
    {
        string model = TrainMoons();
        Edit(model, root => root["layers"]![1]!["W"]![0]![3] = 12345.5, t => t.Replace("12345.5", "1e400", StringComparison.Ordinal));
        var r = CliRunner.Run(command, model);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {model}: layer 2's W[0, 3] is 1e400, beyond the largest number a double holds (about 1.8e308), so it reads as Infinity; " +
            "a weight must be a finite number, or every prediction is NaN.", r.Error);
        Assert.Equal("", r.Output);
    }

    [Fact]
    public void Predict_no_longer_renames_the_classes_of_a_model_whose_class_names_do_not_fit()
    {
        // Before, a record with 3 class names for a 1-unit model was replaced by "0" and "1" without a word.
        string model = TrainMoons();
        Edit(model, root => root["data"]!["classes"]!.AsArray().Add("third"));
        string rows = _temp.WriteText("rows.csv", "x1,x2\n0.5,0.25\n");
        var r = CliRunner.Run("predict", model, "--data", rows);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {model}: the data record names 3 classes, but the network has 1 output unit (one sigmoid unit tells 2 classes apart), so it needs 2 class names. " +
            "The file was edited by hand or damaged: restore it, or train the model again.\n", r.Error.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Seed_4294967295_is_a_seed_and_evaluate_rebuilds_its_split()
    {
        string model = TrainMoons("top.json", "--seed", "4294967295");
        Assert.Equal("4294967295", NeuralNet.Data.ModelFile.Read(model).Data!.Options["seed"]);
        var r = CliRunner.Run("evaluate", model, "--data", "moons", "--samples", "200", "--seed", "4294967295");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Theory]
    [InlineData("--seed", "4294967296", "error: --seed must be between 0 and 4294967295, not 4294967296; for example --seed 42.")]
    [InlineData("--seed", "-1", "error: --seed must be between 0 and 4294967295, not -1; for example --seed 42.")]
    [InlineData("--epochs", "99999999999", "error: --epochs must be between 1 and 10000000, not 99999999999; for example --epochs 30.")]
    [InlineData("--batch-size", "3000000000", "error: --batch-size must be at most 2147483647, not 3000000000; for example --batch-size 32 (or full).")]
    public void A_whole_number_out_of_range_is_told_its_range_not_that_it_is_not_a_whole_number(string option, string value, string expected)
    {
        var r = CliRunner.Run("train", "--data", "moons", option, value, "--no-chart", "--out", _temp.File("x.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(expected, r.Error);
    }

    [Theory]
    [InlineData("seed", "abc", "a seed (a whole number from 0 to 4294967295)")]
    [InlineData("test-fraction", "1.5", "a fraction between 0 and 1")]
    [InlineData("noise", "lots", "a noise level (0 to 10)")]
    public void A_recorded_option_that_does_not_read_is_an_error_naming_the_model_not_a_default(string key, string value, string what)
    {
        string model = TrainMoons();
        Edit(model, root => root["data"]!["options"]![key] = value);
        var r = CliRunner.Run("evaluate", model);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {model}: data.options.{key} is \"{value}\", not {what}; evaluate would measure other samples than the model's test set. " +
            $"The file was edited by hand or damaged: restore it, train the model again, or give --{key} yourself.", r.Error);
    }

    /// <summary>A folder of IDX files: 4-pixel images, the given training and (if any) test labels.</summary>
    private string IdxFolder(string name, byte[] trainLabels, byte[]? testLabels = null)
    {
        string folder = Directory.CreateDirectory(_temp.File(name)).FullName;
        byte[] Pixels(int n) => Enumerable.Range(0, n * 4).Select(i => (byte)(i * 37 % 256)).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), TempFolder.Idx([trainLabels.Length, 2, 2], Pixels(trainLabels.Length)));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), TempFolder.Idx([trainLabels.Length], trainLabels));
        if (testLabels is not null)
        {
            File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), TempFolder.Idx([testLabels.Length, 2, 2], Pixels(testLabels.Length)));
            File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), TempFolder.Idx([testLabels.Length], testLabels));
        }
        return folder;
    }

    [Fact]
    public void Train_on_idx_labels_with_one_huge_label_is_refused_with_the_reason()
    {
        string folder = IdxFolder("huge", [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 4)), 250]);
        var r = CliRunner.Run("train", "--data", folder, "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {Path.Combine(folder, "train-labels-idx1-ubyte")}: label 40 (byte offset 48) is 250, which would make 251 classes (0 to 250), but only 5 different labels occur;", r.Error);
    }

    [Fact]
    public void Idx_test_labels_of_a_class_no_training_label_has_are_refused()
    {
        string folder = IdxFolder("beyond", [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 3))], [0, 1, 2, 5, 1]);
        var r = CliRunner.Run("train", "--data", folder, "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.Equal(1, r.ExitCode);
        string labels = Path.Combine(folder, "t10k-labels-idx1-ubyte");
        Assert.StartsWith($"error: {labels}: label 3 (byte offset 11) is 5, a class no training label has (the training labels in {Path.Combine(folder, "train-labels-idx1-ubyte")} run from 0 to 2): " +
            "the network would have an output for it that training never taught, and could not predict it.", r.Error);
    }

    [Fact]
    public void Training_data_of_a_single_class_is_refused_not_trained_to_100_percent()
    {
        // Labels all 1: whole numbers, so classes 0 and 1 — the run trained and reported an accuracy.
        string csv = _temp.WriteText("ones.csv", "a,b,label\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i % 4},1\n")));
        var r = CliRunner.Run("train", "--data", csv, "--epochs", "2", "--no-chart", "--out", _temp.File("m.json"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {csv}: the 24 training samples are all of one class ('1'), so there is nothing to tell apart: " +
            "the network would learn to answer '1' for everything and report 100% accuracy. Give data with samples of at least two classes, or check that --label-column is the label column.\n",
            r.Error.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.False(File.Exists(_temp.File("m.json")));
        string folder = IdxFolder("fives", [.. Enumerable.Repeat((byte)5, 20)]);
        var idx = CliRunner.Run("train", "--data", folder, "--epochs", "2", "--no-chart", "--out", _temp.File("m.json"));
        Assert.Equal(1, idx.ExitCode);
        Assert.Contains("training samples are all of one class ('5'), so there is nothing to tell apart", idx.Error);
    }

    [Theory]
    [InlineData("train", "fashion-mnist-subset", "--standardize", "--standardize does nothing for fashion-mnist-subset: it is a CSV file's option, and these are images whose pixels are already scaled to [0, 1] (labels in their own files). Leave it out.")]
    [InlineData("train", "fashion-mnist-subset", "--test-fraction=0.3", "--test-fraction does nothing for fashion-mnist-subset: it has its own test set, so no test samples are held out. Leave it out.")]
    [InlineData("train", "fashion-mnist-subset", "--samples=50", "--samples does nothing for fashion-mnist-subset: it is a synthetic set's option (moons, circles, spirals, xor). Leave it out.")]
    [InlineData("train", "moons", "--standardize", "--standardize does nothing for moons: it is a CSV file's option, and a synthetic set's two features are made on one scale, its labels built in. Leave it out.")]
    [InlineData("train", "moons", "--label-column=2", "--label-column does nothing for moons: it is a CSV file's option, and a synthetic set's two features are made on one scale, its labels built in. Leave it out.")]
    [InlineData("evaluate", "fashion-mnist-subset", "--standardize", "--standardize does nothing for fashion-mnist-subset: it is a CSV file's option, and these are images whose pixels are already scaled to [0, 1] (labels in their own files). Leave it out.")]
    [InlineData("evaluate", "fashion-mnist-subset", "--seed=5", "--seed does nothing for fashion-mnist-subset: it has its own test set, so no split is drawn (in train the seed also draws the weights). Leave it out.")]
    public void An_option_that_does_nothing_for_the_data_is_refused_not_ignored(string command, string data, string option, string expected)
    {
        string[] args = command == "train"
            ? ["train", "--data", data, option, "--epochs", "1", "--no-chart", "--out", _temp.File("m.json")]
            : ["evaluate", TrainMoons(), "--data", data, option];
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: {expected}", r.Error);
        Assert.DoesNotContain("epoch", r.Output);
    }

    [Fact]
    public void Evaluate_with_standardize_on_images_no_longer_passes_the_fits_check_unnoticed()
    {
        string model = _temp.File("subset.json");
        var trained = CliRunner.Run("train", "--data", "fashion-mnist-subset", "--hidden-layers", "4", "--epochs", "1", "--no-chart", "--out", model);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var r = CliRunner.Run("evaluate", model, "--standardize");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --standardize does nothing for fashion-mnist-subset", r.Error);
    }

    [Fact]
    public void Csv_options_that_do_nothing_are_refused_and_those_that_work_still_do()
    {
        string csv = _temp.WriteText("points.csv", "a,b,label\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{i % 5},{i % 2}\n")));
        string test = _temp.WriteText("test.csv", "a,b,label\n1,2,0\n3,4,1\n");
        var noise = CliRunner.Run("train", "--data", csv, "--noise", "0.3", "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.StartsWith("error: --noise does nothing for a CSV file: it is a synthetic set's option (moons, circles, spirals, xor). Leave it out.", noise.Error);
        var fraction = CliRunner.Run("train", "--data", csv, "--test-data", test, "--test-fraction", "0.5", "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.StartsWith($"error: --test-fraction does nothing for {csv} with --test-data: the test samples come from the --test-data file, so none are held out. Leave it out.", fraction.Error);
        var ok = CliRunner.Run("train", "--data", csv, "--standardize", "--label-column", "label", "--test-fraction", "0.25", "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.True(ok.ExitCode == 0, ok.ToString());
    }

    [Fact]
    public void A_memory_budget_variable_that_is_not_a_size_stops_the_cli_with_its_name()
    {
        // A separate process, so the environment variable does not reach other tests.
        string[] arguments = [Path.Combine(AppContext.BaseDirectory, "NeuralNet.Cli.dll"), "train", "--data", "moons", "--epochs", "1", "--no-chart", "--out", _temp.File("m.json")];
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["NEURALNET_MEMORY_BUDGET"] = "8GB";
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith("error: NEURALNET_MEMORY_BUDGET is \"8GB\", which is not a memory size", error);
    }

    [Fact]
    public void A_batch_size_not_below_the_training_samples_is_said_to_be_full_batch()
    {
        var r = CliRunner.Run("train", "--data", "xor", "--samples", "50", "--batch-size", "500", "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Training:  1 epochs, full batch (--batch-size 500 is not below the 40 training samples), ", r.Output);
    }

    [Fact]
    public void Predict_refuses_a_label_column_for_idx_images()
    {
        string model = _temp.File("subset.json");
        Assert.Equal(0, CliRunner.Run("train", "--data", "fashion-mnist-subset", "--hidden-layers", "4", "--epochs", "1", "--no-chart", "--out", model).ExitCode);
        string images = Path.Combine(NeuralNet.Data.FashionMnist.FindSubsetDirectory(), "t10k-images-idx3-ubyte.gz");
        var r = CliRunner.Run("predict", model, "--data", images, "--label-column", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: --label-column does nothing for {images}: it is an IDX images file, whose labels (if any) are in a file of their own. Leave it out.", r.Error);
    }
}
