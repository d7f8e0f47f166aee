using System.Globalization;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- the scalar engine: what differs, and where (notebook 01a)

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
}
