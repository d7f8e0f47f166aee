using NeuralNet.Cli;

namespace NeuralNet.Tests.Cli;

/// <summary>The command line: help, and a clear one-line message with exit code 2 for every mistake, before any data is loaded.</summary>
public sealed class CliOptionTests
{
    private static CliRunner.Result Usage(params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.True(result.ExitCode == CliApp.ExitCodes.Usage, result.ToString());
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("   at ", result.Error);   // no stack trace
        return result;
    }

    [Fact]
    public void Top_level_help_lists_the_commands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Commands:", result.Output);
        foreach (var command in new[] { "train", "evaluate", "info" }) Assert.Contains($"  {command} ", result.Output);
        Assert.Equal(CliApp.ExitCodes.Usage, CliRunner.Run().ExitCode);   // no command: the overview, but not success
    }

    [Fact]
    public void Train_help_has_sections_defaults_and_the_fashion_example()
    {
        var result = CliRunner.Run("train", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var heading in new[] { "Usage:", "Data:", "Network:", "Training:", "Output:", "Notes:", "Examples:" })
            Assert.Contains(heading, result.Output);
        Assert.Contains("--learning-rate <α>", result.Output);
        Assert.Contains("[default: 30]", result.Output);
        Assert.Contains(TrainCommandExample, result.Output);   // on one line, not re-wrapped
        Assert.Contains("130", result.Output);                 // the Ctrl+C exit code is documented
        Assert.Equal(0, CliRunner.Run("help", "evaluate").ExitCode);
        Assert.Equal(0, CliRunner.Run("info", "-h").ExitCode);
    }

    private static string TrainCommandExample => NeuralNet.Cli.Commands.TrainCommand.FashionExample;

    [Fact]
    public void Unknown_command_and_option_suggest_the_right_one()
    {
        Assert.Contains("Did you mean 'train'?", Usage("trian").Error);
        var result = Usage("train", "--data", "moons", "--epoch", "5");
        Assert.Contains("Unknown option --epoch. Did you mean --epochs?", result.Error);
        Assert.Contains("neuralnet train --help", result.Error);
        Assert.Contains("Did you mean --learning-rate?", Usage("train", "--data", "moons", "--learning_rate", "0.1").Error);
        Assert.Contains("Long options take two dashes", Usage("train", "-data", "moons").Error);
    }

    [Theory]
    [InlineData("--epochs", "ten", "--epochs must be a whole number, not \"ten\"")]
    [InlineData("--epochs", "0", "--epochs must be between 1 and")]
    [InlineData("--learning-rate", "-0.1", "--learning-rate must be greater than 0")]
    [InlineData("--learning-rate", "0,1", "with a dot for decimals")]
    [InlineData("--dropout", "1", "--dropout must be at least 0 and less than 1")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--optimizer", "rmsprop", "--optimizer must be one of sgd, momentum, adam, not \"rmsprop\"")]
    [InlineData("--test-fraction", "1.5", "--test-fraction must be greater than 0 and less than 1")]
    [InlineData("--hidden-layers", "128,x", "\"x\" in \"128,x\" is not one")]
    [InlineData("--hidden", "swish", "--hidden must be an activation")]
    [InlineData("--cost", "hinge", "--cost must be one of")]
    public void Bad_values_say_what_is_wrong(string option, string value, string expected)
    {
        Assert.Contains(expected, Usage("train", "--data", "moons", option, value).Error);
    }

    [Fact]
    public void Missing_values_and_repeats_are_reported()
    {
        Assert.Contains("--epochs needs a value: --epochs N (default 30)", Usage("train", "--data", "moons", "--epochs").Error);
        Assert.Contains("--epochs needs a value", Usage("train", "--epochs", "--data", "moons").Error);
        Assert.Contains("--seed is given twice", Usage("train", "--data", "moons", "--seed", "1", "--seed", "2").Error);
        Assert.Contains("Say what to learn from with --data", Usage("train").Error);
        Assert.Contains("Did you mean --data moons?", Usage("train", "moons").Error);
    }

    [Fact]
    public void Unknown_data_set_suggests_the_known_ones()
    {
        var error = Usage("train", "--data", "moon").Error;
        Assert.Contains("Did you mean moons?", error);
        Assert.Contains("fashion-mnist-subset", error);
    }

    [Fact]
    public void Layer_sizes_that_do_not_fit_the_data_say_what_fits()
    {
        // moons: 2 features, 2 classes.
        var first = Usage("train", "--data", "moons", "--layers", "3,8,1").Error;
        Assert.Contains("--layers starts with 3, but the data has 2 features per sample, so the first size must be 2: --layers 2,8,1", first);
        var last = Usage("train", "--data", "moons", "--layers", "2,8,3").Error;
        Assert.Contains("must have 1 (one sigmoid unit, the default for two classes) or 2 (softmax): --layers 2,8,1", last);
        var spirals = Usage("train", "--data", "spirals", "--layers", "2,8,1").Error;
        Assert.Contains("the data has 3 classes, so the output layer must have 3 (one unit per class): --layers 2,8,3", spirals);
        Assert.Contains("not both", Usage("train", "--data", "moons", "--layers", "2,8,1", "--hidden-layers", "8").Error);
    }

    [Fact]
    public void Output_and_cost_follow_the_class_count()
    {
        var two = NetworkPlan.Create(2, 2, null, [8], "relu", null, null);
        Assert.Equal([2, 8, 1], two.LayerSizes);
        Assert.Equal("sigmoid", two.Output.Name);
        Assert.Equal("binary_cross_entropy", two.Cost.Name);

        var ten = NetworkPlan.Create(784, 10, null, [128], "relu", null, null);
        Assert.Equal([784, 128, 10], ten.LayerSizes);
        Assert.Equal("softmax", ten.Output.Name);
        Assert.Equal("categorical_cross_entropy", ten.Cost.Name);

        var twoSoftmax = NetworkPlan.Create(2, 2, [2, 4, 2], null, "tanh", null, null);
        Assert.Equal("softmax", twoSoftmax.Output.Name);
        Assert.Equal("tanh", twoSoftmax.Hidden.Name);
        Assert.Equal([2, 64, 1], NetworkPlan.Create(2, 2, null, null, "relu", null, null).LayerSizes);
    }
}
