using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>Bad input is refused with a message that says what is wrong and what to change.</summary>
public class ErrorTests
{
    private static Matrix<double> Zeros(int r, int c) => Matrix<double>.Build.Dense(r, c);

    [Fact]
    public void A_shape_mismatch_names_the_layer_and_both_shapes()
    {
        var net = new Network([3, 4, 1]);
        var e = Assert.Throws<ShapeMismatchException>(() => net.Forward(Zeros(5, 10)));
        Assert.Contains("Layer 1", e.Message);
        Assert.Contains("(4 × 3)", e.Message);
        Assert.Contains("(5 × 10)", e.Message);
    }

    [Fact]
    public void A_misshapen_bias_is_named_in_the_layer_step_too()
    {
        var p = DeepNN.InitializeParameters([3, 4, 1]);
        var e = Assert.Throws<ShapeMismatchException>(() =>
            DeepNN.LinearActivationForward(Matrix<double>.Build.Dense(3, 5), p.W[1], Matrix<double>.Build.Dense(3, 1), Activations.ReLU));
        Assert.Contains("b must be (4 × 1)", e.Message);
        Assert.Throws<ArgumentNullException>(() => new Trainer(new Network([2, 2, 1])).Train(Matrix<double>.Build.Dense(2, 3), Matrix<double>.Build.Dense(1, 3),
            new TrainingOptions { FrozenLayers = null! }));
    }

    [Fact]
    public void A_transposed_input_is_recognised()
    {
        var net = new Network([3, 4, 1]);
        var e = Assert.Throws<ShapeMismatchException>(() => net.Forward(Zeros(10, 3)));
        Assert.Contains("transposed", e.Message);
        var y = Assert.Throws<ShapeMismatchException>(() => new Trainer(net).Train(Zeros(3, 10), Zeros(10, 1)));
        Assert.Contains("must be (1 × 10)", y.Message);
        Assert.Contains("transposed", y.Message);
    }

    [Fact]
    public void The_step_functions_backward_name_the_layer_and_both_shapes()
    {
        var forward = DeepNN.ForwardPass(Zeros(3, 5), DeepNN.InitializeParameters([3, 4, 2]));
        var labels = Assert.Throws<ShapeMismatchException>(() => DeepNN.BackwardPass(forward.AL, Zeros(5, 2), forward));
        Assert.Contains("Layer 2 (output)", labels.Message);
        Assert.Contains("Y must be (2 × 5)", labels.Message);
        Assert.Contains("Y is (5 × 2)", labels.Message);
        Assert.Contains("transposed", labels.Message);
        foreach (var step in new Func<LayerGradients>[]
            { () => DeepNN.LinearActivationBackward(Zeros(4, 4), forward.Caches[1]), () => DeepNN.LinearBackward(Zeros(4, 4), forward.Caches[1]) })
        {
            var incoming = Assert.Throws<ShapeMismatchException>(step);
            Assert.Contains("Layer 1 backward", incoming.Message);
            Assert.Contains("(4 × 4)", incoming.Message);
            Assert.Contains("(4 × 5)", incoming.Message);
        }
    }

    [Fact]
    public void Parameters_that_do_not_chain_are_refused()
    {
        var parameters = DeepNN.InitializeParameters([3, 4, 2]);
        var e = Assert.Throws<ShapeMismatchException>(() => new Parameters([parameters.W[1], Zeros(2, 5)], [parameters.b[1], parameters.b[2]]));
        Assert.Contains("Layer 2", e.Message);
        Assert.Contains("(2 × 5)", e.Message);
        Assert.Contains("(4 × 3)", e.Message);
        var linear = Assert.Throws<ShapeMismatchException>(() => DeepNN.LinearForward(Zeros(7, 2), parameters.W[1], parameters.b[1]));
        Assert.Contains("(4 × 3)", linear.Message);
        Assert.Contains("(7 × 2)", linear.Message);
    }

    [Fact]
    public void A_misshapen_gradient_target_is_named_as_dAL_not_as_the_labels()
    {
        var al = Matrix<double>.Build.Dense(2, 3, 0.5);
        var y = Matrix<double>.Build.Dense(2, 3);
        var dAL = Assert.Throws<ShapeMismatchException>(() => Costs.MeanSquaredError.Gradient(al, y, Zeros(3, 2)));
        Assert.Contains("mse: the gradient dAL (3 × 2) must have AL's shape (2 × 3)", dAL.Message);
        Assert.DoesNotContain("labels", dAL.Message);
        var labels = Assert.Throws<ShapeMismatchException>(() => Costs.MeanSquaredError.Gradient(al, Zeros(3, 2), Zeros(2, 3)));
        Assert.Contains("mse: the predictions AL (2 × 3) and the labels Y (3 × 2) must have the same shape", labels.Message);
        Assert.Equal("dAL", Assert.Throws<ArgumentNullException>(() => Costs.MeanSquaredError.Gradient(al, y, null!)).ParamName);
    }

