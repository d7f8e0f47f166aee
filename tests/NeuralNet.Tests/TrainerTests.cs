using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>The Trainer: one step is the step functions, runs continue, and state belongs to the run, not to the options.</summary>
public class TrainerTests
{
    private static Network Net(uint seed = 4) => new([2, 6, 5, 1], initialization: Initialization.He(seed));

    private static double[] Weights(Network net) =>
        net.Layers.SelectMany(l => l.W.ToColumnMajorArray().Concat(l.b.ToColumnMajorArray())).ToArray();

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.8, 0.0)]
    [InlineData(0.0, 0.3)]
    [InlineData(0.8, 0.3)]
    public void The_first_mini_batch_step_is_the_objectives_gradient_on_the_shuffled_batch(double l2, double dropout)
    {
        // One loop: a training step's gradient is Trainer.Objective's (the gradient check's) on the same
        // samples, with L2 over all m samples and the same seeded dropout masks.
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 5);
        var regularization = new Regularization(l2, dropout, DropoutSeed: 9);
        var net = Net();
        var expected = Net();

        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1, BatchSize = 40, Optimizer = new Sgd(0.2), Regularization = regularization });
        var (_, grads) = Trainer.Objective(expected, x, y, regularization);
        DeepNN.UpdateParameters(expected.Parameters, grads, 0.2);
        Assert.Equal(Weights(expected), Weights(net));

    }

    [Fact]
    public void A_mini_batch_epoch_is_the_objectives_steps_on_the_shuffled_batches()
    {
        // Batches of 16, 16 and 8 of the order NumPy's shuffle gives; L2 counts all 40 samples in every step,
        // i.e. a batch of size s steps with the objective whose λ' satisfies λ'/s = λ/40.
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 5);
        var net = Net();
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1, BatchSize = 16, ShuffleSeed = 3, Optimizer = new Sgd(0.2), Regularization = new Regularization(L2: 0.8) });

        var expected = Net();
        var order = Enumerable.Range(0, 40).ToArray();
        new NumPyRandom(3).Shuffle(order);
        for (int start = 0; start < 40; start += 16)
        {
            var batch = order[start..Math.Min(start + 16, 40)];
            var (_, grads) = Trainer.Objective(expected, DataSplit.Columns(x, batch), DataSplit.Columns(y, batch), new Regularization(L2: 0.8 * batch.Length / 40));
            DeepNN.UpdateParameters(expected.Parameters, grads, 0.2);
        }
        var want = Weights(expected);
        var got = Weights(net);
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i], 14);
    }

    [Fact]
    public void Training_twice_continues_the_run()
    {
        // 10 epochs and 10 more = 20 epochs at once: the shuffle, the dropout masks and momentum go on.
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 6);
        var options = new TrainingOptions
        {
            Epochs = 10, BatchSize = 16, ShuffleSeed = 2, Optimizer = new Momentum(0.05),
            Regularization = new Regularization(L2: 0.1, DropoutRate: 0.2, DropoutSeed: 5),
        };
        var once = Net();
        var all = new Trainer(once).Train(x, y, options with { Epochs = 20 });
        var twice = Net();
        var run = new Trainer(twice);
        run.Train(x, y, options);
        var second = run.Train(x, y, options);
        Assert.Equal(Weights(once), Weights(twice));
        Assert.Equal(all.Costs.Skip(10), second.Costs);

        // The same with Adam through an explicit trainer (Adam's step count t goes on too).
        var adam = options with { Optimizer = new Adam(0.01) };
        var a = Net();
        new Trainer(a).Train(x, y, adam with { Epochs = 20 });
        var b = Net();
        var trainer = new Trainer(b);
        trainer.Train(x, y, adam);
        trainer.Train(x, y, adam);
        Assert.Equal(80, trainer.Steps);              // 4 batches of 60 samples × 20 epochs
        Assert.Equal(Weights(a), Weights(b));
    }

    [Fact]
    public void A_new_optimizer_or_seed_starts_its_part_afresh()
    {
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 6);
        var options = new TrainingOptions { Epochs = 5, BatchSize = 16, ShuffleSeed = 2, Optimizer = new Momentum(0.05) };
        var fresh = Net();
        new Trainer(fresh).Train(x, y, options);
        var net = Net();
        var netRun = new Trainer(net);
        netRun.Train(x, y, options);
        // Back to the start: same weights, but a new momentum object and seed mean a fresh run from here.
        for (int l = 1; l <= 3; l++)
        {
            fresh.Parameters.W[l].CopyTo(net.Parameters.W[l]);
            fresh.Parameters.b[l].CopyTo(net.Parameters.b[l]);
        }
        var again = Net();
        var againRun = new Trainer(again);
        againRun.Train(x, y, options);
        againRun.Train(x, y, options with { Optimizer = new Momentum(0.05), ShuffleSeed = 7 });
        netRun.Train(x, y, options with { Optimizer = new Momentum(0.05), ShuffleSeed = 7 });
        Assert.Equal(Weights(again), Weights(net));
        var restarted = Net();
        var restartedRun = new Trainer(restarted);
        restartedRun.Train(x, y, options);
        var continued = Net();
        var continuedRun = new Trainer(continued);
        continuedRun.Train(x, y, options);
        restartedRun.Train(x, y, options with { Optimizer = new Momentum(0.05) });
        continuedRun.Train(x, y, options);
        Assert.NotEqual(Weights(restarted), Weights(continued));   // momentum's velocity carried on only in the second
    }

    [Fact]
    public void A_fresh_network_trains_the_same_every_time_and_inherits_no_optimizer_state()
    {
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 1);
        var options = new TrainingOptions { Epochs = 20, BatchSize = 16, Optimizer = new Adam(0.01) };
        double[] Run()
        {
            var n = new Network([2, 4, 1], initialization: Initialization.He(seed: 3));
            new Trainer(n).Train(x, y, options);
            return n.Parameters.W[1].ToColumnMajorArray();
        }

        Assert.Equal(Run(), Run());                                     // re-running a notebook cell gives the same numbers
        var bigger = new Network([2, 9, 1], initialization: Initialization.He(seed: 3));
        var history = new Trainer(bigger).Train(x, y, options);         // and other shapes do not inherit stale moments
        Assert.Equal(20, history.Epochs);
    }

    [Fact]
    public void One_options_object_can_train_two_networks_at_once()
    {
        // The optimizer in the options holds no state: a second training started from inside the first's
        // progress callback (or on another thread) does not disturb it.
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 7);
        var shared = new TrainingOptions { Epochs = 8, BatchSize = 20, ShuffleSeed = 1, Optimizer = new Adam(0.01), ReportEvery = 2 };
        var alone = Net();
        new Trainer(alone).Train(x, y, shared);

        var outer = Net();
        var inner = Net(seed: 9);
        new Trainer(outer).Train(x, y, shared with { OnProgress = p => { if (p.Epoch == 3) new Trainer(inner).Train(x, y, shared); } });
        Assert.Equal(Weights(alone), Weights(outer));
        var innerAlone = Net(seed: 9);
        new Trainer(innerAlone).Train(x, y, shared);
        Assert.Equal(Weights(innerAlone), Weights(inner));

        var nets = new[] { Net(), Net() };
        Parallel.ForEach(nets, n => new Trainer(n).Train(x, y, shared));
        Assert.All(nets, n => Assert.Equal(Weights(alone), Weights(n)));
    }
}
