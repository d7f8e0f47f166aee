using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- Train (notebook 06)

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
