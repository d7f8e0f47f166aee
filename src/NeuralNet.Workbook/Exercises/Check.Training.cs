using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;

namespace NeuralNet.Exercises;

public static partial class Check
{
    /// <summary>One training run to check: data, starting parameters, α and how many iterations.</summary>
    internal sealed record TrainingCase(string Name, Matrix<double> X, Matrix<double> Y, Parameters Start, double Alpha, int Iterations);

    /// <summary>
    /// Notebook 04: the student's training loop, built from their own functions, against the library's training
    /// (<see cref="Network.Train"/>: ReLU hidden layers, a sigmoid output, binary cross-entropy, full-batch gradient
    /// descent) — the cost of every iteration and the output layer's final weights, number for number. First on a
    /// small random network, then, when <paramref name="X"/> is given, on that data with parameters from
    /// <see cref="DeepNN.InitializeParameters"/>(<paramref name="layerDims"/>).
    /// </summary>
    /// <param name="yours">Trains <c>parameters</c> in place for <c>iterations</c> steps; returns the cost of each iteration's forward pass.</param>
    /// <param name="X">The real data (features × samples), or null for the small case only.</param>
    /// <param name="Y">Its labels (1 × samples).</param>
    /// <param name="layerDims">The layer sizes [n_0, …, n_L] of the real run.</param>
    /// <param name="learningRate">α of the real run.</param>
    /// <param name="iterations">How many iterations the real run compares.</param>
    public static ExerciseResult TrainingLoop(Func<Matrix<double>, Matrix<double>, Parameters, double, int, double[]>? yours,
        Matrix<double>? X = null, Matrix<double>? Y = null, IReadOnlyList<int>? layerDims = null, double learningRate = 0.05, int iterations = 20)
    {
        var cases = new List<TrainingCase> { SmallCase() };
        if (X is not null && Y is not null && layerDims is not null)
            cases.Add(new TrainingCase("the data given", X, Y, DeepNN.InitializeParameters(layerDims), learningRate, iterations));

        return Grader.Grade(new ExerciseSpec<TrainingCase>
        {
            Name = "TrainingLoop",
            Function = "Train",
            Task = "Write Train so that it repeats, for the given number of iterations: a forward pass with your functions (ReLU on the hidden layers, " +
                   "sigmoid on the output), the cost (kept in the array it returns), a backward pass, and an update of every layer's W and b.",
            Idea = "Training is four steps repeated: forward (keep each layer's A_prev and Z — the backward pass needs them), cost, backward from the output layer " +
                   "down to layer 1 (each layer's dA_prev is the dA of the layer below), and the update of every layer. Parameters are numbered 1 … L: parameters.W[l], parameters.b[l].",
            Equation = "for l = 1 … L: Z_l = W_l·A_{l−1} + b_l, A_l = g_l(Z_l) (A_0 = X);  J = cost(A_L, Y);  dZ_L = A_L − Y (sigmoid with cross-entropy), " +
                       "then for l = L … 1: (dW_l, db_l, dA_{l−1}) = LinearBackward(dZ_l, A_{l−1}, W_l) and dZ_{l−1} = dA_{l−1} ⊙ relu'(Z_{l−1});  " +
                       "finally W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l for every l = 1 … L.",
            Parts = ["costs", "W_L after training"],
            CaseCount = cases.Count,
            Case = k => cases[k] with { Start = cases[k].Start.Clone() },
            Describe = c => $"{c.Name}: X {Shape.Of(c.X)}, layers [{string.Join(", ", c.Start.LayerDims)}], α = {c.Alpha}, {c.Iterations} iterations",
            Library = c => LibraryRun(c, c.Iterations),
            Tolerance = 1e-7,
            Divides = true,
            Summary = e => $"The cost went from {e[0][0, 0]:F6} to {e[0][0, e[0].ColumnCount - 1]:F6}, yours and the library's, iteration by iteration.",
            Mistakes =
            [
                new(Mistakes.UpdateSkipsOutputLayer, "costs", c => LibraryRun(c, c.Iterations, frozen: c.Start.LayerCount)[0]),
                new(Mistakes.UpdateSkipsFirstLayer, "costs", c => LibraryRun(c, c.Iterations, frozen: 1)[0]),
                new(Mistakes.CostAfterUpdate, "costs", c => LibraryRun(c, c.Iterations + 1)[0].SubMatrix(0, 1, 1, c.Iterations)),
                new(Mistakes.WrongHiddenActivation, "costs", c => LibraryRun(c, c.Iterations, hidden: Activations.Sigmoid)[0]),
                new(Mistakes.UpdateSkipsOutputLayer, "W_L after training", c => c.Start.W[c.Start.LayerCount]),
            ],
        }, yours is null ? null : c =>
        {
            var costs = yours(c.X, c.Y, c.Start, c.Alpha, c.Iterations);
            return costs is null ? null : [Matrix<double>.Build.DenseOfRowArrays(costs), c.Start.W[c.Start.LayerCount]];
        });
    }

    /// <summary>A [3, 4, 2, 1] network with random, non-zero biases on 6 samples, 5 iterations at α = 0.5.</summary>
    private static TrainingCase SmallCase()
    {
        var rng = Cases.Random(11, 0);
        var start = DeepNN.InitializeParameters([3, 4, 2, 1], seed: 11, scale: 0.8);
        foreach (var (_, b) in start) b.SetSubMatrix(0, 0, Cases.Randn(rng, b.RowCount, 1, 0.5));
        return new TrainingCase("a small random network", Cases.Randn(rng, 3, 6), Cases.Labels(rng, 6), start, 0.5, 5);
    }

    /// <summary>The library's run from the case's start: the cost of every iteration (a 1 × n row) and W_L at the end.</summary>
    private static Matrix<double>[] LibraryRun(TrainingCase c, int iterations, int? frozen = null, Activation? hidden = null)
    {
        int L = c.Start.LayerCount;
        var activations = Enumerable.Range(1, L).Select(l => l < L ? hidden ?? Activations.ReLU : (Activation)Activations.Sigmoid).ToArray();
        var net = new Network(c.Start.Clone(), activations, Costs.BinaryCrossEntropy);
        var history = net.Train(c.X, c.Y, new TrainingOptions
        {
            LearningRate = c.Alpha, Epochs = iterations, ReportEvery = iterations,
            FrozenLayers = frozen is { } f ? [f] : [],
        });
        return [Matrix<double>.Build.DenseOfRowArrays(history.Costs.ToArray()), net.Layers[L].W];
    }
}
