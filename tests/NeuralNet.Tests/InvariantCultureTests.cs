using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// What the library prints and says does not depend on the reader's culture: a German student sees 0.5, not 0,5,
/// and 2,005 parameters, not 2.005. Each check runs under de-DE, where the current culture would write the other form.
/// </summary>
public class InvariantCultureTests
{
    private static T UnderGerman<T>(Func<T> action)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            return action();
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    private static string Message(Action action) => UnderGerman(() => Record.Exception(action)!.Message);

    [Fact]
    public void Histories_and_progress_print_with_a_decimal_point()
    {
        var history = UnderGerman(() => new TrainingHistory(0.05));
        Assert.Equal("α = 0.05", history.Label);
        history.Add(0.5, 0.25);
        history.AddValidation(1, 0.75, 0.125);
        string text = UnderGerman(history.ToString);
        Assert.Contains("cost 0.5 → 0.5, accuracy 0.25 → 0.25", text);
        Assert.Contains("validation at epoch 1: cost 0.75, accuracy 0.125", text);
        var progress = new TrainingProgress(1, 10, 0.5, 0.25, 0.75, 0.125, history);
        Assert.Equal("iteration 1: loss 0.5, accuracy 0.25, validation loss 0.75, validation accuracy 0.125", UnderGerman(progress.ToString));
    }

    [Fact]
    public void Networks_layers_and_parameters_group_thousands_with_a_comma()
    {
        var net = new Network([1000, 2, 1]);
        Assert.StartsWith("Network [1000 → 2 → 1], cost binary_cross_entropy, 2,005 parameters", UnderGerman(net.ToString));
        Assert.EndsWith("2,002 parameters", UnderGerman(net.Layers[1].ToString));
        Assert.StartsWith("Parameters: 2 layers, 2,005 numbers", UnderGerman(net.Parameters.ToString));
    }

    [Fact]
    public void Initialisations_and_activations_describe_themselves_with_a_decimal_point()
    {
        Assert.Contains("W = randn·0.5", UnderGerman(() => Initialization.Original(scale: 0.5).ToString()));
        Assert.Contains("else 0.2·z", UnderGerman(() => new LeakyReLU(0.2).Formula));
    }

    [Fact]
    public void Messages_name_the_refused_number_with_a_decimal_point()
    {
        Assert.Contains("not -0.5.", Message(() => new Sgd(-0.5)));
        Assert.Contains("not -0.5;", Message(() => new Adam(epsilon: -0.5)));
        Assert.Contains("not 1.5;", Message(() => new LeakyReLU(1.5)));
        Assert.Contains("not -0.5.", Message(() => Initialization.Original(scale: -0.5)));
        Assert.Contains("LearningRate = 0.25 and Optimizer = gradient descent (α = 0.5)", Message(() => _ = new TrainingOptions { Optimizer = new Sgd(0.5), LearningRate = 0.25 }));
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 } });
        Assert.Contains("not -0.5;", Message(() => new Network([1, 1]).Train(x, y, new TrainingOptions { Regularization = new(L2: -0.5) })));
        Assert.Contains("not 1.5;", Message(() => new Network([1, 1]).Train(x, y, new TrainingOptions { Regularization = new(DropoutRate: 1.5) })));
        Assert.Contains("Y[0, 1] = 0.5.", Message(() => Costs.BinaryCrossEntropy.ValidateLabels(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0.5 } }))));
        Assert.Contains("Y[1, 0] = 1.5.", Message(() => Costs.CategoricalCrossEntropy.ValidateLabels(Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1.5 } }))));
        Assert.Contains("sums to 0.75:", Message(() => Costs.CategoricalCrossEntropy.ValidateLabels(Matrix<double>.Build.DenseOfArray(new double[,] { { 0.5 }, { 0.25 } }))));
    }

    [Fact]
    public void A_diverged_or_not_finite_cost_is_told_with_a_decimal_point()
    {
        // An identity output with mean squared error and far too large a step: the weights blow up to ∞ within a few steps.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 3, -2, 1.5 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 0.5 } });
        var net = new Network([1, 1], output: Activations.Identity, cost: Costs.MeanSquaredError);
        string diverged = Message(() => net.Train(x, y, new TrainingOptions { LearningRate = 12.5, Epochs = 1000 }));
        Assert.Contains("Usually the learning rate (12.5) is too high", diverged);
        Assert.Contains("try 1.25.", diverged);
        Assert.Matches(@"The cost became (NaN|Infinity) at iteration \d+ \(the previous cost was [0-9.E+]+\)", diverged);

        // A sigmoid output that reaches exactly 1 (z = 10·12.25) where the label is 0: log(0) at the first step.
        var big = Matrix<double>.Build.DenseOfArray(new double[,] { { 12.25 } });
        var zero = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 } });
        var saturated = new Network([1, 1], initialization: Initialization.Original(scale: 1));
        saturated.Layers[1].W[0, 0] = 10;
        string atStart = Message(() => saturated.Train(big, zero));
        Assert.Contains("The cost is Infinity at the first step", atStart);
        Assert.Contains("the largest |x| is 12.25", atStart);
    }
}
