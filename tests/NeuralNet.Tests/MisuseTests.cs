using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Issue 22's misuse of the API: each used to "work" and give a wrong answer (or a .NET error far from the cause); now each says what happened.</summary>
public sealed class MisuseTests
{
    private static Network Net() => new([2, 6, 1], initialization: Initialization.He(seed: 4));

    [Fact]
    public void Freezing_every_layer_is_refused_instead_of_training_nothing()
    {
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 5);
        var net = Net();
        var e = Assert.Throws<ArgumentException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 5, Optimizer = new Sgd(0.1), FrozenLayers = [2, 1] }));
        Assert.StartsWith("FrozenLayers names every layer (1 … 2), so training would change nothing and report the same cost every epoch. " +
            "Leave at least one layer out of FrozenLayers (the original froze only the output layer, [L]).", e.Message);
        Assert.Equal(5, new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 5, Optimizer = new Sgd(0.1), FrozenLayers = [2] }).Epochs);   // one left: fine
    }

    [Fact]
    public async Task A_second_training_from_another_thread_is_refused_saying_so_and_the_first_finishes()
    {
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 5);
        var net = Net();
        var copy = net.Clone();
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // The first training stops in its first report, holding the network, until the test has tried a second one.
        var first = Task.Run(() => new Trainer(net).Train(x, y, new TrainingOptions
        {
            Epochs = 3, Optimizer = new Sgd(0.1), ReportEvery = 1,
            OnProgress = p =>
            {
                if (p.Epoch != 1) return;
                inside.Set();
                release.Wait();
            },
        }));
        try
        {
            Assert.True(inside.Wait(TimeSpan.FromSeconds(60)), "the first training never reached its first report");
            var e = Assert.Throws<InvalidOperationException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 3, Optimizer = new Sgd(0.1) }));
            Assert.Equal("This Network is already training on another thread; a second training at the same time would update the same weights in place " +
                "and corrupt both runs. Wait for the first Train call to return, or train a copy made before it started (network.Clone()).", e.Message);
            var p = Assert.Throws<InvalidOperationException>(() => net.PredictProbabilities(x));
            Assert.StartsWith("This Network is training on another thread, so its weights change while you predict with it: the result would mix old and new weights.", p.Message);
            Assert.StartsWith("This Network is training on another thread, so its weights change while you measure it",
                Assert.Throws<InvalidOperationException>(() => net.Accuracy(x, y)).Message);
            Assert.StartsWith("This Network is training on another thread, so its weights change while you save it",
                Assert.Throws<InvalidOperationException>(() => ModelFile.Save(net, Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.json"))).Message);
            Assert.StartsWith("This Network is training on another thread, so its weights change while you copy it",
                Assert.Throws<InvalidOperationException>(() => net.Clone()).Message);
            Assert.Equal(3, new Trainer(copy).Train(x, y, new TrainingOptions { Epochs = 3, Optimizer = new Sgd(0.1) }).Epochs);   // a copy made before may train meanwhile
        }
        finally
        {
            release.Set();
        }
        Assert.Equal(3, (await first).Epochs);
        Assert.Equal(2, new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 2, Optimizer = new Sgd(0.1) }).Epochs);   // free again
    }

    [Fact]
    public void Training_again_from_inside_its_own_progress_callback_is_refused()
    {
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 5);
        var net = Net();
        Exception? inner = null;
        double? seen = null;
        new Trainer(net).Train(x, y, new TrainingOptions
        {
            Epochs = 2, Optimizer = new Sgd(0.1), ReportEvery = 1,
            OnProgress = p =>
            {
                if (p.Epoch != 1) return;
                inner = Record.Exception(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1, Optimizer = new Sgd(0.1) }));
                seen = net.Accuracy(x, y);   // predicting on the training thread, between epochs, is fine
            },
        });
        Assert.IsType<InvalidOperationException>(inner);
        Assert.StartsWith("Train was called on this Network from inside its own training (from OnProgress, on the training thread)", inner!.Message);
        Assert.NotNull(seen);
    }

    [Theory]
    [InlineData(double.NaN, "X[1, 2] (feature 1 of sample 2) is NaN, not a finite number, so the output for sample 2 would be NaN or meaningless: no probability, no class.")]
    [InlineData(double.PositiveInfinity, "X[1, 2] (feature 1 of sample 2) is Infinity, not a finite number, so the output for sample 2 would be NaN or meaningless: no probability, no class.")]
    public void Predicting_on_an_X_with_NaN_or_infinity_is_refused_naming_the_sample(double value, string expected)
    {
        var x = Matrix<double>.Build.Dense(2, 4, (i, j) => 0.1 * (i + j));
        x[1, 2] = value;
        var e = Assert.Throws<ArgumentException>(() => Net().PredictProbabilities(x));
        Assert.StartsWith(expected, e.Message);
        Assert.StartsWith(expected, Assert.Throws<ArgumentException>(() => Net().Forward(x)).Message);
    }

    [Fact]
    public void Predicting_with_non_finite_weights_is_refused_naming_the_weight()
    {
        var net = Net();
        net.Layers[1].W[3, 0] = double.NaN;
        var x = Matrix<double>.Build.Dense(2, 4, (i, j) => 0.1 * (i + j + 1));
        var e = Assert.Throws<InvalidOperationException>(() => net.PredictProbabilities(x));
        Assert.Equal("The output AL[0, 0] (sample 0) is NaN, not a number a prediction can use. The network's W1[3, 0] is NaN: its training diverged. " +
            "Re-create the network (or load a good model) and train it with a smaller learning rate.", e.Message);
        var y = Matrix<double>.Build.Dense(1, 4);
        Assert.StartsWith("The output AL[0, 0] (sample 0) is NaN", Assert.Throws<InvalidOperationException>(() => net.Accuracy(x, y)).Message);
        Assert.Equal(e.Message, Assert.Throws<InvalidOperationException>(() => net.PredictClasses(x)).Message);
    }

    [Fact]
    public void Measuring_against_a_Y_with_NaN_is_refused()
    {
        var x = Matrix<double>.Build.Dense(2, 4, (i, j) => 0.1 * (i + j));
        var y = Matrix<double>.Build.Dense(1, 4);
        y[0, 3] = double.NaN;
        Assert.StartsWith("Y[0, 3] (label 0, sample/column 3) is NaN, not a finite number.", Assert.Throws<ArgumentException>(() => Net().Accuracy(x, y)).Message);
        Assert.StartsWith("Y[0, 3] (label 0, sample/column 3) is NaN", Assert.Throws<ArgumentException>(() => Net().ComputeCost(x, y)).Message);
    }
}

