using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- the linear step, twice (notebook 02)

    /// <summary>
    /// Notebook 02: the linear part of a layer's backward step written twice — <paramref name="loops"/> straight from the
    /// index form, dW[i, j] = (1/m)·Σ_k dZ[i, k]·A_prev[j, k], and <paramref name="oneLine"/> as matrix products — each checked
    /// against the library, then the two against each other.
    /// </summary>
    public static ExerciseResult LinearBackward(LinearBackwardFunction? loops, LinearBackwardFunction? oneLine)
    {
        var result = Construction.Grade("LinearBackward",
            [("LinearBackwardLoops", () => LinearBackward(loops, "LinearBackwardLoops")), ("LinearBackward", () => LinearBackward(oneLine))]);
        if (!result.Correct) return result;
        // Both match the library; how close they are to each other shows that loops and products are one computation.
        double largest = Enumerable.Range(0, Cases.Layers.Length).Max(k =>
        {
            var c = LayerCase.Make(6, k);
            var (w1, b1, a1) = loops!(c.dZ, c.A_prev, c.W);
            var (w2, b2, a2) = oneLine!(c.dZ, c.A_prev, c.W);
            return new[] { w1 - w2, b1 - b2, a1 - a2 }.Max(d => d.Enumerate().Max(Math.Abs));
        });
        return new ExerciseResult(result.Exercise, Verdict.Correct,
            Invariant($"your loops and your matrix products match the library, and each other to {largest:G2} (the order of the additions differs, nothing else)."),
            result.Details, null, "", "");
    }

    // ---------------------------------------------------------------- the backward pass (notebook 02)

    /// <summary>One backward case: a forward pass's output, labels and caches.</summary>
    internal sealed record BackwardCase(ForwardCase Net, Matrix<double> AL, Matrix<double> Y, Cache[] Caches);

    private static BackwardCase MakeBackwardCase(int k)
    {
        var net = MakeForwardCase(13, k);
        var (al, caches) = Reference.Forward(net.X, net.P);
        return new BackwardCase(net, al, Cases.Labels(Cases.Random(14, k), al.ColumnCount), caches);
    }

    private static readonly string[] BackwardParts = [.. Enumerable.Range(1, 3).SelectMany(l => new[] { $"grads[{l}].dW", $"grads[{l}].db" })];

    private static Matrix<double>?[] BackwardAnswer(IReadOnlyList<Grads?>? grads) =>
        [.. Enumerable.Range(1, 3).SelectMany(l =>
        {
            var g = grads is not null && l < grads.Count ? grads[l] : null;
            return new[] { g?.dW, g?.db };
        })];

    /// <summary>The backward pass with a changed start (dZ_L) and/or a changed step between layers.</summary>
    private static Grads[] BackwardVariant(BackwardCase c, Func<BackwardCase, Matrix<double>> top, Func<Matrix<double>, Matrix<double>, Matrix<double>> below)
    {
        int L = c.Caches.Length - 1;
        var grads = new Grads[L + 1];
        var dZ = top(c);
        for (int l = L; l >= 1; l--)
        {
            var (dW, db, dAPrev) = Reference.LinearBackward(dZ, c.Caches[l].A_prev, c.Caches[l].W);
            grads[l] = new Grads(dW, db);
            if (l > 1) dZ = below(dAPrev, c.Caches[l - 1].Z);
        }
        return grads;
    }

    private static Matrix<double> Part(Grads[] grads, int l, bool dW) => dW ? grads[l].dW : grads[l].db;

    /// <summary>
    /// Notebook 02: your backward pass, built from your LinearBackward and ReluBackward: those two first (Backward calls them, so a
    /// slip in either would show up as Backward's), then every layer's dW and db against the library's.
    /// </summary>
    public static ExerciseResult Backward(
        Func<Matrix<double>, Matrix<double>, Cache[], Grads[]>? yours,
        LinearBackwardFunction? linearBackward,
        Func<Matrix<double>, Matrix<double>, Matrix<double>>? reluBackward) =>
        Construction.Grade("Backward",
            [("LinearBackward", () => LinearBackward(linearBackward)), ("ReluBackward", () => ReluBackward(reluBackward))],
            ("Backward", () => BackwardPass(yours)));

    /// <summary>The backward loop alone (its ReLU step checked by <see cref="Backward"/> first).</summary>
    internal static ExerciseResult BackwardPass(Func<Matrix<double>, Matrix<double>, Cache[], Grads[]>? yours) =>
        Grader.Grade(new ExerciseSpec<BackwardCase>
        {
            Name = "Backward",
            Task = "Write Backward so that it returns grads, with grads[l] = new Grads(dW, db) for every layer l = L … 1, from the output AL, the labels Y " +
                   "and the caches of your forward pass (ReLU hidden layers, a sigmoid output with the cross-entropy cost).",
            Idea = "Start at the output, where sigmoid and cross-entropy together give dZ_L = AL − Y. Then walk down: each layer's LinearBackward gives its dW " +
                   "and db, and dA_prev — the gradient of the layer below's output. Through that layer's ReLU it becomes the dZ the next step down starts from. " +
                   "Layers are numbered 1 … L, so grads needs L + 1 places.",
            Equation = "dZ_L = AL − Y;  for l = L … 1:  (dW_l, db_l, dA_{l−1}) = LinearBackward(dZ_l, A_{l−1}, W_l),  and if l > 1:  dZ_{l−1} = dA_{l−1} ⊙ relu'(Z_{l−1}).",
            Parts = BackwardParts,
            CaseCount = NetworkShapes.Length,
            Case = MakeBackwardCase,
            Describe = c => Invariant($"AL {Shape.Of(c.AL)}, layers [{string.Join(", ", c.Net.P.LayerDims)}]"),
            Inputs = c => [("AL", c.AL), ("Y", c.Y), .. Enumerable.Range(1, c.Net.L).SelectMany(l => new[] { ($"caches[{l}].A_prev", c.Caches[l].A_prev), ($"caches[{l}].Z", c.Caches[l].Z) })],
            InPlace = "The caches belong to the forward pass that made them; a training step may still read them (the notebook draws them, a gradient check reuses them).",
            Divides = true,
            Library = c => BackwardAnswer(Reference.Backward(c.AL, c.Y, c.Caches))!,
            Mistakes =
            [
                .. Enumerable.Range(1, 3).SelectMany(l => new[] { true, false }.SelectMany(dW => new MistakeVariant<BackwardCase>[]
                {
                    new(Mistakes.SigmoidDerivativeTwice, $"grads[{l}].{(dW ? "dW" : "db")}",
                        c => Part(BackwardVariant(c, t => (t.AL - t.Y).PointwiseMultiply(t.AL.PointwiseMultiply(1 - t.AL)), Reference.ReluBackward), l, dW)),
                    new(Mistakes.GradientSign, $"grads[{l}].{(dW ? "dW" : "db")}",
                        c => Part(BackwardVariant(c, t => t.Y - t.AL, Reference.ReluBackward), l, dW)),
                })),
                .. Enumerable.Range(1, 2).SelectMany(l => new[] { true, false }.SelectMany(dW => new MistakeVariant<BackwardCase>[]
                {
                    new(Mistakes.MissingReluDerivative, $"grads[{l}].{(dW ? "dW" : "db")}", c => Part(BackwardVariant(c, t => t.AL - t.Y, (dA, _) => dA), l, dW)),
                    new(Mistakes.GradsFromZero, $"grads[{l}].{(dW ? "dW" : "db")}", c => Part(Reference.Backward(c.AL, c.Y, c.Caches), l + 1, dW)),
                })),
            ],
        }, yours is null ? null : c => yours(c.AL, c.Y, c.Caches) is { } grads ? BackwardAnswer(grads) : null);

    // ---------------------------------------------------------------- a gradient check of your own (notebook 02)

    /// <summary>A gradient-check case: a small network's cost as a function of one of its parameter matrices.</summary>
    internal sealed record NudgeCase(ForwardCase Net, Matrix<double> Y, int Layer, bool Weights, double Epsilon)
    {
        public Matrix<double> Theta => Weights ? Net.P.W[Layer] : Net.P.b[Layer];

        public double Cost() => Reference.ComputeCost(Reference.Forward(Net.X, Net.P).AL, Y);
    }

    private static NudgeCase MakeNudgeCase(int k)
    {
        var net = MakeForwardCase(15, k);
        var y = Cases.Labels(Cases.Random(16, k), net.X.ColumnCount);
        return new NudgeCase(net, y, Layer: k + 1, Weights: k != 1, Epsilon: new[] { 1e-6, 1e-5, 1e-6 }[k]);
    }

    /// <summary>The slope of the cost in each entry of θ by the two-sided difference, θ put back after each nudge: the library's way.</summary>
    internal static Matrix<double> TwoSided(Func<double> J, Matrix<double> theta, double epsilon, bool oneSided = false, bool halfStep = false)
    {
        var slope = Matrix<double>.Build.Dense(theta.RowCount, theta.ColumnCount);
        for (int i = 0; i < theta.RowCount; i++)
            for (int j = 0; j < theta.ColumnCount; j++)
            {
                double kept = theta[i, j];
                theta[i, j] = kept + epsilon;
                double plus = J();
                theta[i, j] = oneSided ? kept : kept - epsilon;
                double minus = J();
                theta[i, j] = kept;
                slope[i, j] = (plus - minus) / (oneSided || halfStep ? epsilon : 2 * epsilon);
            }
        return slope;
    }

    private static Matrix<double> AllAtOnce(Func<double> J, Matrix<double> theta, double epsilon)
    {
        var kept = theta.Clone();
        theta.MapInplace(t => t + epsilon);
        double plus = J();
        kept.Map(t => t - epsilon, theta);
        double minus = J();
        kept.CopyTo(theta);
        return Matrix<double>.Build.Dense(theta.RowCount, theta.ColumnCount, (plus - minus) / (2 * epsilon));
    }

    /// <summary>
    /// Notebook 02: a gradient check of your own — <paramref name="numericalGradient"/> measures the cost's slope in every entry
    /// of a parameter matrix by nudging it, and <paramref name="relativeError"/> compares two gradients.
    /// </summary>
    public static ExerciseResult GradientCheck(
        Func<Func<double>, Matrix<double>, double, Matrix<double>>? numericalGradient,
        Func<Matrix<double>, Matrix<double>, double>? relativeError) =>
        Construction.Grade("GradientCheck",
            [("NumericalGradient", () => NumericalGradient(numericalGradient)), ("RelativeError", () => RelativeError(relativeError))]);

    internal static ExerciseResult NumericalGradient(Func<Func<double>, Matrix<double>, double, Matrix<double>>? yours) =>
        Grader.Grade(new ExerciseSpec<NudgeCase>
        {
            Name = "NumericalGradient",
            Task = "Write NumericalGradient so that it returns a matrix of theta's shape whose entry [i, j] is the slope of J() in theta[i, j], " +
                   "measured by nudging that entry by ±epsilon (J reads theta, so changing an entry changes what J() returns), with theta left as it was.",
            Idea = "A derivative is a slope: move one number a tiny step up, then the same step down, and divide the change in the cost by the distance " +
                   "between the two points. One entry at a time, every other entry held still — and put each entry back before the next.",
            Equation = "slope[i, j] = ( J(θ with θ[i, j] + ε) − J(θ with θ[i, j] − ε) ) / (2ε)",
            Parts = ["slopes"],
            CaseCount = 3,
            Case = MakeNudgeCase,
            Describe = c => Invariant($"θ = {(c.Weights ? "W" : "b")}[{c.Layer}] {Shape.Of(c.Theta)} of a [{string.Join(", ", c.Net.P.LayerDims)}] network, ε = {c.Epsilon}"),
            Inputs = c => [("theta", c.Theta)],
            InPlace = "A gradient check nudges θ and must put every entry back exactly: the next entry's slope, and the training after the check, need θ as it was.",
            Tolerance = 1e-9,
            Library = c => [TwoSided(c.Cost, c.Theta, c.Epsilon)],
            Mistakes =
            [
                new(Mistakes.OneSidedDifference, "slopes", c => TwoSided(c.Cost, c.Theta, c.Epsilon, oneSided: true)),
                new(Mistakes.HalfTheDistance, "slopes", c => TwoSided(c.Cost, c.Theta, c.Epsilon, halfStep: true)),
                new(Mistakes.NudgedAllAtOnce, "slopes", c => AllAtOnce(c.Cost, c.Theta, c.Epsilon)),
            ],
        }, yours is null ? null : c => [yours(c.Cost, c.Theta, c.Epsilon)]);

    internal static ExerciseResult RelativeError(Func<Matrix<double>, Matrix<double>, double>? yours) =>
        Grader.Grade(new ExerciseSpec<(Matrix<double> A, Matrix<double> B)>
        {
            Name = "RelativeError",
            Task = "Write RelativeError so that it returns how far apart two gradients are, relative to their sizes: ‖a − b‖ / (‖a‖ + ‖b‖), one number.",
            Idea = "A difference of 1e-6 is nothing between gradients of size 1000 and everything between gradients of size 1e-6: divide the size of the " +
                   "difference by the sizes of the two. The size ‖·‖ of a matrix is the square root of the sum of its squared entries.",
            Equation = "relative error = ‖a − b‖ / (‖a‖ + ‖b‖),  ‖M‖ = √(Σ_ij M[i, j]²)  (MathNet: M.FrobeniusNorm())",
            Parts = ["relative error"],
            Numbers = true,
            CaseCount = 3,
            Case = k =>
            {
                var rng = Cases.Random(17, k);
                var a = Cases.Randn(rng, 2 + k, 3, 2.5);
                return (a, a + Cases.Randn(rng, 2 + k, 3, 0.3));
            },
            Describe = c => Cases.Describe(("a", c.A), ("b", c.B)),
            Inputs = c => [("a", c.A), ("b", c.B)],
            Library = c => [Number(RelativeGap(c.A, c.B))],
            Mistakes =
            [
                new(Mistakes.AbsoluteNotRelative, "relative error", c => Number((c.A - c.B).FrobeniusNorm())),
                new(Mistakes.OneSizeOnly, "relative error", c => Number((c.A - c.B).FrobeniusNorm() / c.A.FrobeniusNorm())),
                new(Mistakes.OneSizeOnly, "relative error", c => Number((c.A - c.B).FrobeniusNorm() / c.B.FrobeniusNorm())),
                new(Mistakes.SquaredSizes, "relative error", c => Number(Math.Pow((c.A - c.B).FrobeniusNorm(), 2) / (Math.Pow(c.A.FrobeniusNorm(), 2) + Math.Pow(c.B.FrobeniusNorm(), 2)))),
            ],
        }, yours is null ? null : c => [Number(yours(c.A, c.B))]);

    internal static double RelativeGap(Matrix<double> a, Matrix<double> b) => (a - b).FrobeniusNorm() / (a.FrobeniusNorm() + b.FrobeniusNorm());

    // ---------------------------------------------------------------- the planted bug (notebook 02)

    /// <summary>
    /// Notebook 02: which gradients of <see cref="PlantedBug"/>'s backward pass are wrong, as your gradient check found them:
    /// their names, dW1 … db3.
    /// </summary>
    public static ExerciseResult PlantedBugFound(IEnumerable<string>? wrongGradients)
    {
        const string Task = "List the gradients your gradient check finds wrong in the planted backward pass, by name (\"dW1\", \"db1\", … \"db3\"), as the table above shows them.";
        const string Idea = "Backprop and the nudged slopes agree to about 1e-10 where backprop is right. Where the relative error is far above 1e-7, that gradient is wrong.";
        const string Equation = "wrong where relative error = ‖backprop − numerical‖ / (‖backprop‖ + ‖numerical‖) ≥ 1e-4.";
        var given = wrongGradients?.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList() ?? [];
        if (given.Count == 0)
            return new ExerciseResult("PlantedBugFound", Verdict.NotAnswered, $"not answered yet. {Task} Then run the check again.", [], null, Idea, Equation);
        var known = PlantedBug.GradientNames;
        if (given.FirstOrDefault(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            return new ExerciseResult("PlantedBugFound", Verdict.Wrong,
                $"there is no gradient called \"{unknown}\": the network has {string.Join(", ", known)}.", [], null, Idea, Equation);
        var answer = given.Select(n => known.First(k => k.Equals(n, StringComparison.OrdinalIgnoreCase))).ToHashSet();
        var wrong = PlantedBug.WrongGradients.ToHashSet();
        if (answer.SetEquals(wrong))
            return new ExerciseResult("PlantedBugFound", Verdict.Correct,
                $"{string.Join(" and ", wrong)} are wrong, and nothing else is. {PlantedBug.Explanation}", [], null, "", "");
        if (answer.Overlaps(["dW2", "db2"]) && !answer.IsSupersetOf(wrong))
            return new ExerciseResult("PlantedBugFound", Verdict.Mistake, $"looks like {Mistakes.BlamedTheCause.Name}.",
                [$"you named {string.Join(", ", answer)}; the table's large relative errors are elsewhere."], Mistakes.BlamedTheCause, Idea, Equation);
        string missing = string.Join(", ", wrong.Except(answer));
        string extra = string.Join(", ", answer.Except(wrong));
        return new ExerciseResult("PlantedBugFound", Verdict.Wrong,
            (missing.Length > 0 ? $"{missing} {(wrong.Except(answer).Count() == 1 ? "is" : "are")} wrong too. " : "")
            + (extra.Length > 0 ? $"{extra} {(answer.Except(wrong).Count() == 1 ? "agrees" : "agree")} with the nudged slopes: backprop is right there." : ""),
            [], null, Idea, Equation);
    }
}
