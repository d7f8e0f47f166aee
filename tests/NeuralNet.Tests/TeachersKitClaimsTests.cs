using System.Text.Json;
using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Autograd;
using NeuralNet.Data;
using NeuralNet.Exercises;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests;

/// <summary>
/// The teacher's kit (notebooks/teachers-kit.md) and the runs it reports: the homework answers — a notebook's cell run
/// with one number changed — recomputed with the cell's own data, seeds and settings, as <see cref="WorkbookClaimsTests"/>
/// does for the notebooks' prose; the answers to the predict-then-run questions that no notebook's expectations pin;
/// and the kit itself: it names every mistake the exercise checks know, and every cell it points at is a heading of
/// its notebook. Each test names the kit's section; if one fails after a deliberate change, change the kit too.
/// </summary>
public class TeachersKitClaimsTests
{
    private static readonly string Root = Repository.Root;

    private static string Kit => File.ReadAllText(Path.Combine(Root, "notebooks", "teachers-kit.md"));

    private static readonly Matrix<double> XorX = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
    private static readonly Matrix<double> XorY = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });

    // ------------------------------------------------------------------ the kit itself

    [Fact]
    public void The_misconceptions_list_names_every_mistake_the_checks_know()
    {
        string kit = Kit;
        var missing = Mistakes.All.Where(m => !kit.Contains($"`{m.Name}`", StringComparison.Ordinal)).Select(m => m.Name).ToArray();
        Assert.True(missing.Length == 0, $"notebooks/teachers-kit.md, Misconceptions: no row for {string.Join(", ", missing.Select(n => $"`{n}`"))}");
    }

    [Fact]
    public void Every_cell_the_kit_points_at_is_a_heading_of_its_notebook()
    {
        var pointers = Regex.Matches(Kit, @"\b(0\da?) › \*([^*]+)\*")
            .Select(m => (Notebook: m.Groups[1].Value, Heading: Regex.Replace(m.Groups[2].Value, @"\s+", " "))).ToArray();   // a pointer may wrap
        Assert.True(pointers.Length > 100, $"only {pointers.Length} pointers of the form 03 › *Heading* found");
        var headings = new Dictionary<string, string[]>();
        var unknown = new List<string>();
        foreach (var (notebook, heading) in pointers)
        {
            if (!headings.TryGetValue(notebook, out var list))
            {
                string file = Assert.Single(Directory.GetFiles(Path.Combine(Root, "notebooks"), $"{notebook}-*.ipynb"));
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                list = json.RootElement.GetProperty("cells").EnumerateArray()
                    .Where(c => c.GetProperty("cell_type").GetString() == "markdown")
                    .SelectMany(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(s => s.GetString())).Split('\n'))
                    .Where(line => line.StartsWith('#')).Select(line => line.TrimStart('#').Trim()).ToArray();
                headings[notebook] = list;
            }
            if (!list.Any(h => h.StartsWith(heading, StringComparison.Ordinal))) unknown.Add($"{notebook} › *{heading}*");
        }
        Assert.True(unknown.Count == 0, $"notebooks/teachers-kit.md points at headings its notebooks do not have: {string.Join("; ", unknown.Distinct())}");
    }

    // ------------------------------------------------------------------ 0 · Start here, homework

    [Theory]
    [InlineData(new[] { 2, 8, 1 }, 1, 0.05, 0.690, 0.0425, new[] { 0, 1, 1, 0 })]   // learning rate 0.05: still all four right
    [InlineData(new[] { 2, 2, 1 }, 1, 0.5, 0.806, 0.3486, new[] { 0, 0, 1, 1 })]    // two hidden units, seed 1: stuck at 50 %
    [InlineData(new[] { 2, 2, 1 }, 2, 0.5, 0.753, 0.0044, new[] { 0, 1, 1, 0 })]    // two hidden units, seed 2: learns XOR
    public void Notebook0_homework_xor(int[] layers, uint seed, double rate, double firstCost, double lastCost, int[] predictions)
    {
        var net = new Network(layers, hidden: Activations.Tanh, initialization: Initialization.Xavier(seed: seed));
        var h = new Trainer(net).Train(XorX, XorY, new TrainingOptions { Optimizer = new Sgd(rate), Epochs = 1500, ReportEvery = 10 });
        Assert.Equal(firstCost, h.Costs[0], 3);
        Assert.Equal(lastCost, h.Costs[^1], 4);
        Assert.Equal(predictions, net.PredictClasses(XorX));
    }

    // ------------------------------------------------------------------ 1 · The forward pass, homework

    [Theory]
    [InlineData(1, 0.1, 6, 0.101259, 0.6915077913)]    // the original's scale: J just below log 2
    [InlineData(2, 1.0, 8, -0.473025, 1.0609985839)]   // seed 2: 11 of 12 entries switched off
    public void Notebook1_homework_scale_and_seed(uint seed, double scale, int negative, double z1At03, double cost)
    {
        var p = DeepNN.InitializeParameters([2, 3, 1], seed: seed, scale: scale);
        var Z1 = DeepNN.LinearForward(XorX, p.W[1], p.b[1]);
        Assert.Equal(z1At03, Z1[0, 3], 6);
        Assert.Equal(negative, Z1.Enumerate().Count(z => z < 0));
        Assert.Equal(3, Z1.Enumerate().Count(z => z == 0));
        Assert.Equal(cost, DeepNN.ComputeCost(DeepNN.ForwardPass(XorX, p).AL, XorY), 10);
    }

    // ------------------------------------------------------------------ 1a · The chain rule, homework

    [Theory]
    [InlineData(3.0, 1.0, 0.869892, 0.139387, -0.390325)]   // x = 3: a larger input, yet a smaller gradient (a − y shrank)
    [InlineData(1.5, 0.0, 0.668188, 1.103186, 1.002282)]    // y = 0: the gradient changes sign
    public void Notebook1a_homework_one_neuron(double xValue, double y, double a, double loss, double dLdw)
    {
        var x = new Scalar(xValue, "x");
        var w = new Scalar(0.8, "w");
        var b = new Scalar(-0.5, "b");
        var sigmoid = (w * x + b).Sigmoid("a");
        var l = Scalar.BinaryCrossEntropy(sigmoid, y, "ℓ");
        l.Backward();
        Assert.Equal(a, sigmoid.Value, 6);
        Assert.Equal(loss, l.Value, 6);
        Assert.Equal(dLdw, w.Grad, 6);
        Assert.Equal(dLdw, l.NumericalDerivative(w), 6);
    }

    // ------------------------------------------------------------------ 3 · Weight updates and training, homework and a question

    private static (Matrix<double> X, Matrix<double> Y) Moons(uint seed)
    {
        var moons = SyntheticData.Moons(samples: 200, noise: 0.2, seed: seed);
        return (moons.X, moons.BinaryRow());
    }

    [Fact]
    public void Notebook3_one_step_lowers_the_cost_from_0_718135_to_0_565584()
    {
        var (X, Y) = Moons(0);
        var net = new Network([2, 8, 8, 1], initialization: Initialization.He(seed: 1));
        var forward = net.Forward(X);
        Assert.Equal(0.718135, net.Cost.Compute(forward.AL, Y), 6);
        DeepNN.UpdateParameters(net.Parameters, net.Backward(forward, Y), learningRate: 0.5);
        Assert.Equal(0.565584, net.ComputeCost(X, Y), 6);
    }

    [Theory]
    [InlineData(1.0, 0.0564, 0.980, 148, 52)]
    [InlineData(2.0, 0.0391, 0.985, 215, 2)]      // the lowest cost of every rate tried, rising in 215 of 499 steps
    [InlineData(3.0, 0.0549, 0.980, 236, 2)]
    public void Notebook3_homework_more_learning_rates(double rate, double finalCost, double accuracy, int rises, int first)
    {
        var (X, Y) = Moons(0);
        var h = new Trainer(new Network([2, 8, 8, 1], initialization: Initialization.He(seed: 1))).Train(X, Y, new TrainingOptions { Optimizer = new Sgd(rate), Epochs = 500 });
        Assert.Equal(finalCost, h.Costs[^1], 4);
        Assert.Equal(accuracy, h.Accuracies[^1], 3);
        var up = Enumerable.Range(1, h.Epochs - 1).Where(i => h.Costs[i] > h.Costs[i - 1]).ToArray();
        Assert.Equal(rises, up.Length);
        Assert.Equal(first, up[0] + 1);
    }

    [Theory]
    [InlineData(new[] { 2, 16, 16, 1 }, 2000, 0.6808, 0.0321, 0.985, 0.965)]   // the notebook's run, for comparison
    [InlineData(new[] { 2, 3, 1 }, 2000, 0.6179, 0.0746, 0.980, 0.955)]        // three hidden units
    [InlineData(new[] { 2, 16, 16, 1 }, 200, 0.6808, 0.1007, 0.970, 0.965)]    // 200 iterations: the same accuracy on new points
    public void Notebook3_homework_the_live_network(int[] layers, int iterations, double firstCost, double lastCost, double trainingAccuracy, double freshAccuracy)
    {
        // YourNetwork.TrainLive's library run: He weights with seed 1, α = 0.5.
        var (X, Y) = Moons(0);
        var net = new Network(layers, initialization: Initialization.He(seed: 1));
        var h = new Trainer(net).Train(X, Y, new TrainingOptions { Optimizer = new Sgd(0.5), Epochs = iterations });
        Assert.Equal(firstCost, h.Costs[0], 4);
        Assert.Equal(lastCost, h.Costs[^1], 4);
        Assert.Equal(trainingAccuracy, h.Accuracies[^1], 3);
        var (freshX, freshY) = Moons(1);
        Assert.Equal(freshAccuracy, net.Accuracy(freshX, freshY), 3);
    }

    // ------------------------------------------------------------------ 5 · T-shirt or shirt, homework and a question

    private static (Matrix<double> X, Matrix<double> Y, Matrix<double> XTest, Matrix<double> YTest) Pair(int a, int b)
    {
        var (train, test) = FashionMnist.LoadSubset();
        var pair = train.OnlyClasses(a, b);
        var pairTest = test.OnlyClasses(a, b);
        return (pair.X, pair.BinaryRow(1), pairTest.X, pairTest.BinaryRow(1));
    }

    [Fact]
    public void Notebook5_the_average_pictures_of_the_other_pairs_differ_by_0_273_and_0_180()
    {
        var (train, _) = FashionMnist.LoadSubset();
        Vector<double> MeanImage(int c)
        {
            var members = train.OnlyClasses(c);
            return members.X.RowSums() / members.Count;
        }
        Assert.Equal(0.273, (MeanImage(1) - MeanImage(8)).L1Norm() / FashionMnist.Pixels, 3);
        Assert.Equal(0.180, (MeanImage(7) - MeanImage(9)).L1Norm() / FashionMnist.Pixels, 3);
    }

    [Theory]
    [InlineData(0, 6, new[] { 784, 3, 1 }, 0.6800, 0.3093, 351, 91)]     // a network of 2,359 parameters does as well
    [InlineData(1, 8, new[] { 784, 20, 10, 1 }, 0.6793, 0.0304, 398, 100)]   // trouser or bag: every test picture right
    public void Notebook5_homework(int a, int b, int[] layers, double firstCost, double lastCost, int trainingRight, int testRight)
    {
        var (X, Y, XTest, YTest) = Pair(a, b);
        var net = new Network(layers, initialization: Initialization.He(seed: 1));
        var h = new Trainer(net).Train(X, Y, new TrainingOptions { Optimizer = new Sgd(0.01), Epochs = 400, ReportEvery = 10, ValidationX = XTest, ValidationY = YTest });
        Assert.Equal(firstCost, h.Costs[0], 4);
        Assert.Equal(lastCost, h.Costs[^1], 4);
        Assert.Equal(trainingRight, (int)Math.Round(net.Accuracy(X, Y) * 400));
        Assert.Equal(testRight, (int)Math.Round(net.Accuracy(XTest, YTest) * 100));
        Assert.Equal(layers.Length == 3 ? 2359 : 15921, net.ParameterCount);
    }

    // ------------------------------------------------------------------ 4 · The original mirrored, homework

    [Fact]
    public void Notebook4_homework_at_alpha_0_02_the_corrected_run_has_no_spike()
    {
        var rng = new NumPyRandom(seed: 1);
        var X = rng.Choice([0.0, 255.0], 12288, 259);
        var y = rng.Choice([0.0, 1.0], 1, 259);
        var (XTrain, yTrain, XTest, yTest) = DataSplit.TrainTestSplit(X, y, 0.2, rng);
        XTrain /= 255.0;
        XTest /= 255.0;
        var net = new Network([12288, 10, 7, 1]);
        var h = new Trainer(net).Train(XTrain, yTrain, new TrainingOptions { Optimizer = new Sgd(0.02), Epochs = 1000 });
        int worst = Enumerable.Range(100, h.Epochs - 100).MaxBy(k => h.Costs[k]);
        Assert.Equal(101, worst + 1);                                          // "the highest cost after iteration 100 … at iteration 101"
        Assert.Equal(0.6630, h.Costs[worst], 4);
        double largestRise = Enumerable.Range(1, h.Epochs - 1).Max(k => h.Costs[k] - h.Costs[k - 1]);
        Assert.InRange(largestRise, 0, 0.01);                                  // "only small wiggles", where α = 0.05 jumped by 0.8
        Assert.Equal(0.6176750631, h.Costs[200], 10);
        Assert.Equal(0.07215686346, h.Costs[500], 11);
        Assert.Equal(0.006159397784, h.Costs[^1], 12);
        Assert.Equal(0.4038, net.Accuracy(XTest, yTest), 4);
    }

    // ------------------------------------------------------------------ 6 · Regularisation and optimisers, homework

    [Theory]
    [InlineData("sgd", 0.01, 8, 1000, 0.304, 0.900)]
    [InlineData("momentum", 0.01, 8, 1000, 0.213, 0.860)]
    [InlineData("momentum", 0.001, 8, 1000, 0.251, 0.910)]
    [InlineData("adam", 0.001, 8, 1000, 0.148, 0.880)]
    [InlineData("adam", 0.01, 32, 260, 0.155, 0.840)]     // Adam ten times faster: a lower cost, a lower test accuracy
    public void Notebook6_homework_the_race(string optimizer, double rate, int batchSize, int steps, double finalCost, double testAccuracy)
    {
        var (X, Y, XTest, YTest) = Pair(0, 6);
        Optimizer chosen = optimizer switch
        {
            "sgd" => new Sgd(rate),
            "momentum" => new Momentum(rate, beta: 0.9),
            _ => new Adam(rate),
        };
        var net = new Network([784, 20, 10, 1], initialization: Initialization.He(seed: 1));
        var h = new Trainer(net).Train(X, Y, new TrainingOptions { Optimizer = chosen, BatchSize = batchSize, Epochs = 20, ShuffleSeed = 1, ReportEvery = 1 });
        Assert.Equal(steps, 20 * h.StepsPerEpoch);
        Assert.Equal(finalCost, h.Costs[^1], 3);
        Assert.Equal(testAccuracy, net.Accuracy(XTest, YTest), 3);
    }

    // ------------------------------------------------------------------ 7 · Many classes, homework

    [Theory]
    [InlineData(64, 7, 50890, 0.394, 1749, 415)]    // stopped where the test cost levels off
    [InlineData(16, 20, 12730, 0.344, 1794, 412)]   // a quarter of the hidden units
    public void Notebook7_homework(int hidden, int epochs, int parameters, double trainingCost, int trainingRight, int testRight)
    {
        var (train, test) = FashionMnist.LoadSubset();
        var net = new Network([784, hidden, 10], output: Activations.Softmax, cost: Costs.CategoricalCrossEntropy, initialization: Initialization.He(seed: 1));
        var h = new Trainer(net).Train(train.X, train.OneHot(), new TrainingOptions
        {
            Optimizer = new Adam(0.002), BatchSize = 64, Epochs = epochs, ShuffleSeed = 1, ReportEvery = 1, ValidationX = test.X, ValidationY = test.OneHot(),
        });
        Assert.Equal(parameters, net.ParameterCount);
        Assert.Equal(trainingCost, h.Costs[^1], 3);
        Assert.Equal(trainingRight, (int)Math.Round(net.Accuracy(train.X, train.OneHot()) * 2000));
        Assert.Equal(testRight, (int)Math.Round(net.Accuracy(test.X, test.OneHot()) * 500));
        if (hidden == 16)
        {
            // "0.539 after epoch 7, lowest 0.454 after epoch 17, 0.466 after epoch 20"
            Assert.Equal(0.539, h.ValidationCosts[6], 3);
            int best = Enumerable.Range(0, h.ValidationCosts.Count).MinBy(k => h.ValidationCosts[k]);
            Assert.Equal(17, h.ValidationEpochs[best]);
            Assert.Equal(0.454, h.ValidationCosts[best], 3);
            Assert.Equal(0.466, h.ValidationCosts[^1], 3);
        }
    }

    // ------------------------------------------------------------------ 2 · Backpropagation, homework and a question the metadata does not pin

    [Theory]
    [InlineData(2, new[] { 0.0, 0.0, 0.0 }, 0.220)]     // seed 2, zero biases: b1 still fails at ReLU's corner
    [InlineData(2, new[] { 0.1, -0.2, 0.05 }, 0.0)]     // seed 2 with the notebook's biases: passes
    [InlineData(1, new[] { 0.1, 0.0, 0.0 }, 0.0464)]    // seed 1, only unit 0 biased: units 1 and 2 still on the corner
    public void Notebook2_homework_the_corner_is_not_the_seed(uint seed, double[] biases, double b1Error)
    {
        var p = DeepNN.InitializeParameters([2, 3, 1], seed: seed, scale: 1.0);
        for (int i = 0; i < 3; i++) p.b[1][i, 0] = biases[i];
        var report = GradientCheck.Run(new Network(p, [Activations.ReLU, Activations.Sigmoid], Costs.BinaryCrossEntropy), XorX, XorY);
        var b1 = report.Rows.Single(r => r.Layer == 1 && r.Parameter == "b");
        if (b1Error == 0)
        {
            Assert.True(report.Passed(1e-7), $"largest relative error {report.MaxRelativeError:E2}");
        }
        else
        {
            Assert.Equal(b1Error, b1.RelativeError, 3);
            Assert.Equal(GradientVerdict.Wrong, GradientCheckReport.Verdict(b1.RelativeError));
            Assert.True(report.Rows.Where(r => r != b1).All(r => r.RelativeError < 1e-7));
        }
    }


    [Fact]
    public void Notebook2_db2_is_the_average_of_dZ2()
    {
        var p = DeepNN.InitializeParameters([2, 3, 1], seed: 1, scale: 1.0);
        var forward = DeepNN.ForwardPass(XorX, p);
        var grads = DeepNN.BackwardPass(forward.AL, XorY, forward);
        Assert.Equal(0.202843, grads[2].db[0, 0], 6);
    }
}
