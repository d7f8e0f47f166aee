using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

public class RegularizationTests
{
    private static (Matrix<double> X, Matrix<double> Y, Network Net) Small(Activation hidden, string cost = "bce")
    {
        var rng = new NumPyRandom(21);
        var x = rng.Randn(4, 7);
        var y = cost == "bce" ? rng.Choice([0.0, 1.0], 1, 7) : rng.Rand(1, 7);
        var net = new Network([4, 6, 5, 1], hidden, cost == "bce" ? Activations.Sigmoid : Activations.Identity,
            cost == "bce" ? Costs.BinaryCrossEntropy : Costs.MeanSquaredError, Initialization.Xavier(seed: 8));
        foreach (var layer in net.Layers) layer.b.MapInplace(_ => 0.1 * rng.NextGaussian());
        return (x, y, net);
    }

    [Theory]
    [InlineData("relu", 0.7, 0.0)]
    [InlineData("tanh", 0.7, 0.0)]
    [InlineData("relu", 0.0, 0.3)]
    [InlineData("sigmoid", 0.0, 0.5)]
    [InlineData("tanh", 0.2, 0.3)]
    public void Gradient_check_passes_with_l2_and_dropout(string hidden, double l2, double dropout)
    {
        var (x, y, net) = Small(Activations.FromName(hidden));
        var regularization = new Regularization(l2, dropout, DropoutSeed: 4);
        var report = GradientCheck.Run(net, x, y, regularization: regularization);
        Assert.True(report.Passed(1e-7), $"{hidden}, {regularization}:\n{report}");
    }

    [Fact]
    public void L2_adds_its_penalty_to_the_cost()
    {
        var (x, y, net) = Small(Activations.ReLU);
        double plain = net.ComputeCost(x, y);
        double penalty = 0.5 / (2.0 * x.ColumnCount) * net.Layers.Sum(l => l.W.Enumerate().Sum(w => w * w));
        Assert.Equal(plain + penalty, Trainer.Objective(net, x, y, new Regularization(L2: 0.5)).Cost, 12);
        Assert.Equal(plain, net.ComputeCost(x, y), 12);
    }

    [Fact]
    public void L2_keeps_weights_smaller()
    {
        var (x, y, plain) = Small(Activations.Tanh);
        var decayed = plain.Clone();
        new Trainer(plain).Train(x, y, new TrainingOptions { Epochs = 300, Optimizer = new Sgd(0.1) });
        new Trainer(decayed).Train(x, y, new TrainingOptions { Epochs = 300, Optimizer = new Sgd(0.1), Regularization = new Regularization(L2: 2.0) });
        double Norm(Network n) => n.Layers.Sum(l => l.W.FrobeniusNorm());
        Assert.True(Norm(decayed) < 0.8 * Norm(plain), $"with L2 {Norm(decayed)}, without {Norm(plain)}");
    }

    [Fact]
    public void L2_decays_by_the_training_sets_size_whatever_the_last_batch()
    {
        // With X = 0 the data gives layer 1 no gradient, so only L2 moves W1: each step multiplies it by (1 − αλ/m).
        int m = 33;
        var x = Matrix<double>.Build.Dense(2, m);
        var y = Matrix<double>.Build.Dense(1, m);
        var net = new Network([2, 3, 1], initialization: Initialization.He(seed: 1));
        var before = net.Layers[1].W.Clone();
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1, BatchSize = 32, Optimizer = new Sgd(0.1), Regularization = new Regularization(L2: 5) });
        double factor = (1 - 0.1 * 5.0 / m) * (1 - 0.1 * 5.0 / m);    // two steps: 32 samples, then 1
        for (int i = 0; i < before.RowCount; i++)
            for (int j = 0; j < before.ColumnCount; j++)
                Assert.Equal(before[i, j] * factor, net.Layers[1].W[i, j], 12);
    }

    [Fact]
    public void Dropout_drops_about_p_of_the_hidden_units_and_never_touches_predictions()
    {
        var (x, y, net) = Small(Activations.Sigmoid);
        var before = net.PredictProbabilities(x);
        var (_, grads) = Trainer.Objective(net, x, y, new Regularization(DropoutRate: 0.5, DropoutSeed: 1));
        // A dropped unit passes no gradient: whole entries of dZ1 are zero where the mask was 0.
        double zeros = grads[1].dZ.Enumerate().Count(v => v == 0) / (double)(grads[1].dZ.RowCount * grads[1].dZ.ColumnCount);
        Assert.InRange(zeros, 0.3, 0.7);
        Assert.Equal(before.ToArray(), net.PredictProbabilities(x).ToArray());
    }

    [Theory]
    [InlineData(-0.1, 0.0, "L2 weight")]
    [InlineData(0.0, 1.0, "dropout rate")]
    [InlineData(0.0, -0.2, "dropout rate")]
    public void Impossible_settings_are_refused(double l2, double dropout, string expected)
    {
        var (x, y, net) = Small(Activations.ReLU);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(net).Train(x, y, new TrainingOptions { Regularization = new Regularization(l2, dropout) }));
        Assert.Contains(expected, e.Message);
    }
}
