using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Misuse and bad numbers meet one clear error that names the cause — not a wrong number, not a wrong diagnosis.</summary>
public class DiagnosisTests
{
    [Fact]
    public void NaN_in_the_data_is_named_before_training_starts()
    {
        var (x, y) = TrainingTests.Moons(20, 0.2, seed: 1);
        x[1, 7] = double.NaN;
        var net = new Network([2, 3, 1]);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 3 }));
        Assert.Contains("X[1, 7] (feature 1, sample/column 7) is NaN, not a finite number", e.Message);
        Assert.DoesNotContain("learning rate", e.Message);

        (x, y) = TrainingTests.Moons(20, 0.2, seed: 1);
        y[0, 4] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 3 }));
        Assert.Contains("Y[0, 4] (label 0, sample/column 4) is NaN", e.Message);
    }

    [Fact]
    public void A_cost_that_is_not_finite_before_any_update_names_the_weights_or_the_inputs_not_the_learning_rate()
    {
        var (x, y) = TrainingTests.Moons(20, 0.2, seed: 1);
        var net = new Network([2, 3, 1], initialization: Initialization.He(seed: 1));
        net.Layers[2].W[0, 1] = double.NaN;
        var e = Assert.Throws<CostNotFiniteException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 3 }));
        Assert.Contains("before any update", e.Message);
        Assert.Contains("W2[0, 1] = NaN", e.Message);

        // Inputs of 1e6 saturate the sigmoid to exactly 0 or 1, where binary cross-entropy takes log(0).
        var huge = new Network([2, 3, 1], hidden: Activations.Identity, initialization: Initialization.Original(seed: 1, scale: 1));
        e = Assert.Throws<CostNotFiniteException>(() => new Trainer(huge).Train(x * 1e6, y, new TrainingOptions { Epochs = 3 }));
        Assert.Contains("before any update", e.Message);
        Assert.Contains("the largest |x| is", e.Message);
        Assert.DoesNotContain("try 0.", e.Message);
    }

    [Fact]
    public void A_cost_that_blows_up_during_training_is_put_down_to_the_learning_rate()
    {
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 2);
        var net = new Network([2, 16, 1], hidden: Activations.Identity, output: Activations.Identity, cost: Costs.MeanSquaredError,
            initialization: Initialization.He(seed: 2));
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 500, Optimizer = new Sgd(5) }));
        Assert.Contains("learning rate (5) is too high", e.Message);
        Assert.True(e.Iteration > 1);
    }

    [Fact]
    public void ReLU_keeps_NaN_wherever_it_sits_in_the_matrix()
    {
        // 1 × 11: vector lanes first, then a scalar tail — every position must give the same answer.
        var z = Matrix<double>.Build.Dense(1, 11, double.NaN);
        var a = Activations.ReLU.Forward(z);
        Assert.All(a.ToColumnMajorArray(), v => Assert.True(double.IsNaN(v)));
        Assert.True(double.IsNaN(Activations.ReLU.Value(double.NaN)));
        Assert.Equal(0.0, Activations.ReLU.Value(-2));
        // The backward slopes keep NaN too (as the ReLU kernels do), so a NaN cannot turn into a finite gradient.
        Assert.True(double.IsNaN(Activations.ReLU.Derivative(double.NaN, double.NaN)));
        Assert.True(double.IsNaN(Activations.LeakyReLU.Derivative(double.NaN, double.NaN)));
        double alpha = ((LeakyReLU)Activations.LeakyReLU).Alpha;
        Assert.Equal(alpha, Activations.LeakyReLU.Derivative(-2, -2 * alpha));
    }

    [Fact]
    public void A_NaN_sample_gets_no_class()
    {
        var net = new Network([2, 3, 1], initialization: Initialization.He(seed: 1));
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, double.NaN, 0 }, { 2, 0, 1 } });
        var e = Assert.Throws<ArgumentException>(() => net.PredictClasses(x));
        Assert.Contains("sample 1", e.Message);
    }

    [Theory]
    [InlineData("relu", "binary_cross_entropy")]
    [InlineData("tanh", "binary_cross_entropy")]
    [InlineData("identity", "binary_cross_entropy")]
    [InlineData("leaky_relu", "categorical_cross_entropy")]
    [InlineData("relu", "categorical_cross_entropy")]
    public void Cross_entropy_on_an_output_outside_0_1_is_refused_when_the_network_is_made(string output, string cost)
    {
        var e = Assert.Throws<ArgumentException>(() => new Network([2, 3, 2], output: Activations.FromName(output), cost: Costs.FromName(cost)));
        Assert.Contains("must lie in (0, 1)", e.Message);
        Assert.Contains(output, e.Message);
    }

    [Fact]
    public void Softmax_does_not_take_the_A_minus_Y_shortcut_for_labels_that_do_not_sum_to_one()
    {
        var rng = new NumPyRandom(3);
        var x = rng.Randn(3, 4);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 1, 0 }, { 0, 1, 1, 0 }, { 0, 0, 0, 1 } });   // column 2 sums to 2
        var net = new Network([3, 4, 3], output: Activations.Softmax, cost: Costs.CategoricalCrossEntropy, initialization: Initialization.He(seed: 1));
        foreach (Action run in new Action[]
        {
            () => GradientCheck.Run(net, x, y),
            () => net.Backward(net.Forward(x), y),
            () => Trainer.Objective(net, x, y),
            () => DeepNN.BackwardPass(DeepNN.ForwardPass(x, net.Parameters, Activations.Tanh, Activations.Softmax).AL, y,
                DeepNN.ForwardPass(x, net.Parameters, Activations.Tanh, Activations.Softmax), Costs.CategoricalCrossEntropy),
        })
            Assert.Contains("column 2 sums to 2", Assert.Throws<ArgumentException>(run).Message);
    }

    [Fact]
    public void Activation_and_cost_ids_are_what_files_store_whatever_the_display_names()
    {
        foreach (var id in new ActivationId[] { new(ActivationKind.Sigmoid), new(ActivationKind.ReLU), new(ActivationKind.LeakyReLU),
                     new(ActivationKind.LeakyReLU, 0.2), new(ActivationKind.Tanh), new(ActivationKind.Softmax), new(ActivationKind.Identity) })
        {
            Assert.Equal(id, ActivationId.Parse(id.ToString()));
            Assert.Equal(id, Activations.FromName(id.ToString()).Id);
        }
        Assert.Equal("leaky_relu(0.2)", new LeakyReLU(0.2).Id.ToString());
        Assert.Equal(new ActivationId(ActivationKind.Identity), ActivationId.Parse(" Linear "));
        Assert.Contains("not a number", Assert.Throws<ArgumentException>(() => ActivationId.Parse("leaky_relu(x)")).Message);
        foreach (var id in Enum.GetValues<CostId>())
            Assert.Equal(id, Costs.FromName(Costs.Key(id)).Id);

        // An activation written in a notebook has no id: usable, but a save says why it cannot be stored.
        var custom = new Network([2, 2, 1], hidden: new Square(), output: Activations.Sigmoid, cost: Costs.BinaryCrossEntropy);
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-{Guid.NewGuid():N}.json");
        var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(custom, path));
        Assert.Contains("layer 1's activation \"square\"", e.Message);
        Assert.False(File.Exists(path));
    }

    private sealed class Square : ElementwiseActivation
    {
        public override string Name => "square";
        public override string Formula => "z²";
        public override double Value(double z) => z * z;
        public override double Derivative(double z, double a) => 2 * z;
    }
}