/// <summary>Issue 22: the gradient check checks its arguments once, then nudges in the same buffers.</summary>
public sealed class GradientCheckOnceTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void The_check_allocates_about_one_objective_not_one_per_nudge(double dropout)
    {
        var rng = new NumPyRandom(2);
        var x = rng.Randn(3, 64);
        var y = Matrix<double>.Build.Dense(1, 64, (_, j) => j % 2);
        var net = new Network([3, 16, 1], initialization: Initialization.He(seed: 1));
        var regularization = new Regularization(0.1, dropout, DropoutSeed: 4);
        Trainer.Objective(net, x, y, regularization);   // warm up (JIT, lazily made statics)
        GradientCheck.Run(net, x, y, regularization: regularization);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Trainer.Objective(net, x, y, regularization);
        long objective = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var report = GradientCheck.Run(net, x, y, regularization: regularization);
        long check = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(report.Passed(1e-6), report.ToString());
        // 81 parameters, 162 evaluations: with a fresh forward pass each, the check allocated about 60 objectives' worth.
        Assert.True(check < 4 * objective, $"the check allocated {check:N0} bytes, one objective {objective:N0}");
    }

    [Fact]
    public void A_check_on_an_X_with_NaN_is_refused_instead_of_reporting_a_wrong_gradient()
    {
        var x = new NumPyRandom(2).Randn(3, 8);
        x[2, 5] = double.NaN;
        var y = Matrix<double>.Build.Dense(1, 8, (_, j) => j % 2);
        var e = Assert.Throws<ArgumentException>(() => GradientCheck.Run(new Network([3, 4, 1]), x, y));
        Assert.StartsWith("X[2, 5] (feature 2, sample/column 5) is NaN, not a finite number.", e.Message);
    }
}
