using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NeuralNet.Training;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- Train: the runs it is compared with, the library's and each classic mistake's (notebook 06)

    /// <summary>One training run to check: data, a network maker (a fresh copy of the same start each time), and the run's settings.</summary>
    internal sealed record MomentumCase(string Name, Matrix<double> X, Matrix<double> Y, Func<Network> Start,
        int Epochs, int BatchSize, double Alpha, double Beta, double Lambda, uint Seed)
    {
        public int m => X.ColumnCount;
        public int BatchesPerEpoch => (m + BatchSize - 1) / BatchSize;
        public int Steps => Epochs * BatchesPerEpoch;

        public string Describe() =>
            Invariant($"{Name}: a [{string.Join(", ", Start().LayerSizes)}] network on X {Shape.Of(X)}, batches of {BatchSize} ({BatchesPerEpoch} steps per epoch), ") +
            Invariant($"{Epochs} epochs, α = {Alpha}, β = {Beta}, λ = {Lambda}, seed {Seed}");
    }

    /// <summary>How a training loop is written: the library's way by default; each other setting is one classic mistake.</summary>
    internal sealed record Loop
    {
        public bool GeneratorEachEpoch { get; init; }
        public bool OrderEachEpoch { get; init; }
        public bool VelocityEachStep { get; init; }
        public bool VelocityEachEpoch { get; init; }
        /// <summary>Velocities looked up by shape: parameters of the same shape share one.</summary>
        public bool VelocityByShape { get; init; }
        /// <summary>The factor of W added to dW, from λ, m and the batch's size.</summary>
        public Func<double, int, int, double> L2Gradient { get; init; } = (lambda, m, size) => lambda / m;
        public bool L2Squared { get; init; }
        public bool L2OnBiases { get; init; }
        /// <summary>λ/m of the cost's penalty (λ/2m)·Σ‖W‖², from λ, m and the batch's size.</summary>
        public Func<double, int, int, double> L2Cost { get; init; } = (lambda, m, size) => lambda / m;
        public bool CostAfterUpdate { get; init; }
        public bool SkipBiases { get; init; }
        public int? SkipLayer { get; init; }
    }

    /// <summary>The classic mistakes of a training loop, each as the loop that makes it.</summary>
    private static readonly (Mistake Mistake, Loop Loop)[] LoopMistakes =
    [
        (Mistakes.GeneratorEveryEpoch, new Loop { GeneratorEachEpoch = true }),
        (Mistakes.GeneratorEveryEpoch, new Loop { GeneratorEachEpoch = true, OrderEachEpoch = true }),
        (Mistakes.OrderNotKept, new Loop { OrderEachEpoch = true }),
        (Mistakes.VelocityNotKept, new Loop { VelocityEachStep = true }),
        (Mistakes.VelocityResetEachEpoch, new Loop { VelocityEachEpoch = true }),
        (Mistakes.VelocityShared, new Loop { VelocityByShape = true }),
        (Mistakes.L2Missing, new Loop { L2Gradient = (_, _, _) => 0, L2Cost = (_, _, _) => 0 }),
        (Mistakes.L2Missing, new Loop { L2Gradient = (_, _, _) => 0 }),
        (Mistakes.L2Missing, new Loop { L2Cost = (_, _, _) => 0 }),
        (Mistakes.L2OverBatch, new Loop { L2Gradient = (lambda, _, size) => lambda / size, L2Cost = (lambda, _, size) => lambda / size }),
        (Mistakes.L2OverBatch, new Loop { L2Gradient = (lambda, _, size) => lambda / size }),
        (Mistakes.L2OnBiases, new Loop { L2OnBiases = true }),
        (Mistakes.KeptTheHalf, new Loop { L2Gradient = (lambda, m, _) => lambda / (2.0 * m) }),
        (Mistakes.MissingOneOverM, new Loop { L2Gradient = (lambda, _, _) => lambda }),
        (Mistakes.MissingOneOverM, new Loop { L2Gradient = (lambda, _, _) => lambda, L2Cost = (lambda, _, _) => lambda }),
        (Mistakes.SquaredNotDifferentiated, new Loop { L2Squared = true }),
        (Mistakes.CostAfterUpdate, new Loop { CostAfterUpdate = true }),
        (Mistakes.SomeParametersNotUpdated, new Loop { SkipBiases = true }),
        (Mistakes.UpdateSkipsFirstLayer, new Loop { SkipLayer = 1 }),
        (Mistakes.UpdateSkipsOutputLayer, new Loop { SkipLayer = -1 }),
    ];

    /// <summary>
    /// The library's run, step by step, from its public parts: <see cref="NumPyRandom.Shuffle{T}"/> of one order, each batch's
    /// <see cref="Trainer.Objective"/>, L2's (λ/m)·W added to dW and (λ/2m)·Σ‖W‖² to the cost, and <see cref="Momentum.Update"/> with
    /// one state per parameter — or, with a <paramref name="loop"/>, a classic mistake's run. Returns each step's cost and the network.
    /// </summary>
    internal static (double[] Costs, Network End) MomentumRun(MomentumCase c, Loop? loop = null)
    {
        loop ??= new Loop();
        var net = c.Start();
        int L = net.Layers.Count, m = c.m;
        var momentum = new Momentum(c.Alpha, c.Beta);
        var rng = new NumPyRandom(c.Seed);
        var order = Enumerable.Range(0, m).ToArray();
        // One state per parameter matrix, found by reference as the library's Trainer finds it (MathNet matrices compare by value,
        // so a matrix whose numbers change would not find its own state by equality) — or, for the mistake, one per shape.
        var velocities = new Dictionary<Matrix<double>, double[][]>(ReferenceEqualityComparer.Instance);
        var byShape = new Dictionary<(int, int), double[][]>();
        double[][] State(Matrix<double> p)
        {
            if (loop.VelocityByShape)
                return byShape.TryGetValue((p.RowCount, p.ColumnCount), out var shared) ? shared : byShape[(p.RowCount, p.ColumnCount)] = momentum.NewState(p.RowCount * p.ColumnCount);
            return velocities.TryGetValue(p, out var state) ? state : velocities[p] = momentum.NewState(p.RowCount * p.ColumnCount);
        }
        var costs = new List<double>();
        int step = 0;
        for (int epoch = 0; epoch < c.Epochs; epoch++)
        {
            if (loop.GeneratorEachEpoch) rng = new NumPyRandom(c.Seed);
            if (loop.OrderEachEpoch) order = Enumerable.Range(0, m).ToArray();
            if (loop.VelocityEachEpoch) (velocities, byShape) = (new(ReferenceEqualityComparer.Instance), []);
            rng.Shuffle(order);
            for (int start = 0; start < m; start += c.BatchSize)
            {
                var columns = order.Skip(start).Take(c.BatchSize).ToArray();
                var (xb, yb) = (Gather(c.X, columns), Gather(c.Y, columns));
                var (cost, grads) = Trainer.Objective(net, xb, yb);
                double penalty() => loop.L2Cost(c.Lambda, m, columns.Length) / 2.0 * SquaredWeights(net);
                if (!loop.CostAfterUpdate) costs.Add(cost + penalty());
                step++;
                if (loop.VelocityEachStep) (velocities, byShape) = (new(ReferenceEqualityComparer.Instance), []);
                for (int l = 1; l <= L; l++)
                {
                    if (l == loop.SkipLayer || (loop.SkipLayer == -1 && l == L)) continue;
                    var layer = net.Layers[l];
                    double factor = loop.L2Gradient(c.Lambda, m, columns.Length);
                    var dW = DenseMatrix.OfMatrix(grads[l].dW);
                    var db = DenseMatrix.OfMatrix(grads[l].db);
                    AddScaled(dW, loop.L2Squared ? layer.W.PointwiseMultiply(layer.W) : layer.W, factor);
                    if (loop.L2OnBiases) AddScaled(db, layer.b, factor);
                    foreach (var (p, g) in new[] { (layer.W, dW), (layer.b, db) })
                    {
                        if (loop.SkipBiases && ReferenceEquals(p, layer.b)) continue;
                        momentum.Update(Values(p), g.Values, State(p), step);
                    }
                }
                if (loop.CostAfterUpdate) costs.Add(cost + penalty());
            }
        }
        return (costs.ToArray(), net);
    }

    /// <summary>The library's own training of the case: <see cref="Trainer.Train"/> with <see cref="Momentum"/>, the batch size, seed and L2.</summary>
    internal static Network LibraryMomentumTraining(MomentumCase c)
    {
        var net = c.Start();
        new Trainer(net).Train(c.X, c.Y, new TrainingOptions
        {
            Optimizer = new Momentum(c.Alpha, c.Beta), BatchSize = c.BatchSize, Epochs = c.Epochs, ShuffleSeed = c.Seed,
            Regularization = new Regularization(L2: c.Lambda), ReportEvery = c.Epochs,
        });
        return net;
    }

    /// <summary>Σ_l ‖W_l‖², summed as the library sums it (layer by layer, each W column by column).</summary>
    private static double SquaredWeights(Network net)
    {
        double sum = 0;
        foreach (var layer in net.Layers)
            foreach (double w in Values(layer.W)) sum += w * w;
        return sum;
    }

    private static Matrix<double> Gather(Matrix<double> data, int[] columns) =>
        Matrix<double>.Build.Dense(data.RowCount, columns.Length, (i, j) => data[i, columns[j]]);

    private static double[] Values(Matrix<double> m) =>
        (m as DenseMatrix ?? throw new InvalidOperationException("The network's parameters are dense matrices.")).Values;

    /// <summary>target ← target + factor·source, entry by entry, as the library adds L2's term (dW += (λ/m)·W).</summary>
    private static void AddScaled(DenseMatrix target, Matrix<double> source, double factor)
    {
        if (factor == 0) return;
        var (t, s) = (target.Values, DenseMatrix.OfMatrix(source).Values);
        for (int i = 0; i < t.Length; i++) t[i] += factor * s[i];
    }

    /// <summary>Two small runs with random non-zero biases (the first has two biases of one shape), and the data given if any.</summary>
    internal static List<MomentumCase> MomentumCases(Matrix<double>? X = null, Matrix<double>? Y = null)
    {
        static Func<Network> Small(int[] sizes, uint seed)
        {
            return () =>
            {
                var rng = Cases.Random(22, (int)seed);
                var start = DeepNN.InitializeParameters(sizes, seed: seed, scale: 0.8);
                foreach (var (_, b) in start) b.SetSubMatrix(0, 0, Cases.Randn(rng, b.RowCount, 1, 0.5));
                var activations = Enumerable.Range(1, sizes.Length - 1).Select(l => l < sizes.Length - 1 ? Activations.ReLU : (Activation)Activations.Sigmoid).ToArray();
                return new Network(start, activations, Costs.BinaryCrossEntropy);
            };
        }
        var rngA = Cases.Random(23, 0);
        var rngB = Cases.Random(23, 1);
        var cases = new List<MomentumCase>
        {
            new("a small random network", Cases.Randn(rngA, 3, 11), Cases.Labels(rngA, 11), Small([3, 4, 4, 1], 5), 3, 4, 0.1, 0.9, 0.7, 5),
            new("another", Cases.Randn(rngB, 2, 9), Cases.Labels(rngB, 9), Small([2, 5, 3, 1], 9), 2, 2, 0.05, 0.8, 2.0, 9),
        };
        if (X is not null && Y is not null)
            cases.Add(new("the data given", X, Y, () => new Network([X.RowCount, 20, 10, Y.RowCount], initialization: Initialization.He(seed: 1)), 2, 32, 0.01, 0.9, 10, 1));
        return cases;
    }
}
