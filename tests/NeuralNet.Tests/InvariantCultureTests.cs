using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Autograd;
using NeuralNet.Data;
using NeuralNet.Exercises;
using NeuralNet.Numerics;
using NeuralNet.Tests.Data;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// What the library prints and says does not depend on the reader's culture: a German student sees 0.5, not 0,5,
/// and 2,005 parameters, not 2.005. Each check runs under de-DE, where the current culture would write the other form.
/// </summary>
public class InvariantCultureTests
{
    /// <summary>Runs <paramref name="action"/> with de-DE as the current culture and UI culture, restoring both afterwards.</summary>
    internal static T UnderGerman<T>(Func<T> action)
    {
        var (saved, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            return action();
        }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (saved, savedUi); }
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
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1 } });
        Assert.Contains("not -0.5;", Message(() => new Trainer(new Network([1, 1])).Train(x, y, new TrainingOptions { Regularization = new(L2: -0.5) })));
        Assert.Contains("not 1.5;", Message(() => new Trainer(new Network([1, 1])).Train(x, y, new TrainingOptions { Regularization = new(DropoutRate: 1.5) })));
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
        string diverged = Message(() => new Trainer(net).Train(x, y, new TrainingOptions { Optimizer = new Sgd(12.5), Epochs = 1000 }));
        Assert.Contains("Usually the learning rate (12.5) is too high", diverged);
        Assert.Contains("try 1.25.", diverged);
        Assert.Matches(@"The cost became (NaN|Infinity) at iteration \d+ \(the previous cost was [0-9.E+]+\)", diverged);

        // A sigmoid output that reaches exactly 1 (z = 10·12.25) where the label is 0: log(0) at the first step.
        var big = Matrix<double>.Build.DenseOfArray(new double[,] { { 12.25 } });
        var zero = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 } });
        var saturated = new Network([1, 1], initialization: Initialization.Original(scale: 1));
        saturated.Layers[1].W[0, 0] = 10;
        string atStart = Message(() => new Trainer(saturated).Train(big, zero));
        Assert.Contains("The cost is Infinity at the first step", atStart);
        Assert.Contains("the largest |x| is 12.25", atStart);
    }

    [Fact]
    public void The_memory_budget_refuses_sizes_with_thousands_grouped_by_a_comma()
    {
        Assert.Contains("W2 would be 65,537 × 65,536 = 4,295,032,832 numbers, more than one matrix can hold (2,147,483,647). Use smaller layers.",
            Message(() => new Network([2, 65536, 65537, 1])));
        Assert.Contains("Layer sizes [20000, 20000, 20000, 20000, 2] need 1,200,100,002 parameters = 8.9 GiB of memory",
            Message(() => new Network([20000, 20000, 20000, 20000, 2])));
        Assert.StartsWith("X would be 65,537 × 65,536 = 4,295,032,832 numbers, more than one matrix can hold (2,147,483,647).",
            Message(() => MemoryBudget.CheckMatrix(65537, 65536, "X")));
        Assert.StartsWith("X would be 50,000 × 20,000 numbers = 7.5 GiB of memory.", Message(() => MemoryBudget.CheckMatrix(50000, 20000, "X")));
    }

    [Fact]
    public void Files_whose_sizes_exceed_the_budget_are_refused_with_thousands_grouped_by_a_comma()
    {
        using var temp = new TempFolder();
        string model = temp.WriteText("overflow.json", """{"format":"neuralnet-model","version":1,"layerSizes":[2,65536,65537,1],"cost":"mse","layers":[]}""");
        string refused = Message(() => ModelFile.Read(model));
        Assert.StartsWith(model, refused);
        Assert.Contains("W2 would be 65,537 × 65,536 = 4,295,032,832 numbers, more than one matrix can hold (2,147,483,647)", refused);

        // 1,000,000 images of 28 × 28 bytes fit the IDX loader's 1 GiB, but not the 4 GiB budget as doubles (5.8 GiB).
        string images = temp.WriteBytes("huge-images-idx3-ubyte", TempFolder.Idx([1_000_000, 28, 28], []));
        Assert.Contains("the images as doubles (784 pixels × 1,000,000 images) would be 784 × 1,000,000 numbers = 5.8 GiB of memory.",
            Message(() => Idx.LoadImages(images)));
    }

    [Fact]
    public void Data_errors_write_counts_with_a_comma_and_values_with_a_decimal_point()
    {
        // One slip in three labels: 5000 would make 5,001 classes, 4,998 of them empty.
        string slip = Message(() => Csv.Parse("x,label\n0.5,0\n1.5,1\n2.5,5000\n"));
        Assert.Contains("the label 5000 would make 5,001 classes (0 to 5000), but only 3 different labels occur; 4,998 classes would have no sample", slip);
        string longField = Message(() => Csv.Parse("x,label\n" + new string('1', 10_001) + ",0\n"));
        Assert.Contains("this field is longer than 10,000 characters", longField);

        Assert.Contains("not -0.5.", Message(() => DataSplit.SplitIndices(4, -0.5, new NumPyRandom(0))));
        Assert.Contains("not -0.5.", Message(() => SyntheticData.Circles(10, noise: -0.5)));

        // A .csv.gz cut one byte short of its end: the whole text decompressed, then the end marker is missing.
        using var temp = new TempFolder();
        byte[] gz = TempFolder.Gzip(System.Text.Encoding.UTF8.GetBytes("x,label\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"0.5,{i % 2}\n"))));
        string cut = temp.WriteBytes("cut.csv.gz", gz[..^1]);
        Assert.Matches(@"it ends after \d{1,3}(,\d{3})+ decompressed bytes", Message(() => Csv.Load(cut)));
    }

    [Fact]
    public void Exercise_checks_and_scalars_write_decimals_with_a_point()
    {
        string update = UnderGerman(() => Check.UpdateParameters((p, g, alpha) =>
        {
            for (int l = 1; l <= p.LayerCount; l++) p.W[l].Add(alpha * g[l].dW, p.W[l]);
        }).ToString());
        Assert.Contains("α = 0.1.", update);
        string momentum = UnderGerman(() => Check.MomentumTraining(null, (W, dW, v, alpha, beta) =>
        {
            (beta * v + dW).CopyTo(v);
            (W + alpha * v).CopyTo(W);
        }, null).ToString());
        Assert.Contains("α = 0.03, β = 0.9.", momentum);
        string engine = UnderGerman(() => Check.ScalarEngine(v => ScalarEngineExerciseTests.ProductTwice.Make(v)).ToString());
        Assert.Contains("a = 1.5, b = -0.8", engine);
        Assert.Contains("yours is -1.6, the library's is -0.8", engine);
        Assert.Contains("1 × -0.8 = -0.8", engine);

        Assert.Contains("not -0.5.", Message(() => (new Scalar(1, "x") + new Scalar(2, "y")).NumericalLocalDerivative(0, -0.5)));
        Assert.Equal("x = 1.5, grad 0", UnderGerman(() => new Scalar(1.5, "x").ToString()));
    }
}
