using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using NeuralNet.Numerics;
using NeuralNet.Training;
using static NeuralNet.Tests.ExerciseAssertions;

namespace NeuralNet.Tests;

/// <summary>
/// Notebook 06's construction, Check.MomentumTraining: MiniBatches, MomentumStep and Train. The solution passes; each classic
/// mistake, written as a student would write it, is named; garbage is explained in words; unanswered functions say what to write.
/// The check's step-by-step run of the library is the library's own training, number for number.
/// </summary>
public class OptimizerExerciseTests
{
    // ------------------------------------------------------------ helpers (as in ExerciseTests)

    // ------------------------------------------------------------ the solution, and each mistake written as a student writes it

    private delegate List<(Matrix<double> X, Matrix<double> Y)> Batcher(Matrix<double> X, Matrix<double> Y, int batchSize, NumPyRandom rng, int[] order);

    private static Matrix<double> Columns(Matrix<double> data, IEnumerable<int> columns) =>
        Matrix<double>.Build.DenseOfColumnVectors(columns.Select(data.Column));

    private static List<(Matrix<double> X, Matrix<double> Y)> MiniBatches(Matrix<double> X, Matrix<double> Y, int batchSize, NumPyRandom rng, int[] order)
    {
        rng.Shuffle(order);
        var batches = new List<(Matrix<double> X, Matrix<double> Y)>();
        for (int start = 0; start < X.ColumnCount; start += batchSize)
        {
            var columns = order.Skip(start).Take(batchSize).ToArray();
            batches.Add((Columns(X, columns), Columns(Y, columns)));
        }
        return batches;
    }

    private static List<(Matrix<double> X, Matrix<double> Y)> Cut(Matrix<double> X, Matrix<double> Y, int batchSize, int[] order, int? count = null)
    {
        var batches = new List<(Matrix<double> X, Matrix<double> Y)>();
        for (int start = 0; start < (count ?? X.ColumnCount); start += batchSize)
        {
            var columns = order.Skip(start).Take(batchSize).ToArray();
            batches.Add((Columns(X, columns), Columns(Y, columns)));
        }
        return batches;
    }

    private static void MomentumStep(Matrix<double> W, Matrix<double> dW, Matrix<double> v, double alpha, double beta)
    {
        (beta * v + dW).CopyTo(v);
        (W - alpha * v).CopyTo(W);
    }

    /// <summary>How a student's Train can go wrong: each flag one mistake, written into the loop as a student writes it.</summary>
    private sealed record Slip
    {
        public bool GeneratorInEpoch { get; init; }
        public bool OrderInEpoch { get; init; }
        public bool VelocitiesInBatch { get; init; }
        public bool VelocitiesInEpoch { get; init; }
        public bool VelocityPerShape { get; init; }
        public bool NoL2 { get; init; }
        public bool L2ThroughObjective { get; init; }
        public bool L2OnBiases { get; init; }
        public bool L2Half { get; init; }
        public bool L2WithoutM { get; init; }
        public bool CostAfterUpdate { get; init; }
        public bool BiasesNotUpdated { get; init; }
        public bool StopBeforeOutputLayer { get; init; }
        public bool LibraryTraining { get; init; }
        public bool OneVelocityForWAndB { get; init; }
        public bool CostPerEpoch { get; init; }
        public bool DictionaryByValue { get; init; }
        public bool NoPenalty { get; init; }
        public bool L2OverBatchSize { get; init; }
        public bool VelocityListFromOne { get; init; }
    }

