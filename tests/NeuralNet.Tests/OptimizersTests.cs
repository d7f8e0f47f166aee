using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Optimizers by name, as activations and costs are found: each rule with its usual α unless one is given.</summary>
public class OptimizersTests
{
    [Fact]
    public void The_names_are_the_three_rules()
    {
        Assert.Equal(["sgd", "momentum", "adam"], Optimizers.Names);
    }

    [Theory]
    [InlineData("sgd", typeof(Sgd), 0.05)]
    [InlineData("SGD", typeof(Sgd), 0.05)]
    [InlineData("momentum", typeof(Momentum), 0.01)]
    [InlineData("Momentum", typeof(Momentum), 0.01)]
    [InlineData("adam", typeof(Adam), 0.001)]
    [InlineData(" ADAM ", typeof(Adam), 0.001)]
    public void Each_name_in_any_case_gives_its_rule_with_the_rules_usual_rate(string name, Type rule, double usual)
    {
        var optimizer = Optimizers.FromName(name);
        Assert.IsType(rule, optimizer);
        Assert.Equal(usual, optimizer.LearningRate);
    }

    [Fact]
    public void Every_listed_name_is_found_and_a_given_rate_is_used()
    {
        Assert.All(Optimizers.Names, name => Assert.Equal(0.3, Optimizers.FromName(name, 0.3).LearningRate));
        Assert.All(Optimizers.Names, name => Assert.Equal(0.3, Optimizers.FromName(name.ToUpperInvariant(), 0.3).LearningRate));
        // Momentum's β and Adam's β₁, β₂, ε keep their usual values.
        Assert.Equal(0.9, Assert.IsType<Momentum>(Optimizers.FromName("momentum", 0.2)).Beta);
        var adam = Assert.IsType<Adam>(Optimizers.FromName("adam", 0.2));
        Assert.Equal((0.9, 0.999, 1e-8), (adam.Beta1, adam.Beta2, adam.Epsilon));
    }

    [Fact]
    public void The_usual_rates_are_the_constructors_defaults_and_training_defaults_to_the_originals_gradient_descent()
    {
        Assert.Equal(new Sgd().LearningRate, Optimizers.FromName("sgd").LearningRate);
        Assert.Equal(new Momentum().LearningRate, Optimizers.FromName("momentum").LearningRate);
        Assert.Equal(new Adam().LearningRate, Optimizers.FromName("adam").LearningRate);
        // α lives in the optimizer: options without one train with gradient descent at the original's α = 0.05.
        var sgd = Assert.IsType<Sgd>(new TrainingOptions().Optimizer);
        Assert.Equal(0.05, sgd.LearningRate);
    }

    [Theory]
    [InlineData("rmsprop")]
    [InlineData("")]
    [InlineData("gradient descent")]
    public void An_unknown_name_is_refused_naming_the_known_ones(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Optimizers.FromName(name));
        Assert.Equal("name", e.ParamName);
        Assert.StartsWith($"Unknown optimizer \"{name}\". Known: sgd, momentum, adam.", e.Message);
        Assert.Throws<ArgumentNullException>(() => Optimizers.FromName(null!));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void A_rate_that_cannot_work_is_refused_as_the_constructors_refuse_it(string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.FromName(name, -0.5));
        Assert.StartsWith("The learning rate must be a positive number, not -0.5.", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.FromName(name, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.FromName(name, 0));
    }
}
