using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Behaviours a code review found wrong once; each test fails on the old code.</summary>
public class ReviewRegressionTests
{
    [Fact]
    public void An_optimizer_starts_from_zero_on_every_train_call()
    {
        var (x, y) = TrainingTests.Moons(60, 0.2, seed: 1);
        var options = new TrainingOptions { Epochs = 20, BatchSize = 16, Optimizer = new Adam(0.01) };
        double[] Run() { var n = new Network([2, 4, 1], initialization: Initialization.He(seed: 3)); n.Train(x, y, options); return n.Parameters.W[1].ToColumnMajorArray(); }
        Assert.Equal(Run(), Run());                                     // re-running a notebook cell gives the same numbers
        var bigger = new Network([2, 9, 1], initialization: Initialization.He(seed: 3));
        bigger.Train(x, y, options);                                    // and other shapes do not inherit stale moments
        Assert.Equal(20, bigger.History!.Epochs);
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
        net.Train(x, y, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.1, Regularization = new Regularization(L2: 5) });
        double factor = (1 - 0.1 * 5.0 / m) * (1 - 0.1 * 5.0 / m);    // two steps: 32 samples, then 1
        for (int i = 0; i < before.RowCount; i++)
            for (int j = 0; j < before.ColumnCount; j++)
                Assert.Equal(before[i, j] * factor, net.Layers[1].W[i, j], 12);
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
        var history = net.Train(x, y, new TrainingOptions
        {
            Epochs = 50, BatchSize = 10, ReportEvery = 10, Optimizer = new CancelAtStep(0.1, 25, cancel),
            Cancellation = cancel.Token, OnProgress = p => reported.Add(p.Epoch),
        });
        Assert.True(history.Stopped);
        Assert.Equal(3, history.Epochs);          // 10 steps per epoch: stopped in epoch 3 after its 5th step
        Assert.Equal([1, 3], reported);           // the partial last epoch is reported, so charts end where training did
    }

    [Fact]
    public void Sparse_parameters_train_and_check_like_dense_ones()
    {
        var (x, y) = TrainingTests.Moons(20, 0.2, seed: 3);
        var dense = DeepNN.InitializeParameters([2, 3, 1], seed: 4, scale: 0.5);
        var sparse = new Parameters([Matrix<double>.Build.SparseOfMatrix(dense.W[1]), dense.W[2]], [dense.b[1], dense.b[2]]);
        var net = new Network(sparse, [Activations.Tanh, Activations.Sigmoid], Costs.BinaryCrossEntropy);
        Assert.True(GradientCheck.Run(net, x, y).Passed(1e-7));
        var w1 = net.Layers[1].W.Clone();
        net.Train(x, y, new TrainingOptions { Epochs = 5 });
        Assert.NotEqual(w1.ToArray(), net.Layers[1].W.ToArray());
        var e = Assert.Throws<ArgumentException>(() => Activations.Tanh.Forward(x, Matrix<double>.Build.Sparse(2, 20)));
        Assert.Contains("must be a dense matrix", e.Message);
    }

    [Fact]
    public void A_diverged_network_can_still_be_saved_and_loaded()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("neuralnet-nan-").FullName, "nan.json");
        var net = new Network([2, 2, 1]);
        net.Layers[1].W[0, 0] = double.NaN;
        net.Layers[2].b[0, 0] = double.PositiveInfinity;
        net.History = new TrainingHistory(double.NaN);
        net.Save(path);
        var loaded = Network.Load(path);
        Assert.True(double.IsNaN(loaded.Layers[1].W[0, 0]));
        Assert.Equal(double.PositiveInfinity, loaded.Layers[2].b[0, 0]);
        Assert.True(double.IsNaN(loaded.History!.LearningRate));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void A_misshapen_bias_is_named_in_the_layer_step_too()
    {
        var p = DeepNN.InitializeParameters([3, 4, 1]);
        var e = Assert.Throws<ShapeMismatchException>(() =>
            DeepNN.LinearActivationForward(Matrix<double>.Build.Dense(3, 5), p.W[1], Matrix<double>.Build.Dense(3, 1), Activations.ReLU));
        Assert.Contains("b must be (4 × 1)", e.Message);
        Assert.Throws<ArgumentNullException>(() => new Network([2, 2, 1]).Train(Matrix<double>.Build.Dense(2, 3), Matrix<double>.Build.Dense(1, 3),
            new TrainingOptions { FrozenLayers = null! }));
    }
}
