using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The issue's two workloads as whole training runs through the public API — exactly what a notebook
/// does — so they compare one to one with ../shared/bench/peers.py.
/// </summary>
internal static class TrainingWorkloads
{
    /// <summary>
    /// The original test notebook: dims [12288, 10, 7, 1], 207 samples (the same data, seeds and split),
    /// 1000 full-batch iterations at α = 0.05, every layer updated. One run = construct + train.
    /// </summary>
    public static Workload Mirror() => new("mirror-train",
        "whole training: [12288,10,7,1], 207 samples, 1000 full-batch iterations, α = 0.05",
        MirrorFlops(), () =>
        {
            var rng = new NumPyRandom(1);
            var x = rng.Choice([0.0, 255.0], 12288, 259);
            var y = rng.Choice([0.0, 1.0], 1, 259);
            var (xTrain, yTrain, _, _) = DataSplit.TrainTestSplit(x, y, 0.2, rng);
            xTrain /= 255.0;
            var options = new TrainingOptions { Optimizer = new Sgd(0.05), Epochs = Workloads.MirrorIterations };
            return () => new Trainer(new Network(Workloads.MirrorDims)).Train(xTrain, yTrain, options);
        }, new PeerLink("mirror", "f64", 1, "whole training run"))
    { WarmupRuns = 1 };

    /// <summary>
    /// One epoch of Fashion-MNIST's 60,000 training images: dims [784, 128, 64, 10], ReLU, softmax,
    /// batches of 64, SGD with momentum 0.9, α = 0.05, He initialisation — as peers.py. Uses the full data set
    /// when it is installed, else random pixels of the same shape (the work per epoch is the same).
    /// </summary>
    public static Workload FashionMnistEpoch()
    {
        bool full = Directory.Exists(FashionMnist.DebianDirectory) || Environment.GetEnvironmentVariable(FashionMnist.DirectoryVariable) is not null;
        return new Workload("fmnist-train",
            $"whole epoch: [784,128,64,10], batch 64, momentum 0.9, α = 0.05, 60000 {(full ? "Fashion-MNIST images" : "random images (Fashion-MNIST not installed)")}",
            FmnistFlops(), () =>
            {
                var (x, y) = full ? FullSet() : RandomSet();
                uint run = 0;
                return () =>
                {
                    var net = new Network(Workloads.FmnistDims, Activations.ReLU, Activations.Softmax, Costs.CategoricalCrossEntropy, Initialization.He(seed: 0));
                    new Trainer(net).Train(x, y, new TrainingOptions
                    {
                        Epochs = 1, BatchSize = Workloads.FmnistBatch, Optimizer = new Momentum(0.05, 0.9), ShuffleSeed = run++,
                    });
                };
            }, new PeerLink("fmnist", "f64", 1, "whole epoch"))
        { WarmupRuns = 1 };
    }

    private static (Matrix<double> X, Matrix<double> Y) FullSet()
    {
        var (train, _) = FashionMnist.LoadFull();
        return (train.X, train.OneHot());
    }

    private static (Matrix<double> X, Matrix<double> Y) RandomSet()
    {
        var rng = new NumPyRandom(0);
        var x = rng.Rand(784, Workloads.FmnistSamples);
        var labels = Enumerable.Range(0, Workloads.FmnistSamples).Select(_ => (int)rng.RandInt(0, 10)).ToArray();
        return (x, new LabeledData(x, labels).OneHot());
    }

    // Three products per layer and step (Z, dW, dA_prev but for layer 1), 2·m·n·k each.
    private static double StepFlops(int[] dims, int m)
    {
        double flops = 0;
        for (int l = 1; l < dims.Length; l++) flops += (l > 1 ? 3 : 2) * 2.0 * dims[l] * dims[l - 1] * m;
        return flops;
    }

    private static double MirrorFlops() => StepFlops(Workloads.MirrorDims, Workloads.MirrorSamples) * Workloads.MirrorIterations;

    private static double FmnistFlops() => StepFlops(Workloads.FmnistDims, Workloads.FmnistBatch) * Workloads.FmnistBatchesPerEpoch;
}