    [Fact]
    public void Labels_outside_zero_and_one_are_refused_for_binary_cross_entropy()
    {
        var net = new Network([2, 3, 1]);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 2 } });
        var e = Assert.Throws<ArgumentException>(() => new Trainer(net).Train(Zeros(2, 3), y));
        Assert.Contains("labels 0 or 1", e.Message);
        Assert.Contains("Y[0, 2] = 2", e.Message);
    }

    [Fact]
    public void Non_one_hot_labels_are_refused_for_categorical_cross_entropy()
    {
        var net = new Network([2, 3], Activations.ReLU, Activations.Softmax, Costs.CategoricalCrossEntropy);
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 1, 0 }, { 0, 0 } });
        var e = Assert.Throws<ArgumentException>(() => new Trainer(net).Train(Zeros(2, 2), y));
        Assert.Contains("column 0 sums to 2", e.Message);
    }

    [Theory]
    [InlineData(new int[0], "at least two numbers")]
    [InlineData(new[] { 5 }, "at least two numbers")]
    [InlineData(new[] { 5, 0, 1 }, "layer 1 (hidden) has size 0")]
    [InlineData(new[] { 5, 3, -2 }, "layer 2 (the output) has size -2")]
    public void Impossible_layer_sizes_are_refused(int[] sizes, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new Network(sizes));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_learning_rate_that_cannot_work_is_refused(double rate)
    {
        var net = new Network([2, 3, 1]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(net).Train(Zeros(2, 4), Zeros(1, 4), new TrainingOptions { Optimizer = new Sgd(rate) }));
        Assert.Contains("learning rate must be a positive number", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(rate));
    }

    [Fact]
    public void A_cost_that_blows_up_stops_training_naming_the_iteration_and_the_learning_rate()
    {
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3, 4 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 4, 6, 8 } });
        var net = new Network([1, 3, 1], Activations.Identity, Activations.Identity, Costs.MeanSquaredError, Initialization.Xavier(1));
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(net).Train(x, y, new TrainingOptions { Optimizer = new Sgd(5), Epochs = 500 }));
        Assert.Matches("at iteration [0-9]+", e.Message);
        Assert.Contains("learning rate (5) is too high", e.Message);
        Assert.Contains("try 0.5", e.Message);
        Assert.True(e.Iteration > 1);
        Assert.Equal(e.Iteration - 1, e.History.Epochs);
        Assert.False(double.IsFinite(e.Cost));
    }

    [Fact]
    public void Softmax_over_one_unit_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Network([3, 1], Activations.ReLU, Activations.Softmax, Costs.CategoricalCrossEntropy));
        Assert.Contains("always outputs 1", e.Message);
    }

    [Fact]
    public void Unknown_names_list_the_known_ones()
    {
        Assert.Contains("relu", Assert.Throws<ArgumentException>(() => Activations.FromName("relu6")).Message);
        Assert.Contains("mse", Assert.Throws<ArgumentException>(() => Costs.FromName("hinge")).Message);
        Assert.Contains("xavier", Assert.Throws<ArgumentException>(() => Initialization.FromName("lecun")).Message);
    }

    [Fact]
    public void Numbers_in_a_gradient_check_read_the_same_in_every_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");   // 0,5 and 1.234
            var net = new Network([2, 3, 1], Activations.Tanh, Activations.Sigmoid, Costs.BinaryCrossEntropy, Initialization.Xavier(1));
            var x = new NumPyRandom(1).Randn(2, 4);
            var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });
            string report = GradientCheck.Run(net, x, y, epsilon: 1.5e-6).ToString();
            Assert.StartsWith("Gradient check (ε = 1.5E-06): max relative error ", report);
            Assert.DoesNotMatch(@"\d,\d", report);
            Assert.Matches(@"\d\.\d{6}E[+-]\d{3}", report);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(net, x, y, epsilon: 2.5));
            Assert.Contains("not 2.5.", e.Message);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void Layer_numbers_start_at_one()
    {
        var parameters = DeepNN.InitializeParameters([2, 3, 1]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => parameters.W[0]);
        Assert.Contains("numbered 1 … 2", e.Message);
    }
}
