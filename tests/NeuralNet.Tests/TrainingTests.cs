using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Training that must actually learn, and the training loop's own behaviour.</summary>
public class TrainingTests
{
    private static (Matrix<double> X, Matrix<double> Y) Xor() =>
        (Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } }),
         Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } }));

    /// <summary>Two interleaved half circles with Gaussian noise, as sklearn's make_moons.</summary>
    internal static (Matrix<double> X, Matrix<double> Y) Moons(int count, double noise, uint seed)
    {
        var rng = new NumPyRandom(seed);
        var x = Matrix<double>.Build.Dense(2, count);
        var y = Matrix<double>.Build.Dense(1, count);
        for (int j = 0; j < count; j++)
        {
            bool lower = j % 2 == 1;
            double t = Math.PI * rng.NextDouble();
            x[0, j] = (lower ? 1 - Math.Cos(t) : Math.Cos(t)) + noise * rng.NextGaussian();
            x[1, j] = (lower ? 0.5 - Math.Sin(t) : Math.Sin(t)) + noise * rng.NextGaussian();
            y[0, j] = lower ? 1 : 0;
        }
        return (x, y);
    }

    [Fact]
    public void Learns_xor()
    {
        var (x, y) = Xor();
        var net = new Network([2, 4, 1], hidden: Activations.Tanh, initialization: Initialization.Xavier(seed: 1));
        var history = new Trainer(net).Train(x, y, new TrainingOptions { Optimizer = new Sgd(0.5), Epochs = 3000 });
        Assert.Equal(1.0, net.Accuracy(x, y));
        Assert.True(history.Costs[^1] < 0.05, $"final cost {history.Costs[^1]}");
        Assert.Equal([0, 1, 1, 0], net.PredictClasses(x));
    }

    [Fact]
    public void Learns_two_moons_with_mini_batches_and_momentum()
    {
        var (x, y) = Moons(400, 0.1, seed: 0);
        var (xTest, yTest) = Moons(200, 0.1, seed: 1);
        var net = new Network([2, 16, 16, 1], initialization: Initialization.He(seed: 2));
        var history = new Trainer(net).Train(x, y, new TrainingOptions
        {
            Epochs = 200,
            BatchSize = 32,
            Optimizer = new Momentum(0.05, 0.9),
            ValidationX = xTest,
            ValidationY = yTest,
            ReportEvery = 50,
        });
        Assert.True(net.Accuracy(xTest, yTest) > 0.97, $"test accuracy {net.Accuracy(xTest, yTest)}");
        Assert.Equal([1, 51, 101, 151, 200], history.ValidationEpochs);
        Assert.True(history.Costs[^1] < history.Costs[0] / 5);
    }

    [Fact]
    public void Adam_learns_a_three_class_spiral_with_softmax()
    {
        var rng = new NumPyRandom(4);
        int perClass = 60, classes = 3;
        var x = Matrix<double>.Build.Dense(2, perClass * classes);
        var y = Matrix<double>.Build.Dense(classes, perClass * classes);
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                int j = c * perClass + i;
                double r = (double)i / perClass, t = c * 4 + 4 * r + 0.2 * rng.NextGaussian();
                x[0, j] = r * Math.Sin(t);
                x[1, j] = r * Math.Cos(t);
                y[c, j] = 1;
            }
        var net = new Network([2, 32, classes], Activations.ReLU, Activations.Softmax, Costs.CategoricalCrossEntropy, Initialization.He(seed: 3));
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1500, Optimizer = new Adam(0.01) });
        Assert.True(net.Accuracy(x, y) > 0.9, $"training accuracy {net.Accuracy(x, y)}");
        Assert.All(net.PredictProbabilities(x).EnumerateColumns(), column => Assert.Equal(1.0, column.Sum(), 12));
    }

    [Fact]
    public void Training_records_the_accuracy_of_the_forward_pass_it_already_did()
    {
        var (x, y) = Moons(50, 0.2, seed: 5);
        var net = new Network([2, 5, 1], initialization: Initialization.He(seed: 1));
        var before = net.Clone();
        var history = new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1, Optimizer = new Sgd(0.1) });
        Assert.Equal(before.Accuracy(x, y), history.Accuracies[0]);
        Assert.Equal(before.ComputeCost(x, y), history.Costs[0], 15);
    }

    [Fact]
    public void One_training_step_is_the_step_functions_in_order()
    {
        var (x, y) = Moons(30, 0.2, seed: 6);
        var net = new Network([2, 4, 3, 1], initialization: Initialization.He(seed: 7));
        var parameters = net.Parameters.Clone();
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 1, Optimizer = new Sgd(0.3) });

        var forward = DeepNN.ForwardPass(x, parameters);
        var grads = DeepNN.BackwardPass(forward.AL, y, forward);
        DeepNN.UpdateParameters(parameters, grads, 0.3);
        for (int l = 1; l <= 3; l++)
        {
            Assert.Equal(parameters.W[l].ToArray(), net.Parameters.W[l].ToArray());
            Assert.Equal(parameters.b[l].ToArray(), net.Parameters.b[l].ToArray());
        }
    }

    [Fact]
    public void Frozen_layers_stay_as_they_were()
    {
        var (x, y) = Moons(40, 0.2, seed: 8);
        var net = new Network([2, 4, 1], initialization: Initialization.He(seed: 9));
        var w2 = net.Layers[2].W.Clone();
        var w1 = net.Layers[1].W.Clone();
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 20, FrozenLayers = [2] });
        Assert.Equal(w2.ToArray(), net.Layers[2].W.ToArray());
        Assert.NotEqual(w1.ToArray(), net.Layers[1].W.ToArray());
    }

    [Fact]
    public void Progress_is_reported_on_the_first_epoch_every_nth_after_it_and_the_last()
    {
        var (x, y) = Xor();
        var net = new Network([2, 3, 1]);
        var seen = new List<int>();
        var printed = new StringWriter();
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 250, ReportEvery = 100, OnProgress = p => seen.Add(p.Epoch), PrintCost = true, Output = printed });
        Assert.Equal([1, 101, 201, 250], seen);
        Assert.StartsWith("iteration 1: loss 0.69", printed.ToString());
    }

    [Fact]
    public void Cancelling_keeps_what_was_learned()
    {
        var (x, y) = Xor();
        var net = new Network([2, 3, 1]);
        using var cancel = new CancellationTokenSource();
        var history = new Trainer(net).Train(x, y, new TrainingOptions
        {
            Epochs = 1000,
            ReportEvery = 10,
            Cancellation = cancel.Token,
            OnProgress = p => { if (p.Epoch == 11) cancel.Cancel(); },
        });
        Assert.True(history.Stopped);
        Assert.Equal(11, history.Epochs);
    }

    private sealed class CancelAtStep(double rate, int step, CancellationTokenSource cancel) : Optimizer(rate)
    {
        public override string Name => "gradient descent that cancels";
        public override void Update(double[] p, double[] g, double[][] state, int t)
        {
            if (t == step) cancel.Cancel();
            for (int i = 0; i < p.Length; i++) p[i] -= LearningRate * g[i];
        }
    }

    [Fact]
    public void Cancelling_mid_epoch_stops_after_the_step_and_reports_the_partial_epoch()
    {
        var (x, y) = TrainingTests.Moons(100, 0.2, seed: 2);
        using var cancel = new CancellationTokenSource();
        var reported = new List<int>();
        var net = new Network([2, 4, 1], initialization: Initialization.He(seed: 1));
        var history = new Trainer(net).Train(x, y, new TrainingOptions
        {
            Epochs = 50, BatchSize = 10, ReportEvery = 10, Optimizer = new CancelAtStep(0.1, 25, cancel),
            Cancellation = cancel.Token, OnProgress = p => reported.Add(p.Epoch),
        });
        Assert.True(history.Stopped);
        Assert.Equal(3, history.Epochs);          // 10 steps per epoch: stopped in epoch 3 after its 5th step
        Assert.Equal([1, 3], reported);           // the partial last epoch is reported, so charts end where training did
    }

    [Fact]
    public void Momentum_and_adam_follow_their_formulas()
    {
        var momentum = new Momentum(0.1, 0.9);
        double[] theta = [1.0], g = [2.0];
        var velocity = momentum.NewState(1);
        momentum.Update(theta, g, velocity, 1);  // v = 2, θ = 1 − 0.2
        momentum.Update(theta, g, velocity, 2);  // v = 0.9·2 + 2 = 3.8, θ = 0.8 − 0.38
        Assert.Equal(0.42, theta[0], 15);

        var adam = new Adam(0.01);
        double[] p = [1.0, 1.0];
        adam.Update(p, [5.0, -0.001], adam.NewState(2), 1);        // the first Adam step moves each parameter by about α, whatever |g|
        Assert.Equal(0.99, p[0], 6);
        Assert.Equal(1.01, p[1], 4);
    }

    [Fact]
    public void The_training_loop_reuses_its_buffers()
    {
        // Only the history grows with the number of iterations: 200 more iterations may cost its two
        // lists' growth (a few KB), never a matrix per step (a single Z here is 8 × 300 doubles = 19 KB).
        var (x, y) = Moons(300, 0.2, seed: 12);
        long Allocated(int epochs, int? batch)
        {
            var trainer = new Trainer(new Network([2, 8, 8, 1], initialization: Initialization.He(seed: 1)));
            trainer.Train(x, y, new TrainingOptions { Epochs = 2, BatchSize = batch });   // workspaces made
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(x, y, new TrainingOptions { Epochs = epochs, BatchSize = batch, ReportEvery = 1000 });
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        foreach (int? batch in new int?[] { null, 64 })
        {
            long extra = Allocated(210, batch) - Allocated(10, batch);
            Assert.True(extra < 16_000, $"batch {batch?.ToString() ?? "full"}: 200 more iterations allocated {extra:N0} bytes");
        }
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var (x, y) = Moons(100, 0.2, seed: 10);
        double[] Run()
        {
            var net = new Network([2, 8, 1], initialization: Initialization.He(seed: 4));
            new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 30, BatchSize = 16, ShuffleSeed = 3, Optimizer = new Adam(0.01) });
            return net.Parameters.W[1].ToColumnMajorArray();
        }
        Assert.Equal(Run(), Run());
    }
}
