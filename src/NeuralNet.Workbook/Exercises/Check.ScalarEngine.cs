using System.Globalization;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    private const string EngineName = "ScalarEngine";

    private const string EngineTask =
        "Write the backward half of Node: in operator +, operator *, Sigmoid and Loss, what PassBack hands to each input; and Backward, which lists the nodes " +
        "in a topological order, sets every Grad to 0 and the output's to 1, and calls each node's PassBack from the output back to the leaves.";

    private const string EngineIdea =
        "Each operation knows only its own arrows: its PassBack takes the gradient that has reached its result and hands each input that gradient " +
        "times the input's local derivative. Backward starts at the output with 1 and lets a node hand its gradient on only once it is complete, " +
        "after every node it feeds has handed its part back to it: the reverse of a topological order. A number used in several places collects " +
        "a part along each of its arrows.";

    private const string EngineEquation =
        "Local derivatives: a + b → 1 for a and 1 for b;  a·b → b for a and a for b;  σ(z) → σ(z)(1 − σ(z)), with σ(z) the result's value;  " +
        "loss(a, y) → −(y/a − (1 − y)/(1 − a)).  The gradient of a node = the sum, over the arrows out of it, of (gradient of the arrow's head) × (local derivative).  " +
        "Order: to list a node, first list each of its inputs (a node already listed is skipped), then the node itself; " +
        "walk the list from its end to its start, after Grad = 0 everywhere and Grad = 1 at the output.";

    /// <summary>
    /// Notebook 01a: the student's own scalar engine — a value type with +, ×, Sigmoid and Loss, each with its
    /// backward step, and a Backward that walks the graph in reverse topological order and adds up the gradient
    /// along every path. The check builds its own graphs with the student's type (each operation alone, the
    /// notebook's neuron, x·x, a number on two paths, the notebook's two samples, a deeper chain with skip
    /// connections), runs their Backward, and compares every node's gradient with the library's
    /// <see cref="Autograd.Scalar"/> (to 1e-12); then it runs Backward twice. A wrong answer is named when one of the
    /// classic mistakes (= instead of +=, a wrong order, a node walked twice, a missing local derivative, …)
    /// gives the student's numbers; otherwise the message says which gradient differs first, walking back from
    /// the output, and what should have arrived there.
    /// </summary>
    /// <typeparam name="T">The student's type (Node).</typeparam>
    /// <param name="given">Makes a given number (a leaf): <c>value =&gt; new Node(value)</c>.</param>
    public static ExerciseResult ScalarEngine<T>(Func<double, T>? given) where T : class, IEngineNode<T>
    {
        if (given is null) return EngineResult(Verdict.NotAnswered, $"not answered yet. {EngineTask} Then run the check again.", [], null);
        var graphs = EngineGraphs();
        var library = graphs.Select(g => g.LibraryGradients()).ToArray();
        var yours = new double[]?[graphs.Length];
        int first = -1;
        ExerciseResult? failure = null;
        for (int k = 0; k < graphs.Length; k++)
        {
            string where = Where(graphs, k);
            var (grads, problem) = RunYours(graphs[k], given, where, twice: false);
            yours[k] = grads;
            if (first >= 0) continue;
            if (problem is not null)
            {
                (first, failure) = (k, problem);
                continue;
            }
            if (k == 0 && grads!.All(g => g == 0))
                return Untouched(graphs[k], given)
                    ? EngineResult(Verdict.NotAnswered,
                        "not answered yet: after your Backward every gradient is still 0, even the output's own, where the walk starts (∂out/∂out = 1). " +
                        $"{EngineTask} Then run the check again.", [where], null)
                    : EngineResult(Verdict.Mistake,
                        $"looks like {Mistakes.WalkNotStarted.Name}: your Backward sets the gradients to 0, but after it every gradient is 0, even the output's own, where the walk starts (∂out/∂out = 1).",
                        [where], Mistakes.WalkNotStarted);
            if (!SameGradients(grads!, library[k])) first = k;
        }
        if (failure is not null) return failure;
        if (first >= 0) return Diagnose(graphs, library, yours, first);
        return Twice(given) ?? EngineResult(Verdict.Correct,
            Invariant($"every gradient matches the library's Scalar on all {graphs.Length} graphs, and Backward called twice gives the same gradients again."),
            graphs.Select((g, k) => Invariant($"✔ {g.Title}: {g.Steps.Count} gradients match (largest difference {Largest(yours[k]!, library[k]).ToString("G2", CultureInfo.InvariantCulture)}).")).ToList(),
            null);
    }

    /// <summary>The graphs the check builds, simplest first: each operation alone, then the paths that need adding up and an order.</summary>
    internal static EngineGraph[] EngineGraphs()
    {
        var product = new EngineGraph("out = a·b (one multiplication), a = 1.5, b = -0.8");
        product.Times("out", product.Given("a", 1.5), product.Given("b", -0.8));

        var sum = new EngineGraph("out = a + b (one addition), a = 0.7, b = -1.3");
        sum.Plus("out", sum.Given("a", 0.7), sum.Given("b", -1.3));

        var sigmoid = new EngineGraph("out = σ(z) (the sigmoid alone), z = 0.6");
        sigmoid.Sigmoid("out", sigmoid.Given("z", 0.6));

        var loss1 = new EngineGraph("ℓ = loss(a, y = 1) (the loss alone), a = 0.3");
        loss1.Loss("ℓ", loss1.Given("a", 0.3), 1);

        var loss0 = new EngineGraph("ℓ = loss(a, y = 0) (the loss alone), a = 0.8");
        loss0.Loss("ℓ", loss0.Given("a", 0.8), 0);

        var square = new EngineGraph("out = x·x (x used twice, as both factors), x = -1.3");
        int x = square.Given("x", -1.3);
        square.Times("out", x, x);

        var two = new EngineGraph("out = x·a + x·b (x feeds two products), x = 0.9, a = -1.1, b = 2.5");
        int x2 = two.Given("x", 0.9);
        two.Plus("out", two.Times("x·a", x2, two.Given("a", -1.1)), two.Times("x·b", x2, two.Given("b", 2.5)));

        var samples = new EngineGraph("the two samples of this notebook: J = ½·(ℓ₀ + ℓ₁), w = 0.8 and b = -0.5 feed both samples, x₀ = 1.5 (y₀ = 1), x₁ = -1 (y₁ = 0)");
        int w = samples.Given("w", 0.8), b = samples.Given("b", -0.5);
        int x0 = samples.Given("x₀", 1.5), x1 = samples.Given("x₁", -1.0);
        int l0 = samples.Loss("ℓ₀", samples.Sigmoid("a₀", samples.Plus("z₀", samples.Times("w·x₀", w, x0), b)), 1);
        int l1 = samples.Loss("ℓ₁", samples.Sigmoid("a₁", samples.Plus("z₁", samples.Times("w·x₁", w, x1), b)), 0);
        int total = samples.Plus("ℓ₀ + ℓ₁", l0, l1);
        samples.Times("J", samples.Given("½", 0.5), total);

        var skips = new EngineGraph("three neurons with skip connections, z₂ = z₁ + w₂·h and z₃ = w₃·g + z₂, so z₁ and z₂ each feed two nodes at different depths; " +
                                    "x = 1.5, w₁ = 0.8, b₁ = -0.5, w₂ = -1.2, w₃ = 0.6, y = 1");
        int sx = skips.Given("x", 1.5), w1 = skips.Given("w₁", 0.8), b1 = skips.Given("b₁", -0.5);
        int z1 = skips.Plus("z₁", skips.Times("w₁·x", w1, sx), b1);
        int h = skips.Sigmoid("h", z1);
        int z2 = skips.Plus("z₂", z1, skips.Times("w₂·h", skips.Given("w₂", -1.2), h));
        int g = skips.Sigmoid("g", z2);
        int z3 = skips.Plus("z₃", skips.Times("w₃·g", skips.Given("w₃", 0.6), g), z2);
        skips.Loss("ℓ", skips.Sigmoid("a", z3), 1);

        return [product, sum, sigmoid, loss1, loss0, Neuron(), square, two, samples, skips];
    }

    /// <summary>The neuron of notebook 01a: ℓ = loss(σ(w·x + b), y = 1) with x = 1.5, w = 0.8, b = −0.5.</summary>
    private static EngineGraph Neuron()
    {
        var neuron = new EngineGraph("the neuron of this notebook: ℓ = loss(σ(w·x + b), y = 1), x = 1.5, w = 0.8, b = -0.5");
        int x = neuron.Given("x", 1.5), w = neuron.Given("w", 0.8), b = neuron.Given("b", -0.5);
        neuron.Loss("ℓ", neuron.Sigmoid("a", neuron.Plus("z", neuron.Times("w·x", w, x), b)), 1);
        return neuron;
    }

    /// <summary>The classic mistakes, each as the gradients it leaves on a graph (several: one per order it may walk in).</summary>
    internal static IReadOnlyList<(Mistake Mistake, string What, Func<EngineGraph, IEnumerable<double[]>> Gradients)> EngineMistakes()
    {
        IEnumerable<double[]> Local(EngineGraph g, EngineOp op, Func<EngineGraph, int, int, double> local) =>
            [g.Walk(g.Backward(), (graph, k, slot) => graph.Steps[k].Op == op ? local(graph, k, slot) : null)];
        double In(EngineGraph g, int k, int slot) => g.Values[g.Steps[k].Inputs[slot]];
        double Y(EngineGraph g, int k) => g.Steps[k].Y;

        IEnumerable<double[]> Orders(EngineGraph g, bool repeats) =>
            new[]
            {
                EngineGraph.Forward(g.Topological()),
                g.Preorder(false, true), g.Preorder(true, true), g.Breadth(false, true), g.Breadth(true, true),
                g.Preorder(false, false), g.Preorder(true, false), g.Breadth(false, false), g.Breadth(true, false),
                EngineGraph.Reversed(g.Topological(false, remember: false)), EngineGraph.Reversed(g.Topological(true, remember: false)),
            }.Select(v => v.ToArray()).Where(v => g.Repeats(v) == repeats).Select(v => g.Walk(v));

        var ops = new[] { EngineOp.Add, EngineOp.Multiply, EngineOp.Sigmoid, EngineOp.Loss };
        var subsets = Enumerable.Range(1, 15).Select(bits => ops.Where((_, i) => (bits >> i & 1) == 1).ToHashSet()).ToArray();

        return
        [
            (Mistakes.LocalDerivativeMissing, "your operator * hands the gradient back to a and b unchanged, without the other factor",
                g => Local(g, EngineOp.Multiply, (_, _, _) => 1)),
            (Mistakes.LocalDerivativeMissing, "your operator * hands the gradient back to a unchanged, without the other factor b",
                g => Local(g, EngineOp.Multiply, (gr, k, slot) => slot == 0 ? 1 : In(gr, k, 0))),
            (Mistakes.LocalDerivativeMissing, "your operator * hands the gradient back to b unchanged, without the other factor a",
                g => Local(g, EngineOp.Multiply, (gr, k, slot) => slot == 1 ? 1 : In(gr, k, 1))),
            (Mistakes.WrongLocalDerivative, "your operator * multiplies the gradient for each factor by that factor's own value; the arrow into a carries b, and the arrow into b carries a",
                g => Local(g, EngineOp.Multiply, (gr, k, slot) => In(gr, k, slot))),
            (Mistakes.InputLeftOut, "your operator * passes nothing back to b",
                g => Local(g, EngineOp.Multiply, (gr, k, slot) => slot == 0 ? In(gr, k, 1) : 0)),
            (Mistakes.InputLeftOut, "your operator * passes nothing back to a",
                g => Local(g, EngineOp.Multiply, (gr, k, slot) => slot == 1 ? In(gr, k, 0) : 0)),
            (Mistakes.InputLeftOut, "your operator + passes nothing back to b",
                g => Local(g, EngineOp.Add, (_, _, slot) => slot == 0 ? 1 : 0)),
            (Mistakes.InputLeftOut, "your operator + passes nothing back to a",
                g => Local(g, EngineOp.Add, (_, _, slot) => slot == 1 ? 1 : 0)),
            (Mistakes.LocalDerivativeMissing, "your Sigmoid hands the gradient back to z unchanged, without σ'(z)",
                g => Local(g, EngineOp.Sigmoid, (_, _, _) => 1)),
            (Mistakes.SigmoidDerivativeOfZ, "your Sigmoid multiplies by z(1 − z), with z its input",
                g => Local(g, EngineOp.Sigmoid, (gr, k, _) => In(gr, k, 0) * (1 - In(gr, k, 0)))),
            (Mistakes.ValueForDerivative, "your Sigmoid multiplies by σ(z) itself, not by its slope σ(z)(1 − σ(z))",
                g => Local(g, EngineOp.Sigmoid, (gr, k, _) => gr.Values[k])),
            (Mistakes.LocalDerivativeMissing, "your Loss hands the gradient back to a unchanged, without ∂ℓ/∂a",
                g => Local(g, EngineOp.Loss, (_, _, _) => 1)),
            (Mistakes.GradientSign, "your Loss multiplies by (y/a − (1 − y)/(1 − a)), without the minus in front",
                g => Local(g, EngineOp.Loss, (gr, k, _) => Y(gr, k) / In(gr, k, 0) - (1 - Y(gr, k)) / (1 - In(gr, k, 0)))),
            (Mistakes.SigmoidDerivativeTwice, "your Loss hands back a − y, which is ∂ℓ/∂z; the loss's own arrow, from a to ℓ, carries ∂ℓ/∂a",
                g => Local(g, EngineOp.Loss, (gr, k, _) => In(gr, k, 0) - Y(gr, k))),
            (Mistakes.CostMissingTerm, "your Loss multiplies by −1/a whatever the label, which is ∂ℓ/∂a for y = 1 only",
                g => Local(g, EngineOp.Loss, (gr, k, _) => -1 / In(gr, k, 0))),
            (Mistakes.AssignedNotAdded, "a gradient is assigned (=) where the parts that come back along several arrows must be added up",
                g => subsets.SelectMany(assigned => g.AllBackwardOrders().Select(order => g.Walk(order, assigns: assigned.Contains)))),
            (Mistakes.WalkOrder, "your Backward calls PassBack on a node before every node it feeds has passed its part back to it",
                g => Orders(g, repeats: false)),
            (Mistakes.PassedBackTwice, "your Backward walks a node that is reached along two paths twice",
                g => Orders(g, repeats: true)),
            (Mistakes.RestartedInside, "each node's gradient is set to 1 again when the walk reaches it (Backward called again on the inputs?)",
                g => new[] { g.Preorder(false, true, restart: true), g.Preorder(true, true, restart: true), g.Preorder(false, false, restart: true) }.Select(v => g.Walk(v))),
        ];
    }

    /// <summary>Builds one graph with the student's type, checks its forward values, runs Backward (twice if asked), reads every Grad.</summary>
    private static (double[]? Grads, ExerciseResult? Problem) RunYours<T>(EngineGraph g, Func<double, T> given, string where, bool twice)
        where T : class, IEngineNode<T>
    {
        var nodes = new T[g.Steps.Count];
        string doing = "";
        try
        {
            for (int k = 0; k < g.Steps.Count; k++)
            {
                var s = g.Steps[k];
                T In(int slot) => nodes[s.Inputs[slot]];
                doing = s.Op == EngineOp.Given ? Invariant($"making the given number {s.Label} = {s.Number}") : $"computing {g.Describe(k)} (the forward pass)";
                T? made = s.Op switch
                {
                    EngineOp.Given => given(s.Number),
                    EngineOp.Add => In(0) + In(1),
                    EngineOp.Multiply => In(0) * In(1),
                    EngineOp.Sigmoid => In(0).Sigmoid(),
                    _ => In(0).Loss(s.Y),
                };
                if (made is null)
                    return (null, EngineResult(Verdict.Wrong,
                        s.Op == EngineOp.Given
                            ? "the function given to the check returned null for a given number: it should make a new Node of that value (value => new Node(value))."
                            : $"your {OpName(s.Op)} returned null: an operation returns the new node it made (result).",
                        [where, $"while {doing}."], null));
                nodes[k] = made;
                if (!Same(made.Value, g.Values[k]))
                    return (null, EngineResult(Verdict.Wrong,
                        Invariant($"the value of {g.Describe(k)} is {Show(made.Value)} in yours and {Show(g.Values[k])} in the library's. ") +
                        $"The skeleton computes each operation's value (the forward pass); has the line that computes {OpName(s.Op)}'s value changed?",
                        [where], null));
            }
            doing = "running Backward";
            nodes[g.Output].Backward();
            if (twice)
            {
                doing = "running Backward a second time";
                nodes[g.Output].Backward();
            }
            return (nodes.Select(n => n.Grad).ToArray(), null);
        }
        catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
        {
            return (null, EngineResult(Verdict.NotAnswered, $"not answered yet: {doing} reached code that still throws NotImplementedException. {EngineTask} Then run the check again.", [where], null));
        }
        catch (Exception e)
        {
            var error = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            string? place = PlaceInEngine(error);
            var (explanation, _) = CodeErrors.Explain(error, place is null ? [] : [place], null);
            if (error is IndexOutOfRangeException or ArgumentOutOfRangeException)
                explanation = $"Your code stopped with an error{(place is null ? "" : " in " + place)}: an index went past the end of an array or a list. " +
                              "A node's Inputs holds one node for Sigmoid and Loss (Inputs[0]) and two for + and × (Inputs[0] and Inputs[1]); " +
                              "a list of n nodes has the indices 0 … n−1. Which index was it?";
            return (null, EngineResult(Verdict.Crashed, explanation, [where, $"while {doing}."], null));
        }
    }

    /// <summary>
    /// Where in the student's Node an exception was thrown, in the notebook's words: "the PassBack of your Sigmoid",
    /// "your Backward", "Visit, inside your Backward"; null when it was not in their code (a cell's code lives in Submission#N).
    /// </summary>
    private static string? PlaceInEngine(Exception error)
    {
        foreach (var frame in new System.Diagnostics.StackTrace(error, false).GetFrames())
        {
            var method = frame.GetMethod();
            bool theirs = false;
            for (var t = method?.DeclaringType; t is not null; t = t.DeclaringType)
                theirs |= t.Name.StartsWith("Submission#", StringComparison.Ordinal);
            if (!theirs || method is null) continue;
            string name = method.Name;
            static string Op(string m) => m switch { "op_Addition" => "operator +", "op_Multiply" => "operator *", _ => m };
            var lambda = System.Text.RegularExpressions.Regex.Match(name, @"^<(\w+)>b__");
            if (lambda.Success) return $"the PassBack of your {Op(lambda.Groups[1].Value)}";
            var local = System.Text.RegularExpressions.Regex.Match(name, @"^<(\w+)>g__(\w+)\|");
            if (local.Success) return $"{local.Groups[2].Value}, inside your {Op(local.Groups[1].Value)}";
            return $"your {Op(name)}";
        }
        return null;
    }

    /// <summary>
    /// True when Backward leaves every gradient as it finds it (an unwritten Backward): the graph is built again, each
    /// Grad set to a number of the check's, and Backward run; one that clears them is written, and forgot the 1.
    /// </summary>
    private static bool Untouched<T>(EngineGraph g, Func<double, T> given) where T : class, IEngineNode<T>
    {
        var nodes = new List<T>();
        foreach (var s in g.Steps)
            nodes.Add(s.Op switch
            {
                EngineOp.Given => given(s.Number),
                EngineOp.Add => nodes[s.Inputs[0]] + nodes[s.Inputs[1]],
                EngineOp.Multiply => nodes[s.Inputs[0]] * nodes[s.Inputs[1]],
                EngineOp.Sigmoid => nodes[s.Inputs[0]].Sigmoid(),
                _ => nodes[s.Inputs[0]].Loss(s.Y),
            });
        foreach (var node in nodes) node.Grad = 0.25;
        nodes[^1].Backward();
        return nodes.All(n => n.Grad == 0.25);
    }

    /// <summary>The first graph that differs, in words: the named mistake that gives the student's numbers, or which gradient differs first and what should have arrived there.</summary>
    private static ExerciseResult Diagnose(EngineGraph[] graphs, double[][] library, double[]?[] yours, int first)
    {
        var g = graphs[first];
        var mine = yours[first]!;
        var mistakes = EngineMistakes();
        bool Explains(Func<EngineGraph, IEnumerable<double[]>> gradients, int k) => gradients(graphs[k]).Any(w => Reproduces(yours[k]!, w));
        // Best: one mistake that gives the student's numbers on every graph they ran; else one that gives them on this graph.
        var named = mistakes.FirstOrDefault(m => Enumerable.Range(0, graphs.Length).All(k => yours[k] is null || Explains(m.Gradients, k)));
        if (named.Mistake is null) named = mistakes.FirstOrDefault(m => Explains(m.Gradients, first));

        string output = g.Steps[g.Output].Label;
        var details = new List<string> { Where(graphs, first) };
        var wrong = Enumerable.Range(0, g.Steps.Count).Where(k => !Same(mine[k], library[first][k])).ToList();
        foreach (int k in wrong.Take(6))
        {
            var (x, y) = ShowBoth(mine[k], library[first][k]);
            string trouble = double.IsNaN(mine[k]) ? " (NaN comes from an operation like 0/0 or ∞ − ∞: which one?)" : double.IsInfinity(mine[k]) ? " (∞: a division by 0?)" : "";
            details.Add($"✘ ∂{output}/∂{g.Steps[k].Label}: yours is {x}, the library's is {y}.{trouble}");
        }
        if (wrong.Count > 6) details.Add($"✘ … and {wrong.Count - 6} more.");
        int right = g.Steps.Count - wrong.Count;
        if (right > 0) details.Add(right == 1 ? "✔ the other gradient matches." : $"✔ the other {right} gradients match.");
        bool walk = named.Mistake == Mistakes.WalkOrder || named.Mistake == Mistakes.PassedBackTwice;
        details.Add(Localise(g, library[first], mine, walk));

        return named.Mistake is { } mistake
            ? EngineResult(Verdict.Mistake, $"looks like {mistake.Name}: {named.What}.", details, mistake)
            : EngineResult(Verdict.Wrong, $"∂{output}/∂{g.Steps[First(g, library[first], mine)].Label} differs from the library's, on graph {first + 1}.", details, null);
    }

    /// <summary>The neuron again with Backward called twice: null when the gradients are the same as after one call.</summary>
    private static ExerciseResult? Twice<T>(Func<double, T> given) where T : class, IEngineNode<T>
    {
        var g = Neuron();
        string where = $"Backward called twice on {g.Title}.";
        var (grads, problem) = RunYours(g, given, where, twice: true);
        if (problem is not null) return problem;
        var library = g.LibraryGradients();
        if (SameGradients(grads!, library)) return null;
        var details = new List<string> { where };
        foreach (int k in Enumerable.Range(0, g.Steps.Count).Where(k => !Same(grads![k], library[k])))
        {
            var (x, y) = ShowBoth(grads![k], library[k]);
            details.Add($"✘ ∂ℓ/∂{g.Steps[k].Label} after the second call: yours is {x}; after one call it is {y}, the library's.");
        }
        bool named = Reproduces(grads!, g.Walk(g.Backward(), runs: 2, reset: false));
        return named
            ? EngineResult(Verdict.Mistake, $"looks like {Mistakes.GradientsNotReset.Name}: every graph is right after one Backward, but a second Backward on the same graph adds to what the first left.",
                details, Mistakes.GradientsNotReset)
            : EngineResult(Verdict.Wrong, "every graph is right after one Backward, but a second Backward on the same graph gives other gradients.", details, null);
    }

    /// <summary>
    /// Where the student's gradients first go wrong, walking back from the output, and what should have arrived there. When the mistake
    /// named is the walk's (its order, or a node walked twice), it says where that shows instead of suspecting an operation first.
    /// </summary>
    private static string Localise(EngineGraph g, double[] library, double[] yours, bool walk = false)
    {
        int k = First(g, library, yours);
        string output = g.Steps[g.Output].Label, name = g.Steps[k].Label;
        if (k == g.Output)
            return Invariant($"The walk starts at the output with ∂{output}/∂{output} = 1, but yours is {Show(yours[k])}: does Backward set the output's gradient to 1, after setting every other to 0?");
        var uses = g.Uses(k).Select(u => (u.Node, u.Slot, Local: g.Local(u.Node, u.Slot), Part: library[u.Node] * g.Local(u.Node, u.Slot))).ToList();
        // Walking back from the output, every node that uses k comes before k, so their gradients are right.
        if (uses.Count == 1)
        {
            var (j, slot, local, part) = uses[0];
            string op = OpName(g.Steps[j].Op), input = SlotName(g.Steps[j].Op, slot);
            string head = $"Walking back from the output, ∂{output}/∂{name} is the first gradient that differs. {name} feeds only {g.Describe(j)}, whose gradient is right ({Show(library[j])}).";
            if (walk)
                return head + $" What arrives at {name} depends on when your Backward called the PassBack of that {op}: before its own gradient " +
                       "was complete, it passes back too little (or nothing); called twice, too much. The operation can be right and the walk still wrong.";
            if (yours[k] == 0)
                return head + $" Nothing arrives at {name}: is the PassBack of your {op} written, and does Backward call every node's PassBack?";
            string order = g.Steps.Select((_, i) => g.Uses(i).Count()).Any(n => n > 1) && g.Steps[j].Op != EngineOp.Given
                ? $" (If your {op} is right, look at the order: was its PassBack called before its own gradient was complete?)" : "";
            string here = g.Steps[k].Label == input ? "" : $" (here {name})";
            return head + $" So what your {op} passes back to its input {input}{here} is off: ∂{output}/∂{g.Steps[j].Label} × {LocalText(g, j, slot)} = {Show(library[j])} × {Show(local)} = {Show(part)}; " +
                   $"{name} got {Show(yours[k])}.{order}";
        }
        string parts = string.Join("; ", uses.Select(u => $"from {g.Describe(u.Node)}: {Show(library[u.Node])} × {Show(u.Local)} = {Show(u.Part)}"));
        string which = uses.Any(u => Same(yours[k], u.Part)) ? " Yours is one of the parts alone."
            : yours[k] == 0 ? " Nothing arrived."
            : "";
        return $"Walking back from the output, ∂{output}/∂{name} is the first gradient that differs. {name} is used {Times(uses.Count)}, by nodes whose gradients are right, " +
               $"and each use passes back its part ({parts}). ∂{output}/∂{name} is the sum of the parts, {string.Join(" + ", uses.Select((u, i) => i > 0 && u.Part < 0 ? $"({Show(u.Part)})" : Show(u.Part)))} = {Show(library[k])}; yours is {Show(yours[k])}.{which}";
    }

    /// <summary>
    /// The gradient that differs first, walking back from the output: one whose users all have the right gradient
    /// (so what they pass back to it is known), the nearest to the output, and of two as near the first made (a before b).
    /// </summary>
    private static int First(EngineGraph g, double[] library, double[] yours)
    {
        var steps = new int[g.Steps.Count];
        foreach (var visit in g.Backward())
            steps[visit.Node] = visit.Node == g.Output ? 0 : g.Uses(visit.Node).Min(u => steps[u.Node]) + 1;
        return Enumerable.Range(0, g.Steps.Count)
            .Where(k => !Same(yours[k], library[k]) && g.Uses(k).All(u => Same(yours[u.Node], library[u.Node])))
            .OrderBy(k => steps[k]).ThenBy(k => k)
            .DefaultIfEmpty(g.Backward().Select(v => v.Node).First(k => !Same(yours[k], library[k])))
            .First();
    }

    private static string Where(EngineGraph[] graphs, int k) => Invariant($"Graph {k + 1} of {graphs.Length}: {graphs[k].Title}.");

    private static string Times(int n) => n == 2 ? "twice" : Invariant($"{n} times");

    private static string OpName(EngineOp op) => op switch
    {
        EngineOp.Add => "operator +",
        EngineOp.Multiply => "operator *",
        EngineOp.Sigmoid => "Sigmoid",
        EngineOp.Loss => "Loss",
        _ => "given number",
    };

    /// <summary>The input's name in the notebook's skeleton: a and b of + and ×, z of Sigmoid, a of Loss.</summary>
    private static string SlotName(EngineOp op, int slot) => op switch
    {
        EngineOp.Add or EngineOp.Multiply => slot == 0 ? "a" : "b",
        EngineOp.Sigmoid => "z",
        _ => "a",
    };

    private static string LocalText(EngineGraph g, int j, int slot)
    {
        var s = g.Steps[j];
        return s.Op switch
        {
            EngineOp.Add => "1",
            EngineOp.Multiply => $"the other factor {g.Steps[s.Inputs[1 - slot]].Label}",
            EngineOp.Sigmoid => "σ'(z) = σ(z)(1 − σ(z))",
            _ => "∂ℓ/∂a = −(y/a − (1 − y)/(1 − a))",
        };
    }

    /// <summary>Equal to 1e-12 (relative to the size of the number, at least 1): the same arithmetic in another order.</summary>
    private static bool Same(double mine, double expected) => Math.Abs(mine - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected));

    private static bool SameGradients(double[] mine, double[] expected) => mine.Zip(expected).All(p => Same(p.First, p.Second));

    /// <summary>A mistake's gradients reproduce the student's: to 1e-9 of the largest.</summary>
    private static bool Reproduces(double[] mine, double[] mistake)
    {
        double scale = Math.Max(1, mistake.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
        return mine.Zip(mistake).All(p => p.First.Equals(p.Second) || Math.Abs(p.First - p.Second) <= 1e-9 * scale);
    }

    private static double Largest(double[] mine, double[] expected) => mine.Zip(expected).Max(p => Math.Abs(p.First - p.Second));

    private static string Show(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Two different numbers as text that shows they differ: 6 digits, or all 17 when 6 print the same.</summary>
    private static (string Yours, string Library) ShowBoth(double a, double b)
    {
        string x = Show(a), y = Show(b);
        return x != y ? (x, y) : (a.ToString("G17", CultureInfo.InvariantCulture), b.ToString("G17", CultureInfo.InvariantCulture));
    }

    private static ExerciseResult EngineResult(Verdict verdict, string message, IReadOnlyList<string> details, Mistake? mistake) =>
        new(EngineName, verdict, message, details, mistake, EngineIdea, EngineEquation);
}
