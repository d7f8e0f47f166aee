using System.Text.Json.Nodes;
using NeuralNet.Data;
using NeuralNet.Training;

namespace NeuralNet.Tests;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuralnet-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (Network Net, MathNet.Numerics.LinearAlgebra.Matrix<double> X, TrainingHistory History) Trained()
    {
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 3);
        var net = new Network(Initialization.He(seed: 1).Create([2, 5, 4, 1]), [Activations.Tanh, new LeakyReLU(0.2), Activations.Sigmoid], Costs.BinaryCrossEntropy);
        var history = new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 50, Optimizer = new Sgd(0.3), ValidationX = x, ValidationY = y, ReportEvery = 10 });
        return (net, x, history);
    }

    private string Saved(out Network net, out MathNet.Numerics.LinearAlgebra.Matrix<double> x) => Saved(out net, out x, out _);

    private string Saved(out Network net, out MathNet.Numerics.LinearAlgebra.Matrix<double> x, out TrainingHistory history)
    {
        (net, x, history) = Trained();
        string path = Path.Combine(_dir, "model.json");
        ModelFile.Save(net, path, history: history);
        return path;
    }

    [Fact]
    public void A_loaded_model_predicts_bit_for_bit_the_same_and_keeps_its_history()
    {
        string path = Saved(out var net, out var x, out var history);
        var saved = ModelFile.Read(path);
        var loaded = saved.Network;
        Assert.Equal(net.PredictProbabilities(x).ToColumnMajorArray(), loaded.PredictProbabilities(x).ToColumnMajorArray());
        Assert.Equal(net.LayerSizes, loaded.LayerSizes);
        Assert.Equal(net.Layers.Select(l => l.Activation.Id), loaded.Layers.Select(l => l.Activation.Id));
        Assert.Equal(0.2, ((LeakyReLU)loaded.Layers[2].Activation).Alpha);
        Assert.Equal(history.Costs, saved.History!.Costs);
        Assert.Equal(history.ValidationEpochs, saved.History.ValidationEpochs);
        Assert.Equal(history.LearningRate, saved.History.LearningRate);
        Assert.Equal(1, saved.History.StepsPerEpoch);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        Assert.Contains("\"layerSizes\"", File.ReadAllText(path));
        Assert.DoesNotContain("stepsPerEpoch", File.ReadAllText(path));   // full batch: files as before
    }

    [Fact]
    public void A_mini_batch_history_keeps_its_steps_per_epoch_so_charts_say_epoch()
    {
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 3);
        var net = new Network([2, 4, 1], initialization: Initialization.He(seed: 1));
        var history = new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = new Sgd(0.1) });
        string path = Path.Combine(_dir, "batches.json");
        ModelFile.Save(net, path, history: history);
        Assert.Equal(4, history.StepsPerEpoch);                        // ⌈60 / 16⌉
        Assert.Equal(4, ModelFile.Read(path).History!.StepsPerEpoch);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["history"]!["stepsPerEpoch"] = 0;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("history.stepsPerEpoch is 0", Assert.Throws<ModelFileException>(() => ModelFile.Read(path)).Message);
    }

    [Fact]
    public void A_diverged_network_is_refused_by_save_naming_the_weight_and_the_old_file_is_kept()
    {
        string path = Saved(out _, out _);
        string before = File.ReadAllText(path);
        var net = new Network([2, 2, 1]);
        net.Layers[2].b[0, 0] = double.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(net, path));
        Assert.StartsWith("The network cannot be saved: b2[0, 0] is Infinity, and a model file holds finite weights only (it could not be loaded again). " +
            "Its training diverged: re-create the network (or load the last good model) and train it with a smaller learning rate.", e.Message);
        Assert.Equal(before, File.ReadAllText(path));
        // A history's unknown learning rate (NaN) is not a weight: it is still saved and loaded.
        string rate = Path.Combine(_dir, "nan-rate.json");
        ModelFile.Save(new Network([2, 2, 1]), rate, history: new TrainingHistory(double.NaN));
        Assert.True(double.IsNaN(ModelFile.Read(rate).History!.LearningRate));
    }

    [Theory]
    [InlineData("1e400", "layer 1's W[2, 1] is 1e400, beyond the largest number a double holds (about 1.8e308), so it reads as Infinity; a weight must be a finite number")]
    [InlineData("-1e999", "layer 1's W[2, 1] is -1e999, beyond the largest number a double holds (about 1.8e308), so it reads as -Infinity; a weight must be a finite number")]
    [InlineData("\"NaN\"", "layer 1's W[2, 1] is NaN; a weight must be a finite number")]
    [InlineData("\"-Infinity\"", "layer 1's W[2, 1] is -Infinity; a weight must be a finite number")]
    public void A_non_finite_weight_in_a_file_is_refused_naming_the_entry(string written, string expected)
    {
        string path = Saved(out _, out _);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["layers"]![0]!["W"]![2]![1] = 12345.5;
        File.WriteAllText(path, root.ToJsonString().Replace("12345.5", written, StringComparison.Ordinal));
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        Assert.Equal($"{path}: {expected}, or every prediction is NaN. The model's training diverged, or the file was edited: " +
            "train the model again (with a smaller learning rate if it diverged) or restore the file.", e.Message);
        string bias = Edited(r => r["layers"]![1]!["b"]![3] = "Infinity");
        Assert.Contains("layer 2's b[3] is Infinity; a weight must be a finite number", Assert.Throws<ModelFileException>(() => ModelFile.Read(bias)).Message);
    }

    [Theory]
    [InlineData("validationEpochs", "\"1,11,21\"", "history's \"validationEpochs\" should be a list but is \"1,11,21\".")]
    [InlineData("validationEpochs", "null", "history's \"validationEpochs\" should be a list but is null.")]
    [InlineData("validationCosts", "{\"a\":1}", "history's \"validationCosts\" should be a list but is {\"a\":1}.")]
    [InlineData("stopped", "\"yes\"", "history.stopped should be true or false but is \"yes\".")]
    [InlineData("label", "7", "history.label should be text.")]
    public void A_history_part_that_is_not_what_it_should_be_is_refused_not_dropped(string key, string json, string expected)
    {
        string path = Saved(out _, out _, out var history);
        Assert.NotEmpty(history.ValidationEpochs);        // the saved history has validation figures to lose
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["history"]![key] = "@@";
        File.WriteAllText(path, root.ToJsonString().Replace("\"@@\"", json, StringComparison.Ordinal));
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        Assert.Equal($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void A_history_missing_part_of_its_validation_figures_or_not_an_object_is_refused()
    {
        string partial = Edited(r => r["history"]!.AsObject().Remove("validationAccuracies"));
        Assert.EndsWith(": the history has \"validationEpochs\" and \"validationCosts\" but not \"validationAccuracies\"; the validation figures go together (all three lists, or none).",
            Assert.Throws<ModelFileException>(() => ModelFile.Read(partial)).Message);
        string late = Edited(r => r["history"]!["validationEpochs"]![0] = 51);
        Assert.EndsWith(": history.validationEpochs[0] is 51, but the history has epochs 1 to 50; a validation figure belongs to one of them.",
            Assert.Throws<ModelFileException>(() => ModelFile.Read(late)).Message);
        string list = Edited(r => r["history"] = new JsonArray(1, 2));
        Assert.EndsWith(": history is not an object with \"costs\" and \"accuracies\".", Assert.Throws<ModelFileException>(() => ModelFile.Read(list)).Message);
        string none = Edited(r => r["history"] = null);
        Assert.Null(ModelFile.Read(none).History);   // null: no history, as when the key is left out
    }


    [Fact]
    public void Saving_replaces_an_existing_file_whole()
    {
        string path = Saved(out _, out var x);
        var other = new Network([2, 3, 1]);
        ModelFile.Save(other, path);
        Assert.Equal(other.PredictProbabilities(x).ToColumnMajorArray(), ModelFile.Read(path).Network.PredictProbabilities(x).ToColumnMajorArray());
        Assert.Single(Directory.GetFiles(_dir));
    }

    private string Edited(Action<JsonObject> edit)
    {
        string path = Saved(out _, out _);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    [Fact]
    public void A_truncated_file_is_refused_as_truncated()
    {
        string path = Saved(out _, out _);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        Assert.Contains("not complete, valid JSON", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void A_newer_format_is_refused_naming_both_versions()
    {
        string path = Edited(root => root["version"] = 7);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        Assert.Contains("format version 7", e.Message);
        Assert.Contains("up to 2", e.Message);
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_refused_naming_the_layer()
    {
        string rows = Edited(root => root["layers"]![1]!["W"]!.AsArray().RemoveAt(0));
        Assert.Contains("layer 2's W has 3 rows but the layer sizes say 4 units", Assert.Throws<ModelFileException>(() => ModelFile.Read(rows)).Message);
        string columns = Edited(root => root["layers"]![0]!["W"]![2]!.AsArray().Add(1.0));
        Assert.Contains("layer 1's W row 2 has 3 numbers but the layer below has 2 units", Assert.Throws<ModelFileException>(() => ModelFile.Read(columns)).Message);
        string sizes = Edited(root => root["layerSizes"]!.AsArray().Add(3));
        Assert.Contains("needs 4 layers, but has 3", Assert.Throws<ModelFileException>(() => ModelFile.Read(sizes)).Message);
    }

    [Fact]
    public void Other_damage_is_named_too()
    {
        Assert.Contains("not a NeuralNet model", Assert.Throws<ModelFileException>(() => ModelFile.Read(Edited(r => r.Remove("format")))).Message);
        Assert.Contains("Unknown activation \"swish\"", Assert.Throws<ModelFileException>(() => ModelFile.Read(Edited(r => r["layers"]![0]!["activation"] = "swish"))).Message);
        Assert.Contains("W[0, 1] should be a number", Assert.Throws<ModelFileException>(() => ModelFile.Read(Edited(r => r["layers"]![0]!["W"]![0]![1] = "x"))).Message);
        Assert.Contains("no model file", Assert.Throws<ModelFileException>(() => ModelFile.Read(Path.Combine(_dir, "missing.json"))).Message);
    }
}
