using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Tests.Reference;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// The original test notebook, step for step: same seeds, same data, same split, same initial weights,
/// and 1000 iterations of training compared with an independent NumPy implementation, iteration by iteration.
/// </summary>
public class MirrorTests
{
    private static readonly Lazy<Mirror> Data = new(Mirror.Build);

    /// <summary>test.ipynb's data: seed 1, X ∈ {0, 255}^(12288 × 259), y ∈ {0, 1}^(1 × 259), an 80/20 split, X / 255.</summary>
    private sealed record Mirror(Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest,
        int[] TrainIndices, int[] TestIndices, Matrix<double> X, Matrix<double> Y)
    {
        public static Mirror Build()
        {
            var rng = new NumPyRandom(1);
            var x = rng.Choice([0.0, 255.0], 12288, 259);
            var y = rng.Choice([0.0, 1.0], 1, 259);
            var (train, test) = DataSplit.SplitIndices(259, 0.2, rng);
            return new Mirror(DataSplit.Columns(x, train) / 255.0, DataSplit.Columns(y, train),
                DataSplit.Columns(x, test) / 255.0, DataSplit.Columns(y, test), train, test, x, y);
        }
    }

    [Fact]
    public void The_data_and_split_are_numpys()
    {
        var reference = ReferenceData.Mirror;
        var checks = reference.GetProperty("data_checks");
        Assert.Equal(ReferenceData.Mat(checks.GetProperty("y")).Row(0).ToArray(), Data.Value.Y.Row(0).ToArray());
        Assert.Equal(checks.GetProperty("X_count_255").GetInt32(), Data.Value.X.Enumerate().Count(v => v == 255));
        Assert.Equal(ReferenceData.Ints(reference.GetProperty("train_indices")), Data.Value.TrainIndices);
        Assert.Equal(ReferenceData.Ints(reference.GetProperty("test_indices")), Data.Value.TestIndices);
        Assert.Equal((12288, 207), (Data.Value.XTrain.RowCount, Data.Value.XTrain.ColumnCount));
        Assert.Equal((12288, 52), (Data.Value.XTest.RowCount, Data.Value.XTest.ColumnCount));
    }

    [Fact]
    public void Initialisation_gives_the_originals_first_weights()
    {
        var parameters = DeepNN.InitializeParameters([12288, 10, 7, 1]);
        Assert.Equal(0.17886285, parameters.W[1][0, 0], 8);
        Assert.Equal(0.04365099, parameters.W[1][0, 1], 8);
        Assert.Equal(0.00964975, parameters.W[1][0, 2], 8);
        var initial = ReferenceData.Mirror.GetProperty("initial");
        Assert.Equal(ReferenceData.Doubles(initial.GetProperty("W1_first_row_first3")), parameters.W[1].Row(0).SubVector(0, 3).ToArray());
        Assert.Equal(ReferenceData.Mat(initial.GetProperty("W2")).ToArray(), parameters.W[2].ToArray());
        Assert.Equal(ReferenceData.Mat(initial.GetProperty("W3")).ToArray(), parameters.W[3].ToArray());
        Assert.All(parameters.b, b => Assert.All(b.Enumerate(), v => Assert.Equal(0.0, v)));
    }

    [Fact]
    public void The_first_cost_is_the_originals()
    {
        var parameters = DeepNN.InitializeParameters([12288, 10, 7, 1]);
        var forward = DeepNN.ForwardPass(Data.Value.XTrain, parameters);
        double cost = DeepNN.ComputeCost(forward.AL, Data.Value.YTrain);
        Assert.True(Math.Abs(cost - 0.6837259954846229) < 1e-12, $"first cost {cost:R}, the original printed 0.6837259954846229");
    }

    [Theory]
    [InlineData("all_layers_updated")]
    [InlineData("output_layer_frozen")]
    public void A_thousand_iterations_match_numpy_iteration_by_iteration(string variant)
    {
        var reference = ReferenceData.Mirror.GetProperty("variants").GetProperty(variant);
        var net = new Network([12288, 10, 7, 1]);
        var history = new Trainer(net).Train(Data.Value.XTrain, Data.Value.YTrain, new TrainingOptions
        {
            Optimizer = new Sgd(0.05),
            Epochs = 1000,
            FrozenLayers = variant == "output_layer_frozen" ? [3] : [],
        });

        var costs = ReferenceData.Doubles(reference.GetProperty("costs"));
        var accuracies = ReferenceData.Doubles(reference.GetProperty("train_accuracies"));
        Assert.Equal(1000, history.Costs.Count);
        for (int i = 0; i < costs.Length; i++)
        {
            double relative = Math.Abs(history.Costs[i] - costs[i]) / Math.Abs(costs[i]);
            Assert.True(relative < 1e-9, $"{variant}, iteration {i + 1}: cost {history.Costs[i]:R}, NumPy {costs[i]:R} (relative difference {relative:E2})");
            Assert.True(accuracies[i] == history.Accuracies[i], $"{variant}, iteration {i + 1}: accuracy {history.Accuracies[i]}, NumPy {accuracies[i]}");
        }
        AssertClose(ReferenceData.Mat(reference.GetProperty("final_W3")), net.Parameters.W[3], 1e-8, "final W3");
        AssertClose(ReferenceData.Mat(reference.GetProperty("final_W2")), net.Parameters.W[2], 1e-8, "final W2");
        AssertClose(ReferenceData.Mat(reference.GetProperty("final_b1")), net.Parameters.b[1], 1e-8, "final b1");
        Assert.Equal(reference.GetProperty("final_test_accuracy").GetDouble(), net.Accuracy(Data.Value.XTest, Data.Value.YTest));
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance, string what)
    {
        var e = expected.Enumerate().ToArray();
        var a = actual.Enumerate().ToArray();
        Assert.Equal(e.Length, a.Length);
        double scale = e.Max(Math.Abs);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * scale, $"{what}[{i}]: {a[i]:R}, NumPy {e[i]:R}");
    }
}
