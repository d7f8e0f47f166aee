using System.Globalization;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- the scalar engine (notebook 01a)

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

    private static ExerciseResult EngineResult(Verdict verdict, string message, IReadOnlyList<string> details, Mistake? mistake) =>
        new(EngineName, verdict, message, details, mistake, EngineIdea, EngineEquation);
}
