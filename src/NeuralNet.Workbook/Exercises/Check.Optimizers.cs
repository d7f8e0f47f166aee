using MathNet.Numerics.LinearAlgebra;
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
}
