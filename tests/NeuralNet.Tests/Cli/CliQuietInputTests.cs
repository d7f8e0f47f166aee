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
}