    private static Func<Network, Matrix<double>, Matrix<double>, int, int, double, double, double, uint, double[]?> Train(Slip? slip = null, Batcher? batcher = null)
    {
        slip ??= new Slip();
        batcher ??= MiniBatches;
        return (net, X, Y, epochs, batchSize, alpha, beta, lambda, seed) =>
        {
            if (slip.LibraryTraining)
            {
                var history = new Trainer(net).Train(X, Y, new TrainingOptions { Optimizer = new Momentum(alpha, beta), BatchSize = batchSize, Epochs = epochs, ShuffleSeed = seed, Regularization = new Regularization(L2: lambda) });
                return [.. history.Costs];
            }
            int m = X.ColumnCount, L = net.Layers.Count;
            var rng = new NumPyRandom(seed);
            int[] order = Enumerable.Range(0, m).ToArray();
            // One velocity per parameter, by reference: MathNet matrices compare by value.
            var velocities = slip.DictionaryByValue ? [] : new Dictionary<Matrix<double>, Matrix<double>>(ReferenceEqualityComparer.Instance);
            var byShape = new Dictionary<(int, int), Matrix<double>>();
            Matrix<double> Velocity(Matrix<double> p)
            {
                if (slip.VelocityPerShape)
                    return byShape.TryGetValue((p.RowCount, p.ColumnCount), out var s) ? s : byShape[(p.RowCount, p.ColumnCount)] = Matrix<double>.Build.Dense(p.RowCount, p.ColumnCount);
                if (!velocities.TryGetValue(p, out var v)) velocities[p] = v = Matrix<double>.Build.Dense(p.RowCount, p.ColumnCount);
                return v;
            }
            var costs = new List<double>();
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                if (slip.GeneratorInEpoch) rng = new NumPyRandom(seed);
                if (slip.OrderInEpoch) order = Enumerable.Range(0, m).ToArray();
                if (slip.VelocitiesInEpoch) velocities = new(ReferenceEqualityComparer.Instance);
                double epochCost = 0;
                foreach (var (xb, yb) in batcher(X, Y, batchSize, rng, order))
                {
                    if (slip.VelocitiesInBatch) velocities = new(ReferenceEqualityComparer.Instance);
                    var (cost, grads) = slip.L2ThroughObjective ? Trainer.Objective(net, xb, yb, new Regularization(L2: lambda)) : Trainer.Objective(net, xb, yb);
                    double Penalty() => slip.NoL2 || slip.L2ThroughObjective || slip.NoPenalty ? 0
                        : (slip.L2WithoutM ? lambda / 2 : lambda / (2.0 * m)) * net.Layers.Sum(layer => layer.W.PointwiseMultiply(layer.W).Enumerate().Sum());
                    if (!slip.CostAfterUpdate) costs.Add(cost + Penalty());
                    epochCost += (cost + Penalty()) * xb.ColumnCount / m;
                    var shared = slip.OneVelocityForWAndB ? new Matrix<double>[L + 1] : null;
                    for (int l = 1; l <= (slip.StopBeforeOutputLayer ? L - 1 : L); l++)
                    {
                        var layer = net.Layers[l];
                        double factor = slip.NoL2 || slip.L2ThroughObjective ? 0 : slip.L2Half ? lambda / (2.0 * m) : slip.L2WithoutM ? lambda
                            : slip.L2OverBatchSize ? lambda / xb.ColumnCount : lambda / m;
                        var vW = slip.VelocityListFromOne ? Velocity(net.Layers[Math.Min(l + 1, L)].W)   // vW[l] of a list vW[0 … L − 1]
                            : shared is null ? Velocity(layer.W) : shared[l] = Velocity(layer.W);
                        MomentumStep(layer.W, grads[l].dW + factor * layer.W, vW, alpha, beta);
                        if (slip.BiasesNotUpdated) continue;
                        MomentumStep(layer.b, grads[l].db + (slip.L2OnBiases ? factor * layer.b : 0 * layer.b), shared?[l] ?? Velocity(layer.b), alpha, beta);
                    }
                    if (slip.CostAfterUpdate) costs.Add(cost + Penalty());
                }
                if (slip.CostPerEpoch) costs.Add(epochCost);
            }
            return slip.CostPerEpoch ? [.. costs.Skip(costs.Count - epochs)] : [.. costs];
        };
    }

    private static ExerciseResult Check_(Batcher? batcher = null, Action<Matrix<double>, Matrix<double>, Matrix<double>, double, double>? step = null,
        Slip? slip = null) =>
        Check.MomentumTraining((X, Y, size, rng, order) => (batcher ?? MiniBatches)(X, Y, size, rng, order), step ?? MomentumStep, Train(slip, batcher));

    [Fact]
    public void The_solution_passes_and_says_what_it_compared()
    {
        var result = Check_();
        Passes(result);
        Assert.Contains("✔ MiniBatches", result.ToString());
        Assert.Contains("✔ MomentumStep", result.ToString());
        Assert.Contains("✔ Train", result.ToString());
        Assert.Contains("all 9 step costs and every final W and b match", result.ToString());
        Assert.Contains("every batch of every epoch is the library's", result.ToString());
    }

    [Fact]
    public void The_solution_passes_on_real_data_too()
    {
        var data = NeuralNet.Data.SyntheticData.Moons(100, 0.2, seed: 4);
        var result = Check.MomentumTraining(MiniBatches, MomentumStep, Train(), data.X, data.BinaryRow(1));
        Passes(result);
        Assert.Contains("the data given: a [2, 20, 10, 1] network", result.ToString());
    }

    [Fact]
    public void The_check_runs_the_library_s_own_training_step_by_step()
    {
        // The check's step-by-step run (public parts: Shuffle, Objective, Momentum.Update) is Trainer's run, number for number.
        var data = NeuralNet.Data.SyntheticData.Moons(70, 0.2, seed: 2);
        foreach (var c in Check.MomentumCases(data.X, data.BinaryRow(1)))
        {
            var (costs, end) = Check.MomentumRun(c);
            var library = c.Start();
            var history = new Trainer(library).Train(c.X, c.Y, new TrainingOptions
            {
                Optimizer = new Momentum(c.Alpha, c.Beta), BatchSize = c.BatchSize, Epochs = c.Epochs, ShuffleSeed = c.Seed,
                Regularization = new Regularization(L2: c.Lambda), ReportEvery = 1,
            });
            for (int l = 1; l <= library.Layers.Count; l++)
            {
                Assert.True((end.Layers[l].W - library.Layers[l].W).Enumerate().All(d => Math.Abs(d) <= 1e-12 * library.Layers[l].W.Enumerate().Max(Math.Abs)), c.Name);
                Assert.True((end.Layers[l].b - library.Layers[l].b).Enumerate().All(d => Math.Abs(d) <= 1e-12 * library.Layers[l].b.Enumerate().Max(Math.Abs)), c.Name);
                Assert.NotEqual(c.Start().Layers[l].W, end.Layers[l].W);
            }
            // Each epoch's cost in the history is the mean of its steps' costs, weighted by the batches' sizes.
            for (int e = 0; e < c.Epochs; e++)
            {
                double mean = Enumerable.Range(0, c.BatchesPerEpoch)
                    .Sum(b => costs[e * c.BatchesPerEpoch + b] * Math.Min(c.BatchSize, c.m - b * c.BatchSize)) / c.m;
                Assert.True(Math.Abs(mean - history.Costs[e]) <= 1e-12 * history.Costs[e], $"{c.Name}, epoch {e + 1}: {mean} vs {history.Costs[e]}");
            }
        }
    }

    [Fact]
    public void Unanswered_functions_say_what_to_write()
    {
        var none = Check.MomentumTraining((X, Y, size, rng, order) => null, (W, dW, v, a, b) => throw new NotImplementedException(), (net, X, Y, e, s, a, b, l, seed) => null);
        Unanswered(none, "Write MiniBatches");
        Assert.Contains("✎ MomentumStep: not answered yet", none.ToString());
        Assert.Contains("· Train: checked once MiniBatches and MomentumStep match the library", none.ToString());
        // MiniBatches done, MomentumStep not: it says what to write next.
        var next = Check.MomentumTraining(MiniBatches, (W, dW, v, a, b) => throw new NotImplementedException(), (net, X, Y, e, s, a, b, l, seed) => null);
        Unanswered(next, "Write MomentumStep");
        Assert.Contains("✔ MiniBatches", next.ToString());
        Assert.DoesNotContain("every batch of every epoch is the library's", next.ToString());   // a passed part's cases: only once everything passes
        Unanswered(Check.MomentumTraining(MiniBatches, MomentumStep, (net, X, Y, e, s, a, b, l, seed) => null), "Write Train");
        // A wrong MomentumStep speaks even when MiniBatches is not written yet.
        var wrong = Check.MomentumTraining((X, Y, size, rng, order) => null, (W, dW, v, a, b) => (W + a * v).CopyTo(W), (net, X, Y, e, s, a, b, l, seed) => null);
        Assert.Contains(wrong.Verdict, new[] { Verdict.Wrong, Verdict.Mistake });
        Assert.StartsWith("✘ MomentumTraining: MomentumStep:", wrong.ToString());
    }

    // ------------------------------------------------------------ MiniBatches

    [Fact]
    public void MiniBatches_mistakes_are_named()
    {
        Names(Mistakes.BatchesNotShuffled, Check_((X, Y, size, rng, order) => Cut(X, Y, size, Enumerable.Range(0, X.ColumnCount).ToArray())));
        Names(Mistakes.BatchesNotShuffled, Check_((X, Y, size, rng, order) => Cut(X, Y, size, order)));
        Names(Mistakes.OrderNotKept, Check_((X, Y, size, rng, order) => Cut(X, Y, size, rng.Permutation(X.ColumnCount))));
        var copy = Check_((X, Y, size, rng, order) =>
        {
            var mine = order.ToArray();
            rng.Shuffle(mine);
            return Cut(X, Y, size, mine);
        });
        Names(Mistakes.OrderNotKept, copy);
        Assert.Contains("order was still 0, 1, …", copy.ToString());
        var other = Check_((X, Y, size, rng, order) =>
        {
            new NumPyRandom(0).Shuffle(order);
            return Cut(X, Y, size, order);
        });
        Names(Mistakes.NotTheLibraryShuffle, other);
        var fresh = Check_((X, Y, size, rng, order) =>
        {
            var mine = Enumerable.Range(0, X.ColumnCount).ToArray();
            new NumPyRandom(1).Shuffle(mine);
            return Cut(X, Y, size, mine);
        });
        Names(Mistakes.NotTheLibraryShuffle, fresh);
        Assert.Contains("Every epoch has the same order: is a new generator made at every call?", fresh.ToString());
        Names(Mistakes.LastBatchDropped, Check_((X, Y, size, rng, order) =>
        {
            rng.Shuffle(order);
            return Cut(X, Y, size, order, count: X.ColumnCount / size * size);
        }));
        var apart = Check_((X, Y, size, rng, order) =>
        {
            rng.Shuffle(order);
            var forY = order.ToArray();
            rng.Shuffle(forY);
            return Cut(X, Y, size, order).Zip(Cut(X, Y, size, forY), (x, y) => (x.X, y.Y)).ToList();
        });
        Names(Mistakes.ShuffledApart, apart);
        Assert.Contains("a sample's picture and its label must stay together", apart.ToString());
        // Shuffling X itself, in place.
        Names(Mistakes.ChangedItsInput, Check_((X, Y, size, rng, order) =>
        {
            rng.Shuffle(order);
            var shuffled = Columns(X, order);
            shuffled.CopyTo(X);
            return Cut(X, Y, size, Enumerable.Range(0, X.ColumnCount).ToArray());
        }));
    }

    [Fact]
    public void MiniBatches_garbage_is_explained()
    {
        Explained(Check_((X, Y, size, rng, order) =>
        {
            rng.Shuffle(order);
            return Cut(X, Y, size, order).Select(b => (b.X.Transpose(), b.Y.Transpose())).ToList();
        }), "X_batch is (4 × 3), but X has 3 rows", "look swapped");
        Explained(Check_((X, Y, size, rng, order) =>
        {
            rng.Shuffle(order);
            var batches = new List<(Matrix<double> X, Matrix<double> Y)>();
            for (int start = 0; start < X.ColumnCount; start += size - 1)   // overlapping batches
                batches.Add((Columns(X, order.Skip(start).Take(size)), Columns(Y, order.Skip(start).Take(size))));
            return batches;
        }), "the batches have the wrong sizes", "the last one with the 3 samples left");
        Explained(Check_((X, Y, size, rng, order) => [(X * 2, Y)]), "column 0 of X_batch is none of X's columns");
        Explained(Check_((X, Y, size, rng, order) => [(X.SubMatrix(0, X.RowCount, 0, 0 + 1), Y.SubMatrix(0, Y.RowCount, 0, 1))]), "wrong sizes");
        Explained(Check_((X, Y, size, rng, order) => throw new InvalidOperationException("my own <b>message</b>")),
            "Your code stopped with an error", "my own <b>message</b>");
        var nan = Check_((X, Y, size, rng, order) => [(X.Map(_ => double.NaN), Y)]);
        Explained(nan, "none of X's columns");
    }

    // ------------------------------------------------------------ MomentumStep

    [Fact]
    public void MomentumStep_mistakes_are_named()
    {
        Names(Mistakes.MomentumAveraged, Check_(step: (W, dW, v, a, b) => { (b * v + (1 - b) * dW).CopyTo(v); (W - a * v).CopyTo(W); }));
        Names(Mistakes.MomentumBetaSwapped, Check_(step: (W, dW, v, a, b) => { ((1 - b) * v + b * dW).CopyTo(v); (W - a * v).CopyTo(W); }));
        Names(Mistakes.SteppedAlongGradient, Check_(step: (W, dW, v, a, b) => { (b * v + dW).CopyTo(v); (W - a * dW).CopyTo(W); }));
        Names(Mistakes.LearningRateInVelocity, Check_(step: (W, dW, v, a, b) => { (b * v + a * dW).CopyTo(v); (W - a * v).CopyTo(W); }));
        Names(Mistakes.LearningRateInVelocity, Check_(step: (W, dW, v, a, b) => { (b * v + a * dW).CopyTo(v); (W - v).CopyTo(W); }));
        Names(Mistakes.UpdateWrongSign, Check_(step: (W, dW, v, a, b) => { (b * v + dW).CopyTo(v); (W + a * v).CopyTo(W); }));
        Names(Mistakes.MissingLearningRate, Check_(step: (W, dW, v, a, b) => { (b * v + dW).CopyTo(v); (W - v).CopyTo(W); }));
        // v = β·v + dW assigned to the parameter: the caller's velocity never changes.
        Names(Mistakes.VelocityNotKept, Check_(step: (W, dW, v, a, b) => { v = b * v + dW; (W - a * v).CopyTo(W); }));
        // A velocity started from zero at every step.
        Names(Mistakes.VelocityNotKept, Check_(step: (W, dW, v, a, b) => { v.Clear(); (b * v + dW).CopyTo(v); (W - a * v).CopyTo(W); }));
        Names(Mistakes.ParameterNotChanged, Check_(step: (W, dW, v, a, b) => { (b * v + dW).CopyTo(v); W = W - a * v; }));
        // The gradient scaled in place on the way.
        var inPlace = Check_(step: (W, dW, v, a, b) => { v.Multiply(b, v); v.Add(dW, v); dW.Multiply(a, dW); W.Subtract(a * v, W); });
        Names(Mistakes.ChangedItsInput, inPlace);
        Assert.Contains("your function changed dW", inPlace.ToString());
        Assert.Contains("dW belongs to the backward pass", inPlace.ToString());
        // W and v changed in place as they should be: no complaint about that.
        Passes(Check_(step: (W, dW, v, a, b) => { v.Multiply(b, v); v.Add(dW, v); W.Subtract(v.Multiply(a), W); }));
    }

    [Fact]
    public void MomentumStep_garbage_is_explained()
    {
        Explained(Check_(step: (W, dW, v, a, b) => (b * v + dW.Transpose()).CopyTo(v)), "MathNet can only add matrices of the same shape");
        Explained(Check_(step: (W, dW, v, a, b) => W.MapInplace(_ => double.NaN)), "NaN");
        Explained(Check_(step: (W, dW, v, a, b) => throw new InvalidOperationException("my own <b>message</b>")), "Your code stopped with an error", "my own <b>message</b>");
    }

    // ------------------------------------------------------------ Train

    [Fact]
    public void Train_mistakes_are_named()
    {
        Names(Mistakes.GeneratorEveryEpoch, Check_(slip: new Slip { GeneratorInEpoch = true }));
        Names(Mistakes.GeneratorEveryEpoch, Check_(slip: new Slip { GeneratorInEpoch = true, OrderInEpoch = true }));
        Names(Mistakes.OrderNotKept, Check_(slip: new Slip { OrderInEpoch = true }));
        Names(Mistakes.VelocityNotKept, Check_(slip: new Slip { VelocitiesInBatch = true }));
        // A Dictionary keyed by the parameter matrix with the default comparer: a changed W finds no velocity.
        var byValue = Check_(slip: new Slip { DictionaryByValue = true });
        Names(Mistakes.VelocityNotKept, byValue);
        Assert.Contains("MathNet matrices compare by their numbers", byValue.ToString());
        Names(Mistakes.VelocityResetEachEpoch, Check_(slip: new Slip { VelocitiesInEpoch = true }));
        Names(Mistakes.VelocityShared, Check_(slip: new Slip { VelocityPerShape = true }));
        Names(Mistakes.L2Missing, Check_(slip: new Slip { NoL2 = true }));
        var noPenalty = Check_(slip: new Slip { NoPenalty = true });
        Names(Mistakes.L2Missing, noPenalty);
        Assert.Contains("6 of the 6 parameter matrices match", noPenalty.ToString());
        var objective = Check_(slip: new Slip { L2ThroughObjective = true });
        Names(Mistakes.L2OverBatch, objective);
        Assert.Contains("step 1 (epoch 1, batch 1) is the first that differs", objective.ToString());
        var overBatch = Check_(slip: new Slip { L2OverBatchSize = true });
        Names(Mistakes.L2OverBatch, overBatch);
        Assert.Contains("step 2 (epoch 1, batch 2) is the first that differs", overBatch.ToString());
        Assert.Contains("The step before it matches, so look at what step 1 changed", overBatch.ToString());
        Names(Mistakes.L2OnBiases, Check_(slip: new Slip { L2OnBiases = true }));
        Names(Mistakes.KeptTheHalf, Check_(slip: new Slip { L2Half = true }));
        Names(Mistakes.MissingOneOverM, Check_(slip: new Slip { L2WithoutM = true }));
        Names(Mistakes.CostAfterUpdate, Check_(slip: new Slip { CostAfterUpdate = true }));
        var biases = Check_(slip: new Slip { BiasesNotUpdated = true });
        Names(Mistakes.SomeParametersNotUpdated, biases);
        Assert.Contains("✘ b1 after training", biases.ToString());
        Names(Mistakes.UpdateSkipsOutputLayer, Check_(slip: new Slip { StopBeforeOutputLayer = true }));
        Names(Mistakes.UsedLibraryTraining, Check_(slip: new Slip { LibraryTraining = true }));
    }

    [Fact]
    public void Train_garbage_is_explained()
    {
        // One velocity for a layer's W and b: the shapes do not fit, and the message points at what Train passes.
        var shared = Check_(slip: new Slip { OneVelocityForWAndB = true });
        Explained(shared, "inside MomentumStep, as called from Train: it was given matrices of shapes (4 × 3) and (4 × 1)", "its own velocity",
            "This network's parameters: W1 (4 × 3), b1 (4 × 1), W2 (4 × 4), b2 (4 × 1), W3 (1 × 4), b3 (1 × 1).");
        Assert.DoesNotContain("every column of the other", shared.ToString());   // not a bias to broadcast
        Assert.Null(shared.Mistake);
        var offByOne = Check_(slip: new Slip { VelocityListFromOne = true });
        Explained(offByOne, "shapes (4 × 4) and (4 × 3)", "layers count from 1", "W2 (4 × 4)");
        Explained(Check_(slip: new Slip { CostPerEpoch = true }), "returned 3 costs, but 3 epochs of 3 batches are 9 steps — one per epoch?");
        var nothing = Check.MomentumTraining(MiniBatches, MomentumStep, (net, X, Y, e, s, a, b, l, seed) =>
        {
            var costs = new List<double>();
            for (int epoch = 0; epoch < e; epoch++)
                foreach (var (xb, yb) in MiniBatches(X, Y, s, new NumPyRandom(seed), Enumerable.Range(0, X.ColumnCount).ToArray()))
                    costs.Add(Trainer.Objective(net, xb, yb).Cost);
            return [.. costs];
        });
        Explained(nothing, "did not change the network's weights", "net.Layers[l].W");
        Explained(Check.MomentumTraining(MiniBatches, MomentumStep, (net, X, Y, e, s, a, b, l, seed) => [.. Enumerable.Repeat(double.NaN, e * ((X.ColumnCount + s - 1) / s))]),
            "step 1 (epoch 1, batch 1) is the first that differs: yours NaN");
        Explained(Check.MomentumTraining(MiniBatches, MomentumStep, (net, X, Y, e, s, a, b, l, seed) => throw new InvalidOperationException("my own <b>message</b>")),
            "Your code stopped with an error", "my own <b>message</b>");
        var changedX = Check.MomentumTraining(MiniBatches, MomentumStep, (net, X, Y, e, s, a, b, l, seed) =>
        {
            X.MapInplace(x => x / 2);
            return Train()(net, X, Y, e, s, a, b, l, seed);
        });
        Names(Mistakes.ChangedItsInput, changedX);
    }
}
