using NeuralNet.Autograd;
using static System.FormattableString;

namespace NeuralNet.Exercises;

/// <summary>The operations of notebook 01a's scalar engine.</summary>
internal enum EngineOp { Given, Add, Multiply, Sigmoid, Loss }

/// <summary>One node of a test graph: how it is made, from which earlier nodes (by index), and its name.</summary>
internal sealed record EngineStep(EngineOp Op, string Label, int[] Inputs, double Number = 0, double Y = 0);

/// <summary>One visit of the backward walk: the node whose PassBack runs, and whether its gradient is first set to 1.</summary>
internal readonly record struct Visit(int Node, bool Restart = false);

/// <summary>
/// A computation graph the scalar-engine check builds twice, with the student's engine and with the library's
/// <see cref="Scalar"/>, and walks a third time itself: backward as it should be done, and backward as each classic
/// mistake does it (<see cref="Walk"/>), so that the student's gradients can be recognised.
/// </summary>
internal sealed class EngineGraph
{
    private readonly List<EngineStep> _steps = [];

    public EngineGraph(string title) => Title = title;

    /// <summary>What the graph is, as the check's message says it: "out = x·x (x used twice, as both factors), x = -1.3".</summary>
    public string Title { get; }

    public IReadOnlyList<EngineStep> Steps => _steps;

    /// <summary>The last node: the one Backward is called on.</summary>
    public int Output => _steps.Count - 1;

    /// <summary>Every node's value in the forward pass.</summary>
    public double[] Values { get; private set; } = [];

    // ------------------------------------------------------------ building

    public int Given(string label, double value) => Add(new EngineStep(EngineOp.Given, label, [], value));
    public int Plus(string label, int a, int b) => Add(new EngineStep(EngineOp.Add, label, [a, b]));
    public int Times(string label, int a, int b) => Add(new EngineStep(EngineOp.Multiply, label, [a, b]));
    public int Sigmoid(string label, int z) => Add(new EngineStep(EngineOp.Sigmoid, label, [z]));
    public int Loss(string label, int a, double y) => Add(new EngineStep(EngineOp.Loss, label, [a], Y: y));

    private int Add(EngineStep step)
    {
        _steps.Add(step);
        double[] v = [.. Values, 0];
        var i = step.Inputs;
        v[^1] = step.Op switch
        {
            EngineOp.Given => step.Number,
            EngineOp.Add => v[i[0]] + v[i[1]],
            EngineOp.Multiply => v[i[0]] * v[i[1]],
            EngineOp.Sigmoid => 1 / (1 + Math.Exp(-v[i[0]])),
            _ => -(step.Y * Math.Log(v[i[0]]) + (1 - step.Y) * Math.Log(1 - v[i[0]])),
        };
        Values = v;
        return _steps.Count - 1;
    }

    /// <summary>The library's answer: the graph built with <see cref="Scalar"/>, its Backward run, every node's Grad.</summary>
    public double[] LibraryGradients()
    {
        var nodes = new Scalar[_steps.Count];
        for (int k = 0; k < _steps.Count; k++)
        {
            var s = _steps[k];
            nodes[k] = s.Op switch
            {
                EngineOp.Given => new Scalar(s.Number, s.Label),
                EngineOp.Add => nodes[s.Inputs[0]] + nodes[s.Inputs[1]],
                EngineOp.Multiply => nodes[s.Inputs[0]] * nodes[s.Inputs[1]],
                EngineOp.Sigmoid => nodes[s.Inputs[0]].Sigmoid(),
                _ => Scalar.BinaryCrossEntropy(nodes[s.Inputs[0]], s.Y),
            };
        }
        nodes[Output].Backward();
        return nodes.Select(n => n.Grad).ToArray();
    }

    // ------------------------------------------------------------ reading

    /// <summary>"z = w·x + b", or "w·x" when the name is the formula; "x" for a given number.</summary>
    public string Describe(int k)
    {
        string formula = Formula(k);
        return _steps[k].Op == EngineOp.Given || formula == _steps[k].Label ? _steps[k].Label : $"{_steps[k].Label} = {formula}";
    }

    public string Formula(int k)
    {
        var s = _steps[k];
        string In(int slot) => _steps[s.Inputs[slot]].Label;
        return s.Op switch
        {
            EngineOp.Given => s.Label,
            EngineOp.Add => $"{In(0)} + {In(1)}",
            EngineOp.Multiply => $"{In(0)}·{In(1)}",
            EngineOp.Sigmoid => $"σ({In(0)})",
            _ => Invariant($"loss({In(0)}, y = {s.Y})"),
        };
    }

    /// <summary>The correct local derivative ∂(node k)/∂(its input number <paramref name="slot"/>) at the forward values.</summary>
    public double Local(int k, int slot)
    {
        var s = _steps[k];
        double a = Values[s.Inputs[0]];
        return s.Op switch
        {
            EngineOp.Add => 1,
            EngineOp.Multiply => Values[s.Inputs[1 - slot]],
            EngineOp.Sigmoid => Values[k] * (1 - Values[k]),
            EngineOp.Loss => -(s.Y / a - (1 - s.Y) / (1 - a)),
            _ => throw new ArgumentOutOfRangeException(nameof(k), "a given number has no inputs"),
        };
    }

