using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Tests.Reference;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Every forward and backward quantity of a tiny network against NumPy, and gradient checks for every pairing.</summary>
public class BackpropTests
{
    private static void Close(Matrix<double> expected, Matrix<double> actual, string what, double tolerance = 1e-12)
    {
        Assert.True(expected.RowCount == actual.RowCount && expected.ColumnCount == actual.ColumnCount,
            $"{what}: shape {Shape.Of(actual)}, NumPy {Shape.Of(expected)}");
        double scale = Math.Max(expected.Enumerate().Max(Math.Abs), 1e-300);
        for (int i = 0; i < expected.RowCount; i++)
            for (int j = 0; j < expected.ColumnCount; j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance * scale,
                    $"{what}[{i},{j}]: {actual[i, j]:R}, NumPy {expected[i, j]:R}");
    }

    [Fact]
    public void Tiny_network_matches_numpy_step_by_step()
    {
        var tiny = ReferenceData.Mirror.GetProperty("tiny");
        Matrix<double> M(string name) => ReferenceData.Mat(tiny.GetProperty(name));
        var parameters = new Parameters([M("W1"), M("W2")], [M("b1"), M("b2")]);
        var x = M("X");
        var y = M("Y");

        var z1 = DeepNN.LinearForward(x, parameters.W[1], parameters.b[1]);
        Close(M("Z1"), z1, "Z1 = W1·X + b1");
        var forward = DeepNN.ForwardPass(x, parameters);
        Close(M("A1"), forward.Caches[1].A, "A1 = relu(Z1)");
        Close(M("Z2"), forward.Caches[2].Z, "Z2");
        Close(M("A2"), forward.AL, "A2 = σ(Z2)");
        Assert.Equal(tiny.GetProperty("cost").GetDouble(), DeepNN.ComputeCost(forward.AL, y), 12);

        // The long way at the output: dA2 from the cost, then dZ2 = dA2 ⊙ σ'(Z2).
        var dA2 = Costs.BinaryCrossEntropy.Gradient(forward.AL, y);
        Close(M("dA2"), dA2, "dA2 = −(Y/A2 − (1−Y)/(1−A2))");
        var layer2 = DeepNN.LinearActivationBackward(dA2, forward.Caches[2]);
        Close(M("dZ2"), layer2.dZ, "dZ2 (long way)");
        Close(M("dW2"), layer2.dW, "dW2");
        Close(M("db2"), layer2.db, "db2");
        Close(M("dA1"), layer2.dA_prev!, "dA1 = W2ᵀ·dZ2");

        // The backward pass (shortcut dZ2 = A2 − Y) gives the same numbers.
        var grads = DeepNN.BackwardPass(forward.AL, y, forward);
        Close(M("dZ2"), grads[2].dZ, "dZ2 (A2 − Y)");
        Close(M("dZ1"), grads[1].dZ, "dZ1 = dA1 ⊙ relu'(Z1)");
        Close(M("dW1"), grads[1].dW, "dW1 = dZ1·Xᵀ/m");
        Close(M("db1"), grads[1].db, "db1");
        Assert.Null(grads[1].dA_prev);
    }

    [Fact]
    public void The_backward_pass_goes_the_long_way_when_cost_and_output_do_not_pair()
    {
        // A sigmoid the cost does not recognise as its partner: BackwardPass must start from dA2 = ∂loss/∂A2
        // and form dZ2 = dA2 ⊙ σ'(Z2) — NumPy's long-way numbers — and go on from there as usual.
        var tiny = ReferenceData.Mirror.GetProperty("tiny");
        Matrix<double> M(string name) => ReferenceData.Mat(tiny.GetProperty(name));
        var parameters = new Parameters([M("W1"), M("W2")], [M("b1"), M("b2")]);
        var forward = DeepNN.ForwardPass(M("X"), parameters, Activations.ReLU, new UnpairedSigmoid());
        var grads = DeepNN.BackwardPass(forward.AL, M("Y"), forward, Costs.BinaryCrossEntropy);
        Close(M("dA2"), grads[2].dA!, "dA2 (long way)");
        Close(M("dZ2"), grads[2].dZ, "dZ2 = dA2 ⊙ σ'(Z2)");
        Close(M("dW2"), grads[2].dW, "dW2");
        Close(M("dA1"), grads[2].dA_prev!, "dA1");
        Close(M("dW1"), grads[1].dW, "dW1");
        Close(M("db1"), grads[1].db, "db1");
        Assert.Same(grads[2].dA_prev, grads[1].dA);     // one matrix: what layer 2 sends down is what layer 1 receives

        // The paired sigmoid takes the shortcut (no dA at the output) to the same numbers.
        var paired = DeepNN.ForwardPass(M("X"), parameters);
        var shortcut = DeepNN.BackwardPass(paired.AL, M("Y"), paired);
        Assert.Null(shortcut[2].dA);
        Close(grads[1].dW, shortcut[1].dW, "dW1, long way vs shortcut");

        // And a network trains through the long way too: one step equals the step functions.
        var net = new Network(parameters.Clone(), [Activations.ReLU, new UnpairedSigmoid()], Costs.BinaryCrossEntropy);
        new Trainer(net).Train(M("X"), M("Y"), new TrainingOptions { Epochs = 1, Optimizer = new Sgd(0.1) });
        DeepNN.UpdateParameters(parameters, grads, 0.1);
        Assert.Equal(parameters.W[1].ToArray(), net.Parameters.W[1].ToArray());
        Assert.Equal(parameters.W[2].ToArray(), net.Parameters.W[2].ToArray());
    }

