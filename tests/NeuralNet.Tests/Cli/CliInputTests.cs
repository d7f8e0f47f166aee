using System.Text.Json.Nodes;
using NeuralNet.Data;
using NeuralNet.Tests.Data;

namespace NeuralNet.Tests.Cli;

/// <summary>Issue 14 through the command line: bad sizes and output paths fail before training; evaluate refuses data that does not fit its model; predict.</summary>
public sealed class CliInputTests : IDisposable
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

    [Theory]
    [InlineData("65536,65537", "--hidden-layers 65536,65537: Layer sizes [2, 65536, 65537, 1]: W2 would be 65,537 × 65,536 = 4,295,032,832 numbers, more than one matrix can hold (2,147,483,647). Use smaller layers.")]
    [InlineData("46341,46341", "--hidden-layers 46341,46341: Layer sizes [2, 46341, 46341, 1]: W2 would be 46,341 × 46,341 = 2,147,488,281 numbers, more than one matrix can hold (2,147,483,647). Use smaller layers.")]
    public void Layer_sizes_whose_product_overflows_are_a_usage_error(string hidden, string message)
    {
        var r = CliRunner.Run("train", "--data", "moons", "--hidden-layers", hidden, "--epochs", "1", "--no-chart", "--out", _temp.File("x.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: {message}", r.Error);
    }

    [Fact]
    public void An_out_folder_is_refused_before_training_naming_the_folder()
    {
        string folder = Directory.CreateDirectory(_temp.File("models")).FullName;
        var r = CliRunner.Run("train", "--data", "moons", "--epochs", "5", "--no-chart", "--out", folder);
        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain("epoch", r.Output);   // nothing was trained
        Assert.StartsWith($"error: --out {folder}: {folder} is a folder ({folder}), not a file; give a file name", r.Error);
        Assert.DoesNotContain(".tmp", r.Error);
    }

    [Fact]
    public void A_device_at_out_is_refused_and_a_chart_under_a_file_too()
    {
        // A named pipe stands for a device: never point a test at /dev/null, which a regression (run as root) would replace.
        string fifo = _temp.File("pipe.json");
        if (!OperatingSystem.IsWindows())
        {
            using (var mk = System.Diagnostics.Process.Start("mkfifo", fifo)) mk.WaitForExit();
            var r0 = CliRunner.Run("train", "--data", "moons", "--epochs", "5", "--no-chart", "--out", fifo);
            Assert.Equal(2, r0.ExitCode);
            Assert.Contains($"error: --out {fifo}: {fifo} is not a regular file", r0.Error);
        }
        string file = _temp.WriteText("plain", "x");
        var r = CliRunner.Run("train", "--data", "moons", "--epochs", "5", "--out", _temp.File("m.json"), "--chart", Path.Combine(file, "c.html"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"is a file, so the folder {file} cannot be created", r.Error);
        Assert.DoesNotContain("epoch", r.Output);
    }

    [UnixFact]
    public void Out_through_a_symbolic_link_writes_the_target_and_says_so()
    {
        string target = _temp.File("real.json"), link = _temp.File("link.json");
        File.WriteAllText(target, "{}");
        File.CreateSymbolicLink(link, target);
        var r = CliRunner.Run("train", "--data", "moons", "--samples", "100", "--epochs", "2", "--no-chart", "--out", link);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"Model:             {target} (through the link {link})", r.Output);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal([2, 64, 1], ModelFile.Read(target).Network.LayerSizes);
    }

    [Fact]
    public void The_model_records_its_data_and_evaluate_uses_it_without_data_options()
    {
        string model = TrainMoons();
        var saved = ModelFile.Read(model);
        Assert.Equal("moons", saved.Data!.Source);
        Assert.Equal("1", saved.Data.Options["seed"]);
        Assert.Equal(["upper moon", "lower moon"], saved.Data.ClassNames);
        var r = CliRunner.Run("evaluate", model);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Data:  moons (synthetic, seed 1), 20% held out for testing; test samples: 40", r.Output);
    }

    [Fact]
    public void Evaluate_refuses_another_data_set_naming_what_differs()
    {
        string model = TrainMoons();
        var r = CliRunner.Run("evaluate", model, "--data", "circles");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: The model {model} does not fit this data:\n  - data: it was trained on moons, not circles\n", r.Error.ReplaceLineEndings("\n"));
        Assert.Contains("  - classes: the model knows 2 (upper moon, lower moon), the data has 2 (outer circle, inner circle)", r.Error);
    }

    [Fact]
    public void Evaluate_refuses_another_split_that_would_test_on_training_samples()
    {
        string model = TrainMoons();
        var r = CliRunner.Run("evaluate", model, "--data", "moons", "--samples", "200", "--seed", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("  - --seed: 1 in training, 2 here — another split's test samples include samples the model was trained on", r.Error);
        r = CliRunner.Run("evaluate", model, "--data", "moons", "--samples", "200", "--test-fraction", "0.5");
        Assert.Contains("  - --test-fraction: 0.2 in training, 0.5 here", r.Error);
    }

    [Fact]
    public void Evaluate_refuses_a_model_with_fewer_classes_than_the_data()
    {
        string model = TrainMoons();
        var r = CliRunner.Run("evaluate", model, "--data", "spirals");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("  - classes: the model knows 2 (upper moon, lower moon), the data has 3", r.Error);
    }

    private string IrisLike(string name, bool header = true, string[]? columns = null)
    {
        var random = new System.Random(8);
        var text = new System.Text.StringBuilder(header ? string.Join(',', columns ?? ["a", "b", "species"]) + "\n" : "");
        for (int i = 0; i < 90; i++)
            text.Append(FormattableString.Invariant($"{i % 3 * 10 + random.NextDouble():0.000},{random.NextDouble() * 100:0.0},{new[] { "setosa", "versicolor", "virginica" }[i % 3]}\n"));
        return _temp.WriteText(name, text.ToString());
    }

    [Fact]
    public void Evaluate_refuses_missing_standardization_and_applies_the_recorded_one()
    {
        string csv = IrisLike("iris.csv");
        string model = _temp.File("iris.json");
        var r = CliRunner.Run("train", "--data", csv, "--standardize", "--hidden-layers", "8", "--epochs", "30", "--learning-rate", "0.01", "--no-chart", "--out", model);
        Assert.True(r.ExitCode == 0, r.ToString());
        var saved = ModelFile.Read(model);
        Assert.NotNull(saved.Data!.Scaling);
        Assert.Equal(["a", "b"], saved.Data.FeatureNames);

        r = CliRunner.Run("evaluate", model, "--data", csv);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("  - --standardize: yes in training, not given here — the model expects standardized features", r.Error);

        r = CliRunner.Run("evaluate", model);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("standardized with the model's training means and deviations", r.Output);
    }

    [Fact]
    public void Predict_scores_rows_with_the_recorded_scaling_and_writes_a_csv()
    {
        string csv = IrisLike("iris.csv");
        string model = _temp.File("iris.json");
        Assert.Equal(0, CliRunner.Run("train", "--data", csv, "--standardize", "--hidden-layers", "8", "--epochs", "60", "--learning-rate", "0.02", "--no-chart", "--out", model).ExitCode);
        string rows = _temp.WriteText("new.csv", "a,b\n0.5,50\n20.5,50\n");
        string output = _temp.File("pred.csv");
        var r = CliRunner.Run("predict", model, "--data", rows, "--out", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("standardizing the inputs as in training", r.Output);
        Assert.Contains("row 1: setosa", r.Output);
        Assert.Contains("row 2: virginica", r.Output);

        // The probabilities are the network's on the standardized rows: recompute them from the file.
        var saved = ModelFile.Read(model);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,] { { 0.5, 20.5 }, { 50, 50 } });
        var p = saved.Network.PredictProbabilities(saved.Data!.Scaling!.Apply(x));
        var lines = File.ReadAllLines(output);
        Assert.Equal("row,class,\"p(setosa)\",\"p(versicolor)\",\"p(virginica)\"", lines[0]);
        Assert.Equal(p[0, 0], double.Parse(lines[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Predict_refuses_rows_that_do_not_fit_the_model()
    {
        string csv = IrisLike("iris.csv");
        string model = _temp.File("iris.json");
        Assert.Equal(0, CliRunner.Run("train", "--data", csv, "--hidden-layers", "4", "--epochs", "2", "--no-chart", "--out", model).ExitCode);
        string three = _temp.WriteText("four.csv", "a,b,c,d\n1,2,3,4\n");
        var r = CliRunner.Run("predict", model, "--data", three);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {three}, line 1: the rows have 4 fields, so 4 features, but the model takes 2. Give rows with the same feature columns as the training data.", r.Error.Trim());
        string swapped = _temp.WriteText("swapped.csv", "b,a\n1,2\n");
        r = CliRunner.Run("predict", model, "--data", swapped);
        Assert.Contains("feature column 1 is 'b', but the model was trained with 'a' there", r.Error);
    }

    [Fact]
    public void A_format_1_model_is_still_evaluated_with_a_note_that_nothing_can_be_checked()
    {
        string model = TrainMoons();
        var root = JsonNode.Parse(File.ReadAllText(model))!.AsObject();
        root.Remove("data");
        root["version"] = 1;
        File.WriteAllText(model, root.ToJsonString());
        var r = CliRunner.Run("evaluate", model, "--data", "moons", "--samples", "200");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("records no data, so evaluate cannot check that this data is what it was trained on", r.Output);
    }

    [Fact]
    public void A_truncated_csv_gz_fails_training_saying_truncated()
    {
        string csv = File.ReadAllText(IrisLike("iris.csv"));
        byte[] gz = TempFolder.Gzip(System.Text.Encoding.UTF8.GetBytes(csv));
        string path = _temp.WriteBytes("cut.csv.gz", gz[..(gz.Length * 2 / 3)]);
        var r = CliRunner.Run("train", "--data", path, "--epochs", "1", "--no-chart", "--out", _temp.File("m.json"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {path}: the gzip data is incomplete: the file is truncated", r.Error);
    }

    [Fact]
    public void The_memory_budget_bounds_a_csv_with_many_rows_and_can_be_set()
    {
        // A separate process, so the environment variable does not reach other tests.
        var text = new System.Text.StringBuilder("a,b,c,d,e,f,g,h,label\n");
        for (int i = 0; i < 20_000; i++) text.Append(FormattableString.Invariant($"{i},1,2,3,4,5,6,7,{i % 2}\n"));
        string csv = _temp.WriteText("rows.csv", text.ToString());
        string[] arguments = [Path.Combine(AppContext.BaseDirectory, "NeuralNet.Cli.dll"), "train", "--data", csv,
            "--epochs", "1", "--no-chart", "--out", _temp.File("m.json")];
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["NEURALNET_MEMORY_BUDGET"] = "1M";
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"error: {csv}, line 16386: the data read so far (16,384 rows × 8 features) already fills the memory budget as doubles. " +
            "The memory budget is 1 MiB; set NEURALNET_MEMORY_BUDGET (e.g. NEURALNET_MEMORY_BUDGET=16G) to allow more.", error);
    }

    [Fact]
    public void Seeded_misuse_of_the_command_line_never_crashes_and_fails_with_one_error()
    {
        // A seeded generator of command lines from pieces that go wrong: bad sizes, bad paths, bad files, bad numbers.
        // Every run must end with exit code 0, 1 or 2 — never an exception escaping CliApp.Run — and a failure must
        // say "error:" on its first line. Training is kept tiny (few samples, epochs ≤ 2) so the test stays fast.
        string folder = Directory.CreateDirectory(_temp.File("folder")).FullName;
        string plain = _temp.WriteText("plain.txt", "x");
        string goodCsv = IrisLike("good.csv");
        string oneBased = _temp.WriteText("onebased.csv", "a,b,label\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i % 5},{1 + i % 3}\n")));
        string truncated = _temp.WriteBytes("cut.csv.gz", TempFolder.Gzip(System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(goodCsv)))[..200]);
        string binary = _temp.WriteBytes("binary.csv", [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]);
        string model = TrainMoons();
        string brokenModel = _temp.WriteText("broken.json", File.ReadAllText(model)[..300]);
        string[] commands = ["train", "evaluate", "predict", "info", "trian", "--epochs"];
        string[] data = ["moons", "circles", "spirals", goodCsv, oneBased, truncated, binary, folder, plain, "nope.csv", "mons"];
        string[] models = [model, brokenModel, folder, plain, "missing.json", goodCsv];
        (string Option, string[] Values)[] options =
        [
            ("--hidden-layers", ["3", "65536,65537", "46341,46341", "0", "a,b", "", "2,2"]),
            ("--layers", ["2,3,1", "2,3", "5,3,1", "1"]),
            ("--epochs", ["1", "2", "0", "-1", "x", "99999999999"]),
            ("--out", [_temp.File("out.json"), folder, Path.Combine(plain, "m.json"), _temp.File("sub/dir/m.json")]),
            ("--chart", [_temp.File("c.html"), folder, _temp.File("out.json")]),
            ("--samples", ["40", "3", "-5", "1e9"]),
            ("--seed", ["1", "2", "-1", "4294967296"]),
            ("--test-fraction", ["0.2", "0", "1", "NaN", "0.999"]),
            ("--learning-rate", ["0.01", "0", "1e308", "inf"]),
            ("--batch-size", ["full", "0", "8"]),
            ("--label-column", ["species", "9", "-1", "nosuch"]),
            ("--standardize", []),
            ("--split", ["all", "test", "nope"]),
            ("--show", ["1", "-2"]),
            ("--dropout", ["0.2", "1", "-0.1"]),
        ];
        var random = new System.Random(1414);
        var codes = new int[3];
        for (int n = 0; n < 60; n++)
        {
            var args = new List<string> { commands[random.Next(commands.Length)] };
            if (args[0] is "evaluate" or "predict" or "info") args.Add(models[random.Next(models.Length)]);
            if (random.Next(5) > 0) args.AddRange(["--data", data[random.Next(data.Length)]]);
            for (int k = random.Next(4); k > 0; k--)
            {
                var (option, values) = options[random.Next(options.Length)];
                args.Add(option);
                if (values.Length > 0) args.Add(values[random.Next(values.Length)]);
            }
            if (args[0] == "train")
            {
                if (!args.Contains("--samples")) args.AddRange(["--samples", "40"]);
                if (!args.Contains("--epochs")) args.AddRange(["--epochs", "1"]);
                if (!args.Contains("--out")) args.AddRange(["--out", _temp.File("default.json")]);
            }
            string line = string.Join(" ", args);
            CliRunner.Result r;
            try { r = CliRunner.Run([.. args]); }
            catch (Exception e) { Assert.Fail($"case {n}: {line}\n{e.GetType().Name} escaped: {e.Message}"); return; }
            Assert.True(r.ExitCode is 0 or 1 or 2, $"case {n}: {line}\n{r}");
            if (r.ExitCode != 0) Assert.True(r.Error.StartsWith("error: ", StringComparison.Ordinal), $"case {n}: {line}\n{r}");
            codes[r.ExitCode]++;
        }
        Assert.True(codes.All(c => c > 0), $"exit codes 0/1/2: {string.Join("/", codes)} — the generator should reach all three");
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories));
    }
}