    /// <summary>The nodes that use node k, with the input slot it fills (x·x uses x twice: two entries).</summary>
    public IEnumerable<(int Node, int Slot)> Uses(int k)
    {
        for (int j = 0; j < _steps.Count; j++)
            for (int slot = 0; slot < _steps[j].Inputs.Length; slot++)
                if (_steps[j].Inputs[slot] == k) yield return (j, slot);
    }

    // ------------------------------------------------------------ walking backward

    /// <summary>
    /// The gradients a backward walk leaves: every Grad 0 and the output's 1, then the visits in order, each handing
    /// its node's gradient times each local derivative to the node's inputs — added, or assigned when
    /// <paramref name="assigns"/> says so for that operation. <paramref name="local"/> may change a local derivative
    /// (null: keep it). With <paramref name="runs"/> &gt; 1 and no <paramref name="reset"/>, Backward called again.
    /// </summary>
    public double[] Walk(IEnumerable<Visit> visits, Func<EngineGraph, int, int, double?>? local = null,
        Func<EngineOp, bool>? assigns = null, int runs = 1, bool reset = true)
    {
        var order = visits.ToArray();
        var grad = new double[_steps.Count];
        for (int run = 0; run < runs; run++)
        {
            if (reset) Array.Clear(grad);
            grad[Output] = 1;
            foreach (var visit in order)
            {
                int k = visit.Node;
                var s = _steps[k];
                if (visit.Restart) grad[k] = 1;
                for (int slot = 0; slot < s.Inputs.Length; slot++)
                {
                    double part = grad[k] * (local?.Invoke(this, k, slot) ?? Local(k, slot));
                    if (assigns?.Invoke(s.Op) == true) grad[s.Inputs[slot]] = part;
                    else grad[s.Inputs[slot]] += part;
                }
            }
        }
        return grad;
    }

    /// <summary>The nodes, each after all of its inputs (depth first from the output); <paramref name="remember"/> false lists a node once per path.</summary>
    public List<int> Topological(bool reversedInputs = false, bool remember = true)
    {
        var order = new List<int>();
        var seen = new HashSet<int>();
        void Visit(int k)
        {
            if (remember && !seen.Add(k)) return;
            foreach (int i in Inputs(k, reversedInputs)) Visit(i);
            order.Add(k);
        }
        Visit(Output);
        return order;
    }

    /// <summary>The right walk: a reverse topological order.</summary>
    public IEnumerable<Visit> Backward() => Reversed(Topological());

    /// <summary>Every reverse topological order of the operations (given numbers pass nothing back), up to <paramref name="cap"/> of them.</summary>
    public IEnumerable<Visit[]> AllBackwardOrders(int cap = 5000)
    {
        var operations = Enumerable.Range(0, _steps.Count).Where(k => _steps[k].Op != EngineOp.Given && Reaches(k)).ToArray();
        var waiting = operations.ToDictionary(k => k, k => Uses(k).Select(u => u.Node).Distinct().Count());
        var order = new List<int>();
        int found = 0;
        var results = new List<Visit[]>();
        void Extend()
        {
            if (found >= cap) return;
            if (order.Count == operations.Length)
            {
                results.Add(order.Select(k => new Visit(k)).ToArray());
                found++;
                return;
            }
            foreach (int k in operations)
            {
                if (waiting[k] != 0 || order.Contains(k)) continue;
                order.Add(k);
                var freed = _steps[k].Inputs.Distinct().Where(waiting.ContainsKey).ToArray();
                foreach (int i in freed) waiting[i]--;
                Extend();
                foreach (int i in freed) waiting[i]++;
                order.RemoveAt(order.Count - 1);
            }
        }
        Extend();
        return results;
    }

    /// <summary>Depth first from the output, each node's PassBack as soon as it is reached (no topological order).</summary>
    public IEnumerable<Visit> Preorder(bool reversedInputs, bool remember, bool restart = false)
    {
        var visits = new List<Visit>();
        var seen = new HashSet<int>();
        void Visit(int k)
        {
            if (remember && !seen.Add(k)) return;
            visits.Add(new Visit(k, restart));
            foreach (int i in Inputs(k, reversedInputs)) Visit(i);
        }
        Visit(Output);
        return visits;
    }

    /// <summary>Level by level from the output (breadth first), without a topological order.</summary>
    public IEnumerable<Visit> Breadth(bool reversedInputs, bool remember)
    {
        var visits = new List<Visit>();
        var seen = new HashSet<int> { Output };
        var queue = new Queue<int>([Output]);
        while (queue.Count > 0)
        {
            int k = queue.Dequeue();
            visits.Add(new Visit(k));
            foreach (int i in Inputs(k, reversedInputs))
                if (!remember || seen.Add(i)) queue.Enqueue(i);
        }
        return visits;
    }

    public static IEnumerable<Visit> Reversed(List<int> order) => Enumerable.Range(0, order.Count).Select(i => new Visit(order[order.Count - 1 - i]));

    public static IEnumerable<Visit> Forward(List<int> order) => order.Select(k => new Visit(k));

    /// <summary>True when the walk visits an operation more than once.</summary>
    public bool Repeats(IEnumerable<Visit> visits)
    {
        var operations = visits.Select(v => v.Node).Where(k => _steps[k].Op != EngineOp.Given).ToList();
        return operations.Count != operations.Distinct().Count();
    }

    private int[] Inputs(int k, bool reversed) => reversed ? _steps[k].Inputs.Reverse().ToArray() : _steps[k].Inputs;

    private bool Reaches(int k) => k == Output || Uses(k).Any(u => Reaches(u.Node));
}
