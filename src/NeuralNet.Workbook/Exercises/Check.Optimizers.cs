using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NeuralNet.Training;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- mini-batches, momentum and L2 (notebook 06)

    private const string MiniBatchesTask =
        "Write MiniBatches so that it shuffles order in place with rng (once) and returns the epoch's batches (X_batch, Y_batch): " +
        "batch k takes the samples order[k·|B|], …, order[k·|B| + |B| − 1], the last batch the samples that are left.";

    private const string MomentumStepTask =
        "Write MomentumStep so that it changes v and W in place: one momentum step of the parameter W with its gradient dW and its own velocity v.";

    private const string TrainTask =
        "Write Train so that it trains net with your MiniBatches and MomentumStep — one generator and one order for the whole run, one velocity per W and per b, " +
        "the gradients of each batch from Trainer.Objective plus L2's term — and returns the cost of every step (the batch's J plus L2's penalty).";

    private const string MiniBatchesIdea =
        "One generator and one order serve the whole run. At the start of every epoch the order is shuffled again — the order the last epoch left — " +
        "and cut into consecutive batches of |B| samples; the last batch holds what is left. Each batch takes the same columns of X and of Y.";

    private const string MiniBatchesEquation =
        "order ← shuffle(order) with rng (Fisher–Yates from the end, as np.random.shuffle), then batch k = columns order[k·|B|] … order[min((k+1)·|B|, m) − 1] of X and of Y, k = 0 … ⌈m/|B|⌉ − 1.";

    private const string MomentumIdea =
        "The velocity v is the run's memory for one parameter: a running sum of its gradients, each older one weighted by a further factor β. " +
        "Every step first updates v, then moves W along v — and leaves both changed, in their own matrices, for the next step.";

    private const string MomentumEquation = "v ← β·v + dW,  then  W ← W − α·v  (element by element; the same for b with db and its own velocity).";

    private const string TrainIdea =
        "One run: a generator made once from the seed, an order 0, 1, …, m − 1 made once, and for each parameter a velocity of zeros made once. " +
        "Every epoch: MiniBatches; every batch: the cost and gradients of that batch, L2 added, and one MomentumStep for every W and every b of every layer.";

    private const string TrainEquation =
        "per step: (J_B, grads) = Trainer.Objective(net, X_B, Y_B);  cost = J_B + (λ/2m)·Σ_l ‖W_l‖²;  dW_l ← dW_l + (λ/m)·W_l (m = all training samples; b has no L2 term);  " +
        "MomentumStep(W_l, dW_l, vW_l, α, β) and MomentumStep(b_l, db_l, vb_l, α, β) for l = 1 … L.";

    /// <summary>
    /// Notebook 06: the student's mini-batch training with momentum and L2, built from three functions and checked in that
    /// order — <paramref name="MiniBatches"/> (the batches of several epochs, against the library's shuffling), then
    /// <paramref name="MomentumStep"/> (one step, against <see cref="Momentum"/>), then <paramref name="Train"/> (a whole run,
    /// step by step against the library's, and its final weights against <see cref="Trainer"/>'s with the same seed). With
    /// <paramref name="X"/> and <paramref name="Y"/>, Train is also run on that data: a [n, 20, 10, 1] network from
    /// He(seed: 1), 2 epochs of batches of 32, α = 0.01, β = 0.9, λ = 10, seed 1.
    /// </summary>
    /// <param name="MiniBatches">Shuffles <c>order</c> in place with <c>rng</c> and returns the epoch's (X_batch, Y_batch).</param>
    /// <param name="MomentumStep">Changes W and v in place: v ← β·v + dW, W ← W − α·v.</param>
    /// <param name="Train">Trains the network in place; returns each step's cost.</param>
    /// <param name="X">Real data to run Train on as well (features × samples), or null.</param>
    /// <param name="Y">Its 0/1 labels.</param>
    public static ExerciseResult MomentumTraining(
        Func<Matrix<double>, Matrix<double>, int, NumPyRandom, int[], IEnumerable<(Matrix<double> X, Matrix<double> Y)>?>? MiniBatches,
        Action<Matrix<double>, Matrix<double>, Matrix<double>, double, double>? MomentumStep,
        Func<Network, Matrix<double>, Matrix<double>, int, int, double, double, double, uint, double[]?>? Train,
        Matrix<double>? X = null, Matrix<double>? Y = null)
    {
        return Construction.Grade("MomentumTraining",
            [("MiniBatches", () => GradeMiniBatches(MiniBatches)), ("MomentumStep", () => GradeMomentumStep(MomentumStep))],
            ("Train", () => GradeTrain(Train, X, Y)));
    }

    // ---------------------------------------------------------------- MiniBatches

    /// <summary>X (features × samples) and Y (2 × samples) with no two columns equal, cut into batches of |B| for some epochs.</summary>
    internal sealed record BatchCase(Matrix<double> X, Matrix<double> Y, int BatchSize, uint Seed, int Epochs)
    {
        public int m => X.ColumnCount;
        public string Describe() => Invariant($"X {Shape.Of(X)}, Y {Shape.Of(Y)}, batches of {BatchSize}, {Epochs} epochs with one rng = new NumPyRandom({Seed}) and one order");
    }

    private static readonly (int Features, int Samples, int BatchSize, uint Seed, int Epochs)[] BatchCases =
        [(3, 11, 4, 3, 3), (4, 7, 3, 11, 3), (2, 10, 5, 7, 2)];

    private static BatchCase MakeBatchCase(int k)
    {
        var (n, m, size, seed, epochs) = BatchCases[k];
        var rng = Cases.Random(20, k);
        return new BatchCase(Cases.Randn(rng, n, m), Cases.Randn(rng, 2, m), size, seed, epochs);
    }

    /// <summary>The library's sample order of every epoch: one generator and one order for the run, the order shuffled in place each epoch.</summary>
    internal static List<int[]> LibraryOrders(int m, uint seed, int epochs, bool orderEachEpoch = false)
    {
        var rng = new NumPyRandom(seed);
        var order = Enumerable.Range(0, m).ToArray();
        var orders = new List<int[]>();
        for (int e = 0; e < epochs; e++)
        {
            if (orderEachEpoch) order = Enumerable.Range(0, m).ToArray();
            rng.Shuffle(order);
            orders.Add(order.ToArray());
        }
        return orders;
    }

    private static ExerciseResult GradeMiniBatches(
        Func<Matrix<double>, Matrix<double>, int, NumPyRandom, int[], IEnumerable<(Matrix<double> X, Matrix<double> Y)>?>? yours)
    {
        ExerciseResult Result(Verdict verdict, string message, IReadOnlyList<string> details, Mistake? mistake = null) =>
            new("MiniBatches", verdict, message, details, mistake, MiniBatchesIdea, MiniBatchesEquation);
        if (yours is null) return Result(Verdict.NotAnswered, $"not answered yet. {MiniBatchesTask} Then run the check again.", []);
        var passed = new List<string>();
        for (int k = 0; k < BatchCases.Length; k++)
        {
            var c = MakeBatchCase(k);
            string where = Invariant($"Case {k + 1} of {BatchCases.Length}: {c.Describe()}.");
            var expected = LibraryOrders(c.m, c.Seed, c.Epochs);
            var rng = new NumPyRandom(c.Seed);
            var order = Enumerable.Range(0, c.m).ToArray();
            var mine = new List<List<int[]>>();
            bool orderUntouched = false;
            for (int e = 0; e < c.Epochs; e++)
            {
                var before = order.ToArray();
                List<(Matrix<double> X, Matrix<double> Y)>? got;
                try
                {
                    got = yours(c.X, c.Y, c.BatchSize, rng, order)?.ToList();
                }
                catch (Exception error) when (error is NotImplementedException || error.InnerException is NotImplementedException)
                {
                    return Result(Verdict.NotAnswered, $"not answered yet. {MiniBatchesTask} Then run the check again.", []);
                }
                catch (Exception error)
                {
                    var (explanation, mistake) = CodeErrors.Explain(error, [("X", c.X), ("Y", c.Y)]);
                    return Result(Verdict.Crashed, explanation, [where, Invariant($"Epoch {e + 1}.")], mistake);
                }
                if (got is null)
                    return k == 0 && e == 0
                        ? Result(Verdict.NotAnswered, $"not answered yet. {MiniBatchesTask} Then run the check again.", [])
                        : Result(Verdict.Wrong, Invariant($"your function returned null in epoch {e + 1}."), [where]);
                var fresh = MakeBatchCase(k);
                if (FirstChange([("X", c.X, fresh.X), ("Y", c.Y, fresh.Y)]) is { } changed)
                    return Result(Verdict.Mistake, $"looks like {Mistakes.ChangedItsInput.Name}: {changed} X and Y are the whole training set: the next epoch, the next step and the accuracy all read them again.",
                        [where], Mistakes.ChangedItsInput);
                if (e == 0 && order.SequenceEqual(before)) orderUntouched = true;
                var epoch = new List<int[]>();
                for (int b = 0; b < got.Count; b++)
                {
                    var (xb, yb) = got[b];
                    string batch = Invariant($"epoch {e + 1}, batch {b + 1}");
                    if (xb is null || yb is null)
                        return Result(Verdict.Wrong, $"in {batch}, {(xb is null ? "X_batch" : "Y_batch")} is null.", [where]);
                    if (BatchColumns(xb, c.X, "X", batch) is not { } xs) return Result(Verdict.Wrong, BatchProblem(xb, c.X, "X", batch), [where]);
                    if (BatchColumns(yb, c.Y, "Y", batch) is not { } ys) return Result(Verdict.Wrong, BatchProblem(yb, c.Y, "Y", batch), [where]);
                    if (!xs.SequenceEqual(ys))
                        return Result(Verdict.Mistake, $"looks like {Mistakes.ShuffledApart.Name}.",
                            [where, $"In {batch}, X_batch holds the samples {Indices(xs)} of X but Y_batch the samples {Indices(ys)} of Y: a sample's picture and its label must stay together."],
                            Mistakes.ShuffledApart);
                    epoch.Add(xs);
                }
                mine.Add(epoch);
            }
            if (DiagnoseBatches(c, expected, mine, orderUntouched) is { } wrong)
                return Result(wrong.Mistake is null ? Verdict.Wrong : Verdict.Mistake, wrong.Message, [where, .. wrong.Details], wrong.Mistake);
            passed.Add(Invariant($"{c.Describe()}: every batch of every epoch is the library's."));
        }
        return Result(Verdict.Correct, Invariant($"every batch matches the library's on all {BatchCases.Length} cases."), passed);
    }

    /// <summary>For each column of a batch, the sample (column of the data) it is; null when it is not one.</summary>
    private static int[]? BatchColumns(Matrix<double> batch, Matrix<double> data, string name, string where)
    {
        if (batch.RowCount != data.RowCount || batch.ColumnCount == 0) return null;
        var found = new int[batch.ColumnCount];
        for (int j = 0; j < batch.ColumnCount; j++)
        {
            found[j] = -1;
            for (int s = 0; s < data.ColumnCount && found[j] < 0; s++)
            {
                bool same = true;
                for (int i = 0; i < data.RowCount && same; i++) same = batch[i, j].Equals(data[i, s]);
                if (same) found[j] = s;
            }
            if (found[j] < 0) return null;
        }
        return found;
    }

    /// <summary>Why <see cref="BatchColumns"/> found no sample: the shape, or the column that is no column of the data.</summary>
    private static string BatchProblem(Matrix<double> batch, Matrix<double> data, string name, string where)
    {
        if (batch.ColumnCount == 0) return $"in {where}, {name}_batch has no columns: every batch holds at least one sample.";
        if (batch.RowCount != data.RowCount)
        {
            string swapped = batch.ColumnCount == data.RowCount
                ? " Its rows and columns look swapped: samples are the columns here, so a batch keeps every row (feature) and takes some columns."
                : "";
            return Invariant($"in {where}, {name}_batch is {Shape.Of(batch)}, but {name} has {data.RowCount} rows: a batch keeps all of {name}'s rows and takes some of its columns (samples).{swapped}");
        }
        for (int j = 0; j < batch.ColumnCount; j++)
            if (BatchColumns(batch.SubMatrix(0, batch.RowCount, j, 1), data, name, where) is null)
                return Invariant($"in {where}, column {j} of {name}_batch is none of {name}'s columns: a batch takes whole columns of {name}, unchanged (a column is one sample).");
        return $"in {where}, {name}_batch is not made of {name}'s columns.";
    }

    private sealed record Diagnosis(string Message, Mistake? Mistake, IReadOnlyList<string> Details);

    /// <summary>What is wrong with batches that are each made of real samples: sizes, coverage, then the order, by the library's.</summary>
    private static Diagnosis? DiagnoseBatches(BatchCase c, List<int[]> expected, List<List<int[]>> mine, bool orderUntouched)
    {
        int full = c.m / c.BatchSize, rest = c.m % c.BatchSize;
        var sizes = Enumerable.Repeat(c.BatchSize, full).Concat(rest > 0 ? [rest] : Array.Empty<int>()).ToArray();
        for (int e = 0; e < mine.Count; e++)
        {
            var got = mine[e];
            var flat = got.SelectMany(b => b).ToArray();
            var gotSizes = got.Select(b => b.Length).ToArray();
            string epoch = Invariant($"Epoch {e + 1}");
            if (rest > 0 && got.Count == full && gotSizes.All(s => s == c.BatchSize) && flat.Distinct().Count() == flat.Length)
                return new($"looks like {Mistakes.LastBatchDropped.Name}.", Mistakes.LastBatchDropped,
                    [Invariant($"{epoch} has {got.Count} batches of {c.BatchSize}: {flat.Length} of the {c.m} samples. The library's has {sizes.Length}, of {string.Join(", ", sizes)} samples.")]);
            if (!gotSizes.SequenceEqual(sizes))
                return new(Invariant($"the batches have the wrong sizes."), null,
                    [Invariant($"{epoch} has {got.Count} batches of {string.Join(", ", gotSizes)} samples; the library's has {sizes.Length}, of {string.Join(", ", sizes)}: batches of |B| = {c.BatchSize}, the last one with the {(rest > 0 ? rest : c.BatchSize)} samples left.")]);
            var twice = flat.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            if (twice.Length > 0)
            {
                var missing = Enumerable.Range(0, c.m).Except(flat).ToArray();
                return new(Invariant($"some samples are in two batches of one epoch, others in none."), null,
                    [Invariant($"{epoch}: sample {twice[0]} appears {flat.Count(s => s == twice[0])} times{(missing.Length > 0 ? $" and sample {missing[0]} not at all" : "")}. Every sample belongs to exactly one batch per epoch: do consecutive batches start where the last one ended?")]);
            }
        }
        int first = Enumerable.Range(0, mine.Count).FirstOrDefault(e => !mine[e].SelectMany(b => b).SequenceEqual(expected[e]), -1);
        if (first < 0) return null;
        var mineFlat = mine.Select(e => e.SelectMany(b => b).ToArray()).ToList();
        var identity = Enumerable.Range(0, c.m).ToArray();
        string Compare(int e) => Invariant($"Epoch {e + 1}: your batches hold the samples {Batches(mine[e])}; the library's {Batches(Cut(expected[e], c.BatchSize))}.");
        if (mineFlat[first].SequenceEqual(identity) || (first > 0 && mineFlat[first].SequenceEqual(expected[first - 1])))
            return new($"looks like {Mistakes.BatchesNotShuffled.Name}.", Mistakes.BatchesNotShuffled, [Compare(first)]);
        if (first > 0)
        {
            var fromScratch = LibraryOrders(c.m, c.Seed, c.Epochs, orderEachEpoch: true);
            if (Enumerable.Range(0, mine.Count).All(e => mineFlat[e].SequenceEqual(fromScratch[e])))
                return new($"looks like {Mistakes.OrderNotKept.Name}.", Mistakes.OrderNotKept,
                    [Invariant($"Epoch 1 is right, epoch {first + 1} is not: it shuffled 0, 1, …, {c.m - 1} again instead of epoch {first}'s order."),
                     .. orderUntouched ? [Invariant($"After your function returned, order was still 0, 1, …, {c.m - 1}: the order it shuffled was not the one it was given.")] : Array.Empty<string>(),
                     Compare(first)]);
        }
        bool sameEveryEpoch = mine.Count > 1 && mineFlat.All(o => o.SequenceEqual(mineFlat[0]));
        return new($"looks like {Mistakes.NotTheLibraryShuffle.Name}: every sample is in one batch, but not in the library's order.", Mistakes.NotTheLibraryShuffle,
            [Compare(first), .. sameEveryEpoch ? ["Every epoch has the same order: is a new generator made at every call?"] : Array.Empty<string>()]);
    }

    private static List<int[]> Cut(int[] order, int size) =>
        Enumerable.Range(0, (order.Length + size - 1) / size).Select(b => order.Skip(b * size).Take(size).ToArray()).ToList();

    private static string Indices(IEnumerable<int> samples) => "[" + string.Join(" ", samples.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Batches(IEnumerable<int[]> batches) => "[" + string.Join(" | ", batches.Select(b => string.Join(" ", b.Select(s => s.ToString(CultureInfo.InvariantCulture))))) + "]";

    /// <summary>The first input changed (by name) against its fresh copy, in words, or null.</summary>
    private static string? FirstChange(IEnumerable<(string Name, Matrix<double> Now, Matrix<double> Before)> inputs)
    {
        foreach (var (name, now, before) in inputs)
        {
            if (now.RowCount != before.RowCount || now.ColumnCount != before.ColumnCount) continue;
            for (int j = 0; j < before.ColumnCount; j++)
                for (int i = 0; i < before.RowCount; i++)
                    if (!now[i, j].Equals(before[i, j]))
                        return Invariant($"your function changed {name}, which it was given: entry [{i}, {j}] was {before[i, j]:G6} and is now {now[i, j]:G6}.");
        }
        return null;
    }

    // ---------------------------------------------------------------- MomentumStep

    /// <summary>One momentum step's inputs: the parameter, its gradient, its velocity from earlier steps (not zero), α and β.</summary>
    internal sealed record StepCase(Matrix<double> W, Matrix<double> dW, Matrix<double> v, double Alpha, double Beta);

    private static StepCase MakeStepCase(int k)
    {
        var rng = Cases.Random(21, k);
        var (rows, columns) = new[] { (3, 2), (2, 5), (4, 1) }[k];
        return new StepCase(Cases.Randn(rng, rows, columns), Cases.Randn(rng, rows, columns), Cases.Randn(rng, rows, columns, 0.5),
            new[] { 0.03, 0.05, 0.3 }[k], new[] { 0.9, 0.8, 0.95 }[k]);   // α never 1 − β: (1 − β)·dW and α·dW must differ
    }

    /// <summary>The library's step: <see cref="Momentum.Update"/> on copies; returns (v, W) after it.</summary>
    private static Matrix<double>[] LibraryMomentumStep(StepCase c)
    {
        var (w, v) = (DenseMatrix.OfMatrix(c.W), DenseMatrix.OfMatrix(c.v));
        new Momentum(c.Alpha, c.Beta).Update(w.Values, DenseMatrix.OfMatrix(c.dW).Values, [v.Values], step: 1);
        return [v, w];
    }

    private static ExerciseResult GradeMomentumStep(Action<Matrix<double>, Matrix<double>, Matrix<double>, double, double>? yours)
    {
        // A wrong rule as code: the velocity it makes from (v, dW), and the W it makes from (W, that velocity, dW).
        static MistakeVariant<StepCase>[] Rule(Mistake mistake, Func<StepCase, Matrix<double>> velocity, Func<StepCase, Matrix<double>, Matrix<double>> weights) =>
            [new(mistake, "v", velocity), new(mistake, "W", c => weights(c, velocity(c)))];
        static Matrix<double> Sum(StepCase c) => c.Beta * c.v + c.dW;
        return Grader.Grade(new ExerciseSpec<StepCase>
        {
            Name = "MomentumStep",
            Task = MomentumStepTask,
            Idea = MomentumIdea,
            Equation = MomentumEquation,
            Parts = ["v", "W"],
            CaseCount = 3,
            Case = MakeStepCase,
            Describe = c => Invariant($"{Cases.Describe(("W", c.W), ("dW", c.dW), ("v", c.v))} (a velocity from earlier steps), α = {c.Alpha}, β = {c.Beta}"),
            Inputs = c => [("W", c.W), ("dW", c.dW), ("v", c.v)],
            Changes = new HashSet<string> { "W", "v" },
            InPlace = "dW belongs to the backward pass that computed it, and the step only reads it: whoever looks at the gradients after the step " +
                      "(a gradient check, a chart of them, Adam's second running mean) would find your changes in them.",
            Tolerance = 1e-12,
            Library = LibraryMomentumStep,
            Mistakes =
            [
                .. Rule(Mistakes.MomentumAveraged, c => c.Beta * c.v + (1 - c.Beta) * c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.MomentumBetaSwapped, c => (1 - c.Beta) * c.v + c.Beta * c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.MomentumBetaSwapped, c => (1 - c.Beta) * c.v + c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.LearningRateInVelocity, c => c.Beta * c.v + c.Alpha * c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.LearningRateInVelocity, c => c.Beta * c.v + c.Alpha * c.dW, (c, v) => c.W - v),
                // Before the velocity made anew, whose step is also along dW: then v says which of the two it is.
                new(Mistakes.SteppedAlongGradient, "W", c => c.W - c.Alpha * c.dW),
                .. Rule(Mistakes.VelocityNotKept, c => c.dW, (c, v) => c.W - c.Alpha * c.dW),
                new(Mistakes.VelocityNotKept, "v", c => c.v),
                new(Mistakes.ParameterNotChanged, "W", c => c.W),
                new(Mistakes.UpdateWrongSign, "W", c => c.W + c.Alpha * Sum(c)),
                new(Mistakes.MissingLearningRate, "W", c => c.W - Sum(c)),
            ],
        }, yours is null ? null : c =>
        {
            yours(c.W, c.dW, c.v, c.Alpha, c.Beta);
            return [c.v, c.W];
        });
    }

    // ---------------------------------------------------------------- Train

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

    private static ExerciseResult GradeTrain(Func<Network, Matrix<double>, Matrix<double>, int, int, double, double, double, uint, double[]?>? yours,
        Matrix<double>? X, Matrix<double>? Y)
    {
        ExerciseResult Result(Verdict verdict, string message, IReadOnlyList<string> details, Mistake? mistake = null) =>
            new("Train", verdict, message, details, mistake, TrainIdea, TrainEquation);
        if (yours is null) return Result(Verdict.NotAnswered, $"not answered yet. {TrainTask} Then run the check again.", []);
        var cases = MomentumCases(X, Y);
        var passed = new List<string>();
        foreach (var (c, k) in cases.Select((c, k) => (c, k)))
        {
            string where = Invariant($"Case {k + 1} of {cases.Count}: {c.Describe()}.");
            var (X0, Y0) = (c.X.Clone(), c.Y.Clone());
            var net = c.Start();
            double[]? costs;
            try
            {
                costs = yours(net, c.X, c.Y, c.Epochs, c.BatchSize, c.Alpha, c.Beta, c.Lambda, c.Seed);
            }
            catch (Exception error) when (error is NotImplementedException || error.InnerException is NotImplementedException)
            {
                return Result(Verdict.NotAnswered, $"not answered yet. {TrainTask} Then run the check again.", []);
            }
            catch (Exception error)
            {
                if (error is ArgumentException && Called(error, "MomentumStep") && ShapesIn(error.Message) is { } shapes)
                {
                    // MomentumStep passed its own check: the matrices Train hands it do not belong together.
                    var parameters = string.Join(", ", c.Start().Layers.SelectMany(l => new[] { $"W{l.Index} {Shape.Of(l.W)}", $"b{l.Index} {Shape.Of(l.b)}" }));
                    return Result(Verdict.Crashed,
                        $"Your code stopped with an error inside MomentumStep, as called from Train: it was given matrices of shapes {shapes}, which do not fit together. " +
                        "MomentumStep passed its own check, so look at what Train gives it: each parameter gets its own gradient and its own velocity, " +
                        "zeros of that parameter's own shape — one for every W_l, one for every b_l — and layers count from 1.",
                        [where, $"This network's parameters: {parameters}."]);
                }
                var (explanation, mistake) = CodeErrors.Explain(error, [("X", c.X), ("Y", c.Y)]);
                return Result(Verdict.Crashed, explanation, [where], mistake);
            }
            if (costs is null)
                return k == 0 ? Result(Verdict.NotAnswered, $"not answered yet. {TrainTask} Then run the check again.", [])
                    : Result(Verdict.Wrong, "your Train returned null.", [where]);
            if (net.TrainingRuns > 0)
                return Result(Verdict.Mistake, $"looks like {Mistakes.UsedLibraryTraining.Name}: your Train trained the network with the library's Trainer.", [where], Mistakes.UsedLibraryTraining);
            if (FirstChange([("X", c.X, X0), ("Y", c.Y, Y0)]) is { } changed)
                return Result(Verdict.Mistake, $"looks like {Mistakes.ChangedItsInput.Name}: {changed} X and Y are the training set: every epoch reads them again.",
                    [where], Mistakes.ChangedItsInput);
            if (costs.Length != c.Steps)
            {
                string perEpoch = costs.Length == c.Epochs ? " — one per epoch? The check wants one per step (batch)" : "";
                return Result(Verdict.Wrong, Invariant($"your Train returned {costs.Length} costs, but {c.Epochs} epochs of {c.BatchesPerEpoch} batches are {c.Steps} steps{perEpoch}: one cost per step, in order."), [where]);
            }

            var (expectedCosts, _) = MomentumRun(c);
            var library = LibraryMomentumTraining(c);
            var lines = TrajectoryDifferences(c, costs, net, expectedCosts, library, out bool right);
            if (right)
            {
                passed.Add(Invariant($"{c.Describe()}: all {c.Steps} step costs and every final W and b match (the cost went from {expectedCosts[0]:F6} to {expectedCosts[^1]:F6})."));
                continue;
            }
            var named = LoopMistakes.FirstOrDefault(v => SameRun(c, costs, net, MomentumRun(c, v.Loop))).Mistake;
            if (named is null && Unchanged(net, c.Start()))
                return Result(Verdict.Wrong, "your Train did not change the network's weights: every W and b is as it started.",
                    [where, "MomentumStep must be given the network's own matrices — net.Layers[l].W and net.Layers[l].b — to change them in place.", .. lines]);
            if (named == Mistakes.VelocityNotKept)
                lines.Add("A velocity kept in a Dictionary keyed by its parameter matrix is not found again once the parameter's numbers change: MathNet matrices compare by their numbers.");
            return Result(named is null ? Verdict.Wrong : Verdict.Mistake,
                named is null ? "your training run differs from the library's." : $"looks like {named.Name}.", [where, .. lines], named);
        }
        return Result(Verdict.Correct, Invariant($"every step's cost and the final weights match the library's training on all {cases.Count} runs."), passed);
    }

    /// <summary>The first step whose cost differs and every final parameter that differs, in words; <paramref name="right"/> when none does.</summary>
    private static List<string> TrajectoryDifferences(MomentumCase c, double[] costs, Network mine, double[] expected, Network library, out bool right)
    {
        var lines = new List<string>();
        int first = Enumerable.Range(0, c.Steps).FirstOrDefault(s => !Close(costs[s], expected[s], 1e-12 * Math.Max(Math.Abs(expected[s]), 1e-300)), -1);
        if (first >= 0)
        {
            string at = Invariant($"step {first + 1} (epoch {first / c.BatchesPerEpoch + 1}, batch {first % c.BatchesPerEpoch + 1})");
            var (y, l) = (costs[first].ToString("G6", CultureInfo.InvariantCulture), expected[first].ToString("G6", CultureInfo.InvariantCulture));
            if (y == l) (y, l) = (costs[first].ToString("G17", CultureInfo.InvariantCulture), expected[first].ToString("G17", CultureInfo.InvariantCulture));
            string before = first == 0
                ? "It is the first step, before any update: is its batch the library's, and is the cost the batch's J from Trainer.Objective plus (λ/2m)·Σ‖W‖²?"
                : first == 1 ? "The step before it matches, so look at what step 1 changed, or at the batch of step 2."
                : Invariant($"The {first} steps before it match, so look at what step {first} changed, or at the batch of step {first + 1}.");
            lines.Add($"✘ costs: {at} is the first that differs: yours {y}, the library's {l}. {before}");
        }
        else lines.Add(Invariant($"✔ costs: all {c.Steps} match."));
        int matching = 0;
        for (int layer = 1; layer <= library.Layers.Count; layer++)
            foreach (var (name, p, q) in new[] { ("W", mine.Layers[layer].W, library.Layers[layer].W), ("b", mine.Layers[layer].b, library.Layers[layer].b) })
            {
                double scale = Math.Max(q.Enumerate().Max(Math.Abs), 1e-300);
                var bad = Enumerable.Range(0, q.RowCount * q.ColumnCount).Select(i => (i % q.RowCount, i / q.RowCount))
                    .FirstOrDefault(ij => !Close(p[ij.Item1, ij.Item2], q[ij.Item1, ij.Item2], 1e-12 * scale), (-1, -1));
                if (bad.Item1 < 0) { matching++; continue; }
                var (i, j) = bad;
                lines.Add(Invariant($"✘ {name}{layer} after training: entry [{i}, {j}] is {p[i, j]:G6} where the library's training has {q[i, j]:G6}."));
            }
        right = first < 0 && lines.Count == 1;
        if (!right) lines.Add(Invariant($"{matching} of the {2 * library.Layers.Count} parameter matrices match the library's after training."));
        return lines;
    }

    /// <summary>"(4 × 4) and (4 × 3)" from a MathNet message about two matrices' dimensions, or null.</summary>
    private static string? ShapesIn(string message)
    {
        var sizes = System.Text.RegularExpressions.Regex.Matches(message, @"(\d+)\s*[x×]\s*(\d+)");
        if (sizes.Count < 2) return null;
        string Size(int k) => Shape.Of(int.Parse(sizes[k].Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(sizes[k].Groups[2].Value, CultureInfo.InvariantCulture));
        return $"{Size(0)} and {Size(1)}";
    }

    /// <summary>True when a method named <paramref name="method"/> (or a local function of that name) is on the error's stack.</summary>
    private static bool Called(Exception error, string method) =>
        new System.Diagnostics.StackTrace(error, false).GetFrames().Any(f => f.GetMethod()?.Name is { } name
            && (name == method || name.Contains($"g__{method}|", StringComparison.Ordinal)));

    private static bool Close(double a, double b, double tolerance) => a.Equals(b) || Math.Abs(a - b) <= tolerance;

    /// <summary>True when the student's run is the given run's, costs and final parameters (to 1e-9 of their size).</summary>
    private static bool SameRun(MomentumCase c, double[] costs, Network mine, (double[] Costs, Network End) run)
    {
        if (run.Costs.Length != costs.Length) return false;
        for (int s = 0; s < costs.Length; s++)
            if (!Close(costs[s], run.Costs[s], 1e-9 * Math.Max(Math.Abs(run.Costs[s]), 1e-300))) return false;
        for (int l = 1; l <= c.Start().Layers.Count; l++)
            foreach (var (p, q) in new[] { (mine.Layers[l].W, run.End.Layers[l].W), (mine.Layers[l].b, run.End.Layers[l].b) })
            {
                double scale = Math.Max(q.Enumerate().Max(Math.Abs), 1e-300);
                if (p.Enumerate().Zip(q.Enumerate()).Any(pair => !Close(pair.First, pair.Second, 1e-9 * scale))) return false;
            }
        return true;
    }

    private static bool Unchanged(Network mine, Network start) =>
        Enumerable.Range(1, start.Layers.Count).All(l => mine.Layers[l].W.Equals(start.Layers[l].W) && mine.Layers[l].b.Equals(start.Layers[l].b));
}