    private sealed class UnpairedSigmoid : ElementwiseActivation
    {
        public override string Name => "sigmoid (not paired with a cost)";
        public override string Formula => "σ(z)";
        public override double Value(double z) => Activations.Sigmoid.Value(z);
        public override double Derivative(double z, double a) => a * (1 - a);
    }

    [Fact]
    public void Update_changes_every_layer_including_the_output()
    {
        var tiny = ReferenceData.Mirror.GetProperty("tiny");
        Matrix<double> M(string name) => ReferenceData.Mat(tiny.GetProperty(name));
        var parameters = new Parameters([M("W1"), M("W2")], [M("b1"), M("b2")]);
        var forward = DeepNN.ForwardPass(M("X"), parameters);
        var grads = DeepNN.BackwardPass(forward.AL, M("Y"), forward);
        DeepNN.UpdateParameters(parameters, grads, 0.1);
        Close(M("W2") - 0.1 * M("dW2"), parameters.W[2], "W2 − α·dW2");
        Close(M("b2") - 0.1 * M("db2"), parameters.b[2], "b2 − α·db2");
        Close(M("W1") - 0.1 * M("dW1"), parameters.W[1], "W1 − α·dW1");
    }

    public static TheoryData<string, string, string, string> Pairings()
    {
        // Every output activation with every cost that is defined on its range: cross-entropies take
        // logarithms of the outputs, so they need outputs in (0, 1) (sigmoid, softmax); MSE and L1 work with any.
        var data = new TheoryData<string, string, string, string>();
        void Add(string hidden, string output, string cost)
        {
            foreach (var regularization in new[] { "none", "l2", "dropout" }) data.Add(hidden, output, cost, regularization);
        }
        var seen = new HashSet<(string, string, string)>();
        string[] hidden = ["relu", "leaky_relu", "tanh", "sigmoid", "identity"];
        int h = 0;
        foreach (var output in new[] { "sigmoid", "softmax", "relu", "leaky_relu", "tanh", "identity" })
            foreach (var cost in new[] { "binary_cross_entropy", "categorical_cross_entropy", "mse", "l1" })
            {
                bool logCost = cost.Contains("cross_entropy");
                if (logCost && output is not ("sigmoid" or "softmax")) continue;
                if (seen.Add((hidden[h % hidden.Length], output, cost))) Add(hidden[h % hidden.Length], output, cost);
                h++;
            }
        foreach (var hiddenActivation in hidden)
            if (seen.Add((hiddenActivation, "softmax", "categorical_cross_entropy")))
                Add(hiddenActivation, "softmax", "categorical_cross_entropy");
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Gradient_check_passes(string hidden, string output, string cost, string regularization)
    {
        var rng = new NumPyRandom(11);
        int m = 6, classes = 3;
        var x = rng.Randn(4, m);
        var y = Labels(cost, classes, m, rng);
        var net = new Network([4, 5, 3, classes], Activations.FromName(hidden), Activations.FromName(output),
            Costs.FromName(cost), Initialization.Xavier(seed: 5));
        // Non-zero biases, so db is checked at a general point too.
        foreach (var layer in net.Layers) layer.b.MapInplace(_ => 0.1 * rng.NextGaussian());

        // Through the public path: GradientCheck → Trainer.Objective → DeepNN's forward and backward loops,
        // the same loops a training step runs (L2 in the cost and in dW; dropout masks on both hidden layers).
        var r = regularization switch
        {
            "l2" => new Regularization(L2: 0.7),
            "dropout" => new Regularization(DropoutRate: 0.3, DropoutSeed: 2),
            _ => Regularization.None,
        };
        var report = GradientCheck.Run(net, x, y, regularization: r);
        Assert.True(report.Passed(1e-7), $"{hidden} hidden, {output} output, {cost}, {r}:\n{report}");
        Assert.All(net.Layers, layer => Assert.True(report.LayerRelativeError(layer.Index) < 1e-7));
    }

    private static Matrix<double> Labels(string cost, int classes, int m, NumPyRandom rng) => cost switch
    {
        "binary_cross_entropy" => rng.Choice([0.0, 1.0], classes, m),
        "categorical_cross_entropy" => OneHot(Enumerable.Range(0, m).Select(_ => (int)rng.RandInt(0, classes)).ToArray(), classes),
        _ => rng.Rand(classes, m),
    };

    private static Matrix<double> OneHot(int[] labels, int classes) =>
        Matrix<double>.Build.Dense(classes, labels.Length, (i, j) => labels[j] == i ? 1 : 0);

    [Fact]
    public void Gradient_check_catches_a_wrong_backward()
    {
        // The classic softmax mistake: treating it as element-wise, dZ = dA ⊙ a(1 − a).
        // Put that mistake in a softmax-like activation and the check must call it wrong.
        var rng = new NumPyRandom(3);
        var x = rng.Randn(3, 5);
        var y = OneHot([0, 1, 2, 1, 0], 3);
        var net = new Network([3, 4, 3], hidden: Activations.Tanh, output: new ElementwiseSoftmaxMistake(), cost: Costs.MeanSquaredError, initialization: Initialization.Xavier(1));
        var report = GradientCheck.Run(net, x, y);
        Assert.False(report.Passed(1e-7));
        Assert.Equal(GradientVerdict.Wrong, GradientCheckReport.Verdict(report.Rows.Single(r => r.Layer == 2 && r.Parameter == "W").RelativeError));
    }

    private sealed class ElementwiseSoftmaxMistake : Activation
    {
        public override string Name => "softmax (element-wise mistake)";
        public override string Formula => "dZ = dA ⊙ a(1 − a)";
        public override void Forward(Matrix<double> z, Matrix<double> a) => Activations.Softmax.Forward(z, a);
        public override void Backward(Matrix<double> dA, Matrix<double> z, Matrix<double> a, Matrix<double> dZ) =>
            dA.PointwiseMultiply(a.PointwiseMultiply(1 - a)).CopyTo(dZ);
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
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 5 });
        Assert.NotEqual(w1.ToArray(), net.Layers[1].W.ToArray());
        var e = Assert.Throws<ArgumentException>(() => Activations.Tanh.Forward(x, Matrix<double>.Build.Sparse(2, 20)));
        Assert.Contains("must be a dense matrix", e.Message);
    }

    [Fact]
    public void Softmax_columns_are_probabilities_even_for_huge_scores()
    {
        var z = Matrix<double>.Build.DenseOfArray(new double[,] { { 1000, -1000 }, { 1001, 0 }, { 999, 5 } });
        var a = Activations.Softmax.Forward(z);
        for (int j = 0; j < 2; j++) Assert.Equal(1.0, a.Column(j).Sum(), 12);
        Assert.True(a.Enumerate().All(double.IsFinite));
        Assert.True(a[1, 0] > a[0, 0] && a[0, 0] > a[2, 0]);
    }

    [Theory]
    [InlineData(800.0)]
    [InlineData(-800.0)]
    public void Sigmoid_is_finite_and_exact_for_large_inputs(double z)
    {
        double a = Activations.Sigmoid.Value(z);
        Assert.Equal(z > 0 ? 1.0 : 0.0, a, 15);
        Assert.True(double.IsFinite(a));
        Assert.Equal(1.0 / (1.0 + Math.Exp(-3.0)), Activations.Sigmoid.Value(3.0));
        Assert.Equal(1.0 - Activations.Sigmoid.Value(3.0), Activations.Sigmoid.Value(-3.0), 15);
    }

    [Fact]
    public void Binary_cross_entropy_is_safe_at_zero_and_one()
    {
        var al = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0, 0.0, 0.5 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0, 0.0, 1.0 } });
        double cost = Costs.BinaryCrossEntropy.Compute(al, y);
        Assert.Equal(Math.Log(2) / 3, cost, 15);
        Assert.True(Costs.BinaryCrossEntropy.Gradient(al, y).Enumerate().All(double.IsFinite));
        // A confident wrong answer costs infinity: honest, not clipped.
        var wrong = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.0 } });
        Assert.Equal(double.PositiveInfinity, Costs.BinaryCrossEntropy.Compute(wrong, Matrix<double>.Build.Dense(1, 1, 1.0)));
    }
}
