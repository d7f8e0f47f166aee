using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- the update (notebook 03)

    /// <summary>One update case: a three-layer network's parameters, their gradients and α.</summary>
    internal sealed record UpdateCase(Parameters P, Grads[] G, double Alpha);

    private static UpdateCase MakeUpdateCase(int k)
    {
        var net = MakeForwardCase(18, k);
        var rng = Cases.Random(19, k);
        var grads = new Grads[net.L + 1];
        for (int l = 1; l <= net.L; l++)
            grads[l] = new Grads(Cases.Randn(rng, net.P.W[l].RowCount, net.P.W[l].ColumnCount), Cases.Randn(rng, net.P.b[l].RowCount, 1));
        return new UpdateCase(net.P, grads, new[] { 0.1, 0.5, 0.05 }[k]);
    }

    private static readonly string[] UpdateParts = [.. Enumerable.Range(1, 3).SelectMany(l => new[] { $"W[{l}]", $"b[{l}]" })];

    private static Matrix<double>[] UpdateAnswer(Parameters p) => [.. Enumerable.Range(1, p.LayerCount).SelectMany(l => new[] { p.W[l], p.b[l] })];

    /// <summary>The parameters after a step that updates only the given layers, with the given rule.</summary>
    private static Matrix<double>[] UpdateVariant(UpdateCase c, Func<int, bool> updated, Func<Matrix<double>, Matrix<double>, double, Matrix<double>> rule)
    {
        var p = c.P.Clone();
        for (int l = 1; l <= p.LayerCount; l++)
        {
            if (!updated(l)) continue;
            rule(p.W[l], c.G[l].dW, c.Alpha).CopyTo(p.W[l]);
            rule(p.b[l], c.G[l].db, c.Alpha).CopyTo(p.b[l]);
        }
        return UpdateAnswer(p);
    }

    /// <summary>Notebook 03: one step of gradient descent on every layer, W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l, in place.</summary>
    public static ExerciseResult UpdateParameters(Action<Parameters, Grads[], double>? yours)
    {
        var spec = new ExerciseSpec<UpdateCase>
        {
            Name = "UpdateParameters",
            Task = "Write UpdateParameters so that it moves every layer's W and b one step of gradient descent, in the parameters themselves: " +
                   "W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l for l = 1 … L.",
            Idea = "The gradient points uphill, the direction in which the cost grows fastest; a step down goes the other way, as far as the learning rate α says. " +
                   "Every layer moves, the output layer too — and into the network's own matrices, since the next forward pass reads them there.",
            Equation = "for l = 1 … L:  W_l ← W_l − α·dW_l,  b_l ← b_l − α·db_l   (parameters.W[l], grads[l].dW, …).",
            Parts = UpdateParts,
            CaseCount = 3,
            Case = MakeUpdateCase,
            Describe = c => Invariant($"layers [{string.Join(", ", c.P.LayerDims)}], α = {c.Alpha}"),
            Inputs = c => [.. Enumerable.Range(1, c.P.LayerCount).SelectMany(l => new[]
            {
                ($"parameters.W[{l}]", c.P.W[l]), ($"parameters.b[{l}]", c.P.b[l]), ($"grads[{l}].dW", c.G[l].dW), ($"grads[{l}].db", c.G[l].db),
            })],
            Changes = Enumerable.Range(1, 3).SelectMany(l => new[] { $"parameters.W[{l}]", $"parameters.b[{l}]" }).ToHashSet(),
            InPlace = "An update that scales the gradients in place leaves grads[l] holding α·dW: momentum, a look at the gradients after the step or a second " +
                      "network trained with them would all read the wrong numbers.",
            Library = c =>
            {
                var p = c.P.Clone();
                Reference.UpdateParameters(p, c.G, c.Alpha);
                return UpdateAnswer(p);
            },
            Mistakes =
            [
                .. UpdateParts.SelectMany(part => new MistakeVariant<UpdateCase>[]
                {
                    new(Mistakes.UpdateWrongSign, part, c => UpdateVariant(c, _ => true, (w, d, a) => w + a * d)[Array.IndexOf(UpdateParts, part)]),
                    new(Mistakes.MissingLearningRate, part, c => UpdateVariant(c, _ => true, (w, d, _) => w - d)[Array.IndexOf(UpdateParts, part)]),
                }),
                new(Mistakes.UpdateSkipsFirstLayer, "W[1]", c => c.P.W[1]),
                new(Mistakes.UpdateSkipsFirstLayer, "b[1]", c => c.P.b[1]),
                new(Mistakes.UpdateSkipsOutputLayer, "W[3]", c => c.P.W[3]),
                new(Mistakes.UpdateSkipsOutputLayer, "b[3]", c => c.P.b[3]),
            ],
        };
        if (yours is null) return Grader.Grade(spec, null);
        // Nothing moved at all: the new matrices never reached the network (a classic of C#: W = W − α·dW on a copy of the reference).
        var first = spec.Case(0);
        try
        {
            yours(first.P, first.G, first.Alpha);
            if (UpdateAnswer(first.P).Zip(UpdateAnswer(spec.Case(0).P)).All(pair => pair.First.Equals(pair.Second)))
                return new ExerciseResult("UpdateParameters", Verdict.Mistake, $"looks like {Mistakes.UpdateNotStored.Name}: after your function, every W and b is as it was.",
                    [$"Case 1 of 3: {spec.Describe(first)}."], Mistakes.UpdateNotStored, spec.Idea, spec.Equation);
        }
        catch (Exception)
        {
            // Graded below, where the exception is explained.
        }
        return Grader.Grade(spec, c =>
        {
            yours(c.P, c.G, c.Alpha);
            return UpdateAnswer(c.P);
        });
    }

    // ---------------------------------------------------------------- your network (notebook 03) and on the original's data (04)

    /// <summary>One training run to compare: data, starting parameters, α and how many iterations.</summary>
    internal sealed record TrainingCase(string Name, Matrix<double> X, Matrix<double> Y, Parameters Start, double Alpha, int Iterations);

    /// <summary>A [3, 4, 2, 1] network with random, non-zero biases on 6 samples, α = 0.5.</summary>
    private static TrainingCase SmallCase(int iterations)
    {
        var rng = Cases.Random(11, 0);
        var start = DeepNN.InitializeParameters([3, 4, 2, 1], seed: 11, scale: 0.8);
        foreach (var (_, b) in start) b.SetSubMatrix(0, 0, Cases.Randn(rng, b.RowCount, 1, 0.5));
        return new TrainingCase("a small random network", Cases.Randn(rng, 3, 6), Cases.Labels(rng, 6), start, 0.5, iterations);
    }

    /// <summary>Notebook 03's network: [2, 16, 16, 1] from He's initialisation (seed 1) on the 200 moons, α = 0.5.</summary>
    internal static TrainingCase MoonsCase(int iterations)
    {
        var moons = SyntheticData.Moons(samples: 200, noise: 0.2, seed: 0);
        var start = new Network([2, 16, 16, 1], initialization: Initialization.He(seed: 1)).Parameters.Clone();
        return new TrainingCase("notebook 3's moons network", moons.X, moons.BinaryRow(), start, 0.5, iterations);
    }

    private const double Exact = 1e-12;

    /// <summary>
    /// Notebook 03: your network — your Forward, ComputeCost, Backward, UpdateParameters and Train — run beside the library's from the
    /// same starting weights, step by step, on a small random network and on the moons network. Names the first step, layer and
    /// quantity where yours differs (to 1e-12 of the library's), then compares your Train's costs and final weights with the library's
    /// run. A part the library still stands in for (one you have not written) is named too.
    /// </summary>
    public static ExerciseResult YourNetwork(NetworkParts? yours)
    {
        const string Idea = "Your network is the library's four steps in your own code: forward (keeping each layer's cache), cost, backward from the output " +
                            "down, and the update of every layer — repeated, with the cost of each iteration's forward pass recorded and reported.";
        const string Equation = "for i = 1 … iterations:  (AL, caches) = Forward(X, parameters);  cost = ComputeCost(AL, Y);  grads = Backward(AL, Y, caches);  " +
                                "UpdateParameters(parameters, grads, α);  report(i, cost)  — i counts from 1.";
        if (yours is null)
            return new ExerciseResult("YourNetwork", Verdict.NotAnswered, "not answered yet. Make your network from your functions: new NetworkParts(Forward, ComputeCost, Backward, UpdateParameters, Train).", [], null, Idea, Equation);
        StandIn.ClearUsed();
        try
        {
            foreach (var c in new[] { SmallCase(4), MoonsCase(3) })
                if (CompareSteps(yours, c) is { } difference)
                    return Verdicts(difference, Idea, Equation);
            foreach (var c in new[] { SmallCase(5), MoonsCase(5) })
                if (CompareTrain(yours.Train, c) is { } difference)
                    return Verdicts(difference, Idea, Equation);
        }
        catch (StepFailed e)
        {
            return new ExerciseResult("YourNetwork", Verdict.Crashed, e.Message, [], null, Idea, Equation);
        }
        catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
        {
            string who = CodeErrors.WhereInYourCode(e.InnerException ?? e) is { } thrower && thrower != "your code" ? thrower : "one of your functions";
            return new ExerciseResult("YourNetwork", Verdict.NotAnswered,
                $"not answered yet: {who} is not written yet (it throws NotImplementedException). Write it, then run the check again.", [], null, Idea, Equation);
        }
        var standIns = StandIn.Used;
        if (standIns.Count > 0)
            return new ExerciseResult("YourNetwork", Verdict.NotAnswered,
                $"not answered yet: your network still runs the library's {string.Join(", ", standIns)} — functions you have not written yet " +
                "(or wrote but did not save). Everything that is yours matches the library.", [], null, Idea, Equation);
        return new ExerciseResult("YourNetwork", Verdict.Correct,
            "your network matches the library's step by step — every A_prev, W and Z of the forward pass, the cost, every dW and db, every updated W and b — " +
            "on a small random network and on the moons network, and your Train gives the library's costs and weights (all to 1e-12).", [], null, Idea, Equation);
    }

    /// <summary>
    /// Notebook 04: your network — the functions of notebooks 1 to 3, with your Train — on the given data, against the library's
    /// training from the same starting weights (<see cref="DeepNN.InitializeParameters"/>(<paramref name="layerDims"/>)): the cost of every
    /// iteration and the final weights, to 1e-9 of the library's.
    /// </summary>
    public static ExerciseResult TrainingLoop(Func<Matrix<double>, Matrix<double>, Parameters, double, int, Action<int, double>, double[]>? yours,
        Matrix<double> X, Matrix<double> Y, IReadOnlyList<int> layerDims, double learningRate, int iterations)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        ArgumentNullException.ThrowIfNull(layerDims);
        const string Idea = "The same Train you wrote in notebook 3, on new data: nothing in it depends on the data's size.";
        const string Equation = "per iteration: forward, cost, backward, update of every layer; the cost of each iteration's forward pass recorded.";
        if (yours is null) return new ExerciseResult("TrainingLoop", Verdict.NotAnswered, "not answered yet. Write Train in notebook 3 first.", [], null, Idea, Equation);
        StandIn.ClearUsed();
        try
        {
            var c = new TrainingCase("the data given", X, Y, DeepNN.InitializeParameters(layerDims), learningRate, iterations);
            if (CompareTrain(yours, c, tolerance: 1e-9) is { } difference) return Verdicts(difference, Idea, Equation, "TrainingLoop");
        }
        catch (StepFailed e)
        {
            return new ExerciseResult("TrainingLoop", Verdict.Crashed, e.Message, [], null, Idea, Equation);
        }
        catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
        {
            return new ExerciseResult("TrainingLoop", Verdict.NotAnswered, "not answered yet: your Train, or a function it calls, is not written yet.", [], null, Idea, Equation);
        }
        if (StandIn.Used.Count > 0)
            return new ExerciseResult("TrainingLoop", Verdict.NotAnswered,
                $"not answered yet: your network still runs the library's {string.Join(", ", StandIn.Used)}.", [], null, Idea, Equation);
        return new ExerciseResult("TrainingLoop", Verdict.Correct,
            Invariant($"your network gives the library's cost at every one of the {iterations} iterations and its final weights (to 1e-9)."), [], null, Idea, Equation);
    }

    /// <summary>Where yours first differs: the verdict, a line of detail, and the mistake when one is recognised.</summary>
    private sealed record StepDifference(Verdict Verdict, string Message, IReadOnlyList<string> Details, Mistake? Mistake = null);

    private static ExerciseResult Verdicts(StepDifference d, string idea, string equation, string exercise = "YourNetwork") =>
        new(exercise, d.Verdict, d.Mistake is { } m && !d.Message.Contains(m.Name, StringComparison.Ordinal) ? $"{d.Message} It looks like {m.Name}." : d.Message,
            d.Details, d.Mistake, idea, equation);

    /// <summary>
    /// Each step from the library's own state: the library's parameters into your Forward, its AL and caches into your Backward, its
    /// gradients into your UpdateParameters — so a difference is your function's alone. The first difference, or null.
    /// </summary>
    private static StepDifference? CompareSteps(NetworkParts yours, TrainingCase c)
    {
        var p = c.Start.Clone();
        int L = p.LayerCount;
        for (int step = 1; step <= c.Iterations; step++)
        {
            string at = Invariant($"On {c.Name}, step {step}");
            var (al, caches) = Reference.Forward(c.X, p);

            var given = p.Clone();
            var x = c.X.Clone();
            var (myAl, myCaches) = Run(() => yours.Forward(x, given), "Forward", at);
            if (Compare(myAl, al, $"{at}: your AL differs", Exact) is { } alDiffers) return alDiffers;
            for (int l = 1; l <= L; l++)
            {
                var mine = myCaches is not null && l < myCaches.Length ? myCaches[l] : null;
                foreach (var (name, m, e) in new[] { ("A_prev", mine?.A_prev, caches[l].A_prev), ("W", mine?.W, caches[l].W), ("Z", mine?.Z, caches[l].Z) })
                    if (Compare(m, e, Invariant($"{at}, layer {l}: your caches[{l}].{name} differs"), Exact) is { } differs) return differs;
            }
            if ((Unchanged(given, p) ?? (x.Equals(c.X) ? null : "X")) is { } changed)
                return new(Verdict.Mistake, $"{at}: your Forward changed {changed}, which it was given.", [], Mistakes.ChangedItsInput);

            double cost = Reference.ComputeCost(al, c.Y);
            double myCost = Run(() => yours.ComputeCost(al, c.Y), "ComputeCost", at);
            if (Compare(Number(myCost), Number(cost), $"{at}: your cost differs", Exact, numbers: true) is { } costDiffers) return costDiffers;

            var grads = Reference.Backward(al, c.Y, caches);
            var givenCaches = caches.Select(k => k is null ? null! : new Cache(k.A_prev.Clone(), k.W.Clone(), k.Z.Clone())).ToArray();
            var myGrads = Run(() => yours.Backward(al.Clone(), c.Y, givenCaches), "Backward", at);
            for (int l = 1; l <= L; l++)
                if (!givenCaches[l].Z.Equals(caches[l].Z) || !givenCaches[l].A_prev.Equals(caches[l].A_prev))
                    return new(Verdict.Mistake, Invariant($"{at}: your Backward changed caches[{l}], which it was given."), [], Mistakes.ChangedItsInput);
            for (int l = L; l >= 1; l--)
            {
                var mine = myGrads is not null && l < myGrads.Length ? myGrads[l] : null;
                foreach (var (name, m, e) in new[] { ("dW", mine?.dW, grads[l].dW), ("db", mine?.db, grads[l].db) })
                    if (Compare(m, e, Invariant($"{at}, layer {l}: your {name} differs"), Exact, divides: true) is { } differs) return differs;
            }

            var before = p.Clone();
            var updated = p.Clone();
            var givenGrads = grads.Select(g => g is null ? null! : new Grads(g.dW.Clone(), g.db.Clone())).ToArray();
            Run(() => { yours.UpdateParameters(updated, givenGrads, c.Alpha); return 0; }, "UpdateParameters", at);
            for (int l = 1; l <= L; l++)
                if (!givenGrads[l].dW.Equals(grads[l].dW) || !givenGrads[l].db.Equals(grads[l].db))
                    return new(Verdict.Mistake, Invariant($"{at}: your UpdateParameters changed grads[{l}], which it was given."), [], Mistakes.ChangedItsInput);
            Reference.UpdateParameters(p, grads, c.Alpha);
            // Nothing changed at all is one mistake (the new matrices never reached the network), not "layer 1 skipped".
            if (Enumerable.Range(1, L).All(l => updated.W[l].Equals(before.W[l]) && updated.b[l].Equals(before.b[l])))
                return new(Verdict.Mistake, Invariant($"{at}: your UpdateParameters left every W and every b as it was."), [], Mistakes.UpdateNotStored);
            for (int l = 1; l <= L; l++)
                foreach (var (name, m, e, was) in new[] { ("W", updated.W[l], p.W[l], before.W[l]), ("b", updated.b[l], p.b[l], before.b[l]) })
                {
                    bool leftAsItWas = m.Equals(was) && !e.Equals(was);
                    if (leftAsItWas)
                        return new(Verdict.Mistake, Invariant($"{at}, layer {l}: your UpdateParameters left {name} as it was."), [],
                            l == L ? Mistakes.UpdateSkipsOutputLayer : l == 1 ? Mistakes.UpdateSkipsFirstLayer : Mistakes.UpdateNotStored);
                    if (Compare(m, e, Invariant($"{at}, layer {l}: your {name} after the update differs"), Exact) is not { } differs) continue;
                    // The step taken the other way: yours moved each entry by minus the library's step (uphill).
                    return Compare(m - was, was - e, "", Exact) is null
                        ? new(Verdict.Mistake, Invariant($"{at}, layer {l}: your UpdateParameters moved {name} by minus the library's step: uphill, along +d{name}."), [],
                            Mistakes.UpdateWrongSign)
                        : differs;
                }
        }
        return null;
    }

    /// <summary>Your Train against the library's from the same start: every cost, the final weights, and the reports. The first difference, or null.</summary>
    private static StepDifference? CompareTrain(Func<Matrix<double>, Matrix<double>, Parameters, double, int, Action<int, double>, double[]> yours, TrainingCase c, double tolerance = Exact)
    {
        var expected = c.Start.Clone();
        var costs = Reference.Train(c.X, c.Y, expected, c.Alpha, c.Iterations, (_, _) => { });
        var mine = c.Start.Clone();
        var reports = new List<(int Iteration, double Cost)>();
        var myCosts = Run(() => yours(c.X, c.Y, mine, c.Alpha, c.Iterations, (i, cost) => reports.Add((i, cost))), "Train", $"On {c.Name}");
        string at = $"On {c.Name}, your Train";
        if (myCosts is null) return new(Verdict.Wrong, $"{at} returned null: return the array of the costs, one per iteration.", []);
        if (myCosts.Length != c.Iterations)
            return new(Verdict.Wrong, Invariant($"{at} returned {myCosts.Length} costs for {c.Iterations} iterations: one per iteration, from its forward pass."), []);
        for (int i = 0; i < c.Iterations; i++)
        {
            if (Math.Abs(myCosts[i] - costs[i]) <= tolerance * Math.Abs(costs[i])) continue;
            string why = i + 1 < costs.Length && Math.Abs(myCosts[i] - costs[i + 1]) <= tolerance * Math.Abs(costs[i + 1])
                ? " It is the library's next cost: is the cost recorded after the update?" : "";
            var mistake = why.Length > 0 ? Mistakes.CostAfterUpdate : null;
            return new(mistake is null ? Verdict.Wrong : Verdict.Mistake,
                Invariant($"{at}: the cost of iteration {i + 1} is {myCosts[i]:G10} where the library's is {costs[i]:G10}.{why}"), [], mistake);
        }
        for (int l = 1; l <= expected.LayerCount; l++)
        {
            if (Compare(mine.W[l], expected.W[l], Invariant($"{at}: layer {l}'s W at the end differs"), tolerance) is { } wDiffers) return wDiffers;
            if (Compare(mine.b[l], expected.b[l], Invariant($"{at}: layer {l}'s b at the end differs"), tolerance) is { } bDiffers) return bDiffers;
        }
        if (reports.Count == 0) return new(Verdict.Mistake, $"{at} never called report.", [], Mistakes.NeverReports);
        var expectedReports = Enumerable.Range(1, c.Iterations).Select(i => (i, costs[i - 1])).ToList();
        if (reports.Count != c.Iterations || reports.Select(r => r.Iteration).Where((n, k) => n != k + 1).Any())
            return new(Verdict.Wrong, Invariant($"{at} called report {reports.Count} times, with iterations {string.Join(", ", reports.Take(6).Select(r => r.Iteration))}{(reports.Count > 6 ? ", …" : "")}: once per iteration, numbered 1, 2, 3, …"), []);
        return null;
    }

    /// <summary>Null when <paramref name="mine"/> is <paramref name="expected"/> to within <paramref name="relative"/> of its largest entry; else the difference.</summary>
    private static StepDifference? Compare(Matrix<double>? mine, Matrix<double> expected, string what, double relative, bool numbers = false, bool divides = false)
    {
        if (mine is null) return new(Verdict.Wrong, $"{what}: yours is null — not computed yet.", []);
        var difference = Grader.Difference(mine, expected, relative * Grader.Scale(expected), numbers, divides, out _);
        return difference is null ? null : new(Verdict.Wrong, $"{what} — {difference}", []);
    }

    /// <summary>The first parameter matrix of <paramref name="after"/> that is not the one in <paramref name="before"/>, by name, or null.</summary>
    private static string? Unchanged(Parameters after, Parameters before)
    {
        for (int l = 1; l <= before.LayerCount; l++)
        {
            if (!after.W[l].Equals(before.W[l])) return Invariant($"parameters.W[{l}]");
            if (!after.b[l].Equals(before.b[l])) return Invariant($"parameters.b[{l}]");
        }
        return null;
    }

    /// <summary>Runs one of your functions; an exception becomes a <see cref="StepFailed"/> that names the function and the step.</summary>
    private static T Run<T>(Func<T> yours, string function, string at)
    {
        try
        {
            return yours();
        }
        catch (Exception e) when (e is not (NotImplementedException or OutOfMemoryException) && e.InnerException is not NotImplementedException)
        {
            throw new StepFailed($"{at}: your {function} stopped with an error. {CodeErrors.Explain(e).Explanation}");
        }
    }

    /// <summary>One of the student's functions threw during a comparison.</summary>
    private sealed class StepFailed(string message) : Exception(message);
}
