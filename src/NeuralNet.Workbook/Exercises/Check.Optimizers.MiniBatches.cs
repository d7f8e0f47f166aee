using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- MiniBatches (notebook 06)

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
}
