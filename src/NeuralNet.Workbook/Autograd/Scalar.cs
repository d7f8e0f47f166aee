using System.Globalization;
using System.Text;
using static System.FormattableString;

namespace NeuralNet.Autograd;

/// <summary>
/// One number of a computation, remembering how it was made: from which inputs, by which operation, and
/// the operation's <b>local derivative</b> with respect to each input. Arithmetic on scalars builds the
/// computation graph as it computes; <see cref="Backward"/> then walks the graph from this number back to
/// the leaves and gives every node its <see cref="Grad"/>, ∂(this)/∂(node), by the chain rule: a node's
/// gradient is the sum, over the paths out of it, of the products of the local derivatives along each path.
/// </summary>
/// <remarks>
/// The idea of Andrej Karpathy's micrograd, written for this workbook: one neuron at a time, so every
/// derivative of backpropagation can be seen as a number. The matrix code of <see cref="DeepNN"/> computes
/// the same gradients for whole layers at once.
/// </remarks>
/// <example>
/// <code>
/// var w = new Scalar(0.8, "w"); var x = new Scalar(1.5, "x"); var b = new Scalar(-0.5, "b");
/// var z = (w * x + b).As("z");
/// var loss = Scalar.BinaryCrossEntropy(z.Sigmoid("a"), y: 1, "L");
/// loss.Backward();   // w.Grad is now ∂L/∂w
/// </code>
/// </example>
public sealed class Scalar
{
    private readonly Edge[] _inputs;
    private readonly Func<double[], double>? _compute;

    /// <summary>A leaf: a number that is given, not computed (an input, a weight, a bias, a label).</summary>
    /// <param name="value">The number.</param>
    /// <param name="label">Its name in printouts and charts, e.g. "w" or "x₁".</param>
    public Scalar(double value, string? label = null)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), Invariant($"A scalar needs a finite number; {label ?? "this one"} is {value}."));
        Value = value;
        Label = label ?? Format(value);
        Operation = "";
        _inputs = [];
    }

    private Scalar(string operation, string label, Func<double[], double> compute, Func<double[], double[]> localDerivatives, params Scalar[] inputs)
    {
        foreach (var input in inputs) ArgumentNullException.ThrowIfNull(input);
        var values = inputs.Select(s => s.Value).ToArray();
        double value = compute(values);
        if (!double.IsFinite(value))
            throw new ArithmeticException(
                Invariant($"{operation}({string.Join(", ", inputs.Select(s => $"{s.Label} = {Format(s.Value)}"))}) is {value}: ") +
                "the result is not a finite number, so it has no derivative either.");
        var local = localDerivatives(values);
        Value = value;
        Label = label;
        Operation = operation;
        _compute = compute;
        _inputs = inputs.Select((s, i) => new Edge(s, local[i])).ToArray();
    }

    /// <summary>The number this node holds (computed in the forward pass).</summary>
    public double Value { get; }

    /// <summary>
    /// ∂(output)/∂(this node), where the output is the scalar <see cref="Backward"/> was last called on;
    /// 0 before that, and for nodes the output does not depend on.
    /// </summary>
    public double Grad { get; private set; }

    /// <summary>The node's name: given to a leaf, set with <see cref="As"/>, or else the expression that made it.</summary>
    public string Label { get; private set; }

    /// <summary>The label as it reads inside a derivative: "(w·x)" for an expression, so ∂z/∂(w·x) is not ∂z/∂w·x.</summary>
    public string Symbol => Label.IndexOfAny([' ', '·', '+', '−', '×', '/']) >= 0 ? $"({Label})" : Label;

    /// <summary>The operation that made this node ("×", "+", "σ", …); empty for a leaf.</summary>
    public string Operation { get; }

    /// <summary>True for a given number (no inputs).</summary>
    public bool IsLeaf => _inputs.Length == 0;

    /// <summary>The inputs of the operation that made this node, each with its local derivative ∂(this)/∂(input).</summary>
    public IReadOnlyList<Edge> Inputs => _inputs;

    /// <summary>An input of an operation and the local derivative ∂(output)/∂(input) at the values of the forward pass.</summary>
    /// <param name="Input">The input node.</param>
    /// <param name="LocalDerivative">How fast the operation's output changes with this input, the others held fixed.</param>
    public readonly record struct Edge(Scalar Input, double LocalDerivative);

    /// <summary>Names this node (e.g. "z") and returns it, so <c>(w * x + b).As("z")</c> reads like the equation.</summary>
    public Scalar As(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label;
        return this;
    }

    // ------------------------------------------------------------------ operations

    /// <summary>a + b: ∂/∂a = 1, ∂/∂b = 1.</summary>
    public static Scalar operator +(Scalar a, Scalar b) =>
        new("+", $"{a.Label} + {b.Label}", v => v[0] + v[1], _ => [1, 1], a, b);

    /// <summary>a · b: ∂/∂a = b, ∂/∂b = a.</summary>
    public static Scalar operator *(Scalar a, Scalar b) =>
        new("×", $"{Wrap(a)}·{Wrap(b)}", v => v[0] * v[1], v => [v[1], v[0]], a, b);

    /// <summary>a − b: ∂/∂a = 1, ∂/∂b = −1.</summary>
    public static Scalar operator -(Scalar a, Scalar b) =>
        new("−", $"{a.Label} − {Wrap(b)}", v => v[0] - v[1], _ => [1, -1], a, b);

    /// <summary>−a: ∂/∂a = −1.</summary>
    public static Scalar operator -(Scalar a) => new("−", $"−{Wrap(a)}", v => -v[0], _ => [-1], a);

    /// <summary>a + c for a given number c (a constant: it gets no gradient).</summary>
    public static Scalar operator +(Scalar a, double c) => a + new Scalar(c);

    /// <summary>c · a for a given number c.</summary>
    public static Scalar operator *(double c, Scalar a) => new Scalar(c) * a;

    /// <summary>σ(a) = 1 / (1 + e^(−a)): ∂/∂a = σ(a)·(1 − σ(a)).</summary>
    public Scalar Sigmoid(string? label = null) => new("σ", label ?? $"σ({Label})",
        v => 1 / (1 + Math.Exp(-v[0])),
        v => { double s = 1 / (1 + Math.Exp(-v[0])); return [s * (1 - s)]; }, this);

    /// <summary>tanh(a): ∂/∂a = 1 − tanh²(a).</summary>
    public Scalar Tanh(string? label = null) => new("tanh", label ?? $"tanh({Label})",
        v => Math.Tanh(v[0]), v => { double t = Math.Tanh(v[0]); return [1 - t * t]; }, this);

    /// <summary>relu(a) = max(0, a): ∂/∂a = 1 where a &gt; 0, else 0 (the library's choice at the corner a = 0).</summary>
    public Scalar ReLU(string? label = null) => new("relu", label ?? $"relu({Label})",
        v => Math.Max(0, v[0]), v => [v[0] > 0 ? 1 : 0], this);

    /// <summary>ln(a) for a &gt; 0: ∂/∂a = 1/a.</summary>
    public Scalar Log(string? label = null)
    {
        if (Value <= 0)
            throw new ArgumentOutOfRangeException(nameof(label), $"log({Label}) needs {Label} > 0, but {Label} = {Format(Value)}.");
        return new("log", label ?? $"log({Label})", v => Math.Log(v[0]), v => [1 / v[0]], this);
    }

    /// <summary>a²: ∂/∂a = 2a.</summary>
    public Scalar Square(string? label = null) => new("²", label ?? $"{Wrap(this)}²", v => v[0] * v[0], v => [2 * v[0]], this);

    /// <summary>
    /// The binary cross-entropy loss of a prediction a ∈ (0, 1) for the label y ∈ {0, 1} (a given number),
    /// ℓ = −(y·log a + (1 − y)·log(1 − a)), as one operation: ∂ℓ/∂a = −(y/a − (1 − y)/(1 − a)).
    /// (The cost of notebook 1 for one sample; <see cref="Costs.BinaryCrossEntropy"/> for whole matrices.)
    /// </summary>
    public static Scalar BinaryCrossEntropy(Scalar a, double y, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (y is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(y), $"A binary label is 0 or 1, not {Format(y)}.");
        if (a.Value is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(a),
                $"Cross-entropy needs a probability strictly between 0 and 1, but {a.Label} = {Format(a.Value)} (its log would be infinite).");
        return new($"loss (y = {Format(y)})", label ?? $"loss({a.Label})",
            v => -(y * Math.Log(v[0]) + (1 - y) * Math.Log(1 - v[0])),
            v => [-(y / v[0] - (1 - y) / (1 - v[0]))], a);
    }

    /// <summary>The sum of the scalars (one node with every one of them as an input, each with local derivative 1).</summary>
    public static Scalar Sum(IEnumerable<Scalar> terms, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var all = terms.ToArray();
        if (all.Length == 0) throw new ArgumentException("Sum needs at least one term.", nameof(terms));
        return new("Σ", label ?? $"Σ({string.Join(", ", all.Select(t => t.Label))})", v => v.Sum(), v => v.Select(_ => 1.0).ToArray(), all);
    }

    // ------------------------------------------------------------------ backward

    /// <summary>
    /// Backpropagation from this node: sets its <see cref="Grad"/> to 1 (∂out/∂out), then visits the nodes
    /// from the output back to the leaves — each only after every node it feeds — and adds to each input
    /// of a node (its gradient) × (the local derivative). Gradients of a previous call are cleared first,
    /// so calling it again gives the same numbers.
    /// </summary>
    public void Backward()
    {
        var order = Nodes();
        foreach (var node in order) node.Grad = 0;
        Grad = 1;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            foreach (var edge in node._inputs)
                edge.Input.Grad += node.Grad * edge.LocalDerivative;
        }
    }

    /// <summary>Every node this one was computed from, and itself, in an order where each node comes after all its inputs (leaves first, this node last).</summary>
    public IReadOnlyList<Scalar> Nodes()
    {
        var order = new List<Scalar>();
        var seen = new HashSet<Scalar>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Scalar Node, bool Expanded)>();
        stack.Push((this, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded) { order.Add(node); continue; }
            if (!seen.Add(node)) continue;
            stack.Push((node, true));
            for (int i = node._inputs.Length - 1; i >= 0; i--)
                if (!seen.Contains(node._inputs[i].Input)) stack.Push((node._inputs[i].Input, false));
        }
        return order;
    }

    // ------------------------------------------------------------------ checking by nudging

    /// <summary>
    /// This node's value recomputed with <paramref name="leaf"/> changed by <paramref name="change"/>: the
    /// whole graph is evaluated again, every other leaf kept as it was.
    /// </summary>
    public double Recompute(Scalar leaf, double change)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (!leaf.IsLeaf)
            throw new ArgumentException($"{leaf.Label} is computed by '{leaf.Operation}', not given: nudge one of the numbers it is made from.", nameof(leaf));
        var values = new Dictionary<Scalar, double>(ReferenceEqualityComparer.Instance);
        foreach (var node in Nodes())
            values[node] = node.IsLeaf
                ? node.Value + (ReferenceEquals(node, leaf) ? change : 0)
                : node._compute!(node._inputs.Select(e => values[e.Input]).ToArray());
        if (!values.ContainsKey(leaf))
            throw new ArgumentException($"{Label} is not computed from {leaf.Label}.", nameof(leaf));
        return values[this];
    }

    /// <summary>
    /// ∂(this)/∂(leaf) measured, not derived: nudge the leaf by ±ε, recompute the graph, and take the slope
    /// (f(leaf + ε) − f(leaf − ε)) / 2ε. It should agree with the leaf's <see cref="Grad"/> after <see cref="Backward"/>
    /// to about ε² (the central difference's error).
    /// </summary>
    public double NumericalDerivative(Scalar leaf, double epsilon = 1e-6)
    {
        CheckEpsilon(epsilon);
        return (Recompute(leaf, epsilon) - Recompute(leaf, -epsilon)) / (2 * epsilon);
    }

    /// <summary>
    /// The local derivative of this node's operation with respect to its input number <paramref name="input"/>,
    /// measured by nudging only that input by ±ε (the others fixed). Compare with <see cref="Inputs"/>[input].LocalDerivative.
    /// </summary>
    public double NumericalLocalDerivative(int input, double epsilon = 1e-6)
    {
        CheckEpsilon(epsilon);
        if (IsLeaf) throw new InvalidOperationException($"{Label} is a leaf: no operation made it, so it has no local derivatives.");
        if (input < 0 || input >= _inputs.Length)
            throw new ArgumentOutOfRangeException(nameof(input), Invariant($"{Label} = {Operation}(…) has inputs 0 … {_inputs.Length - 1}; {input} is not one of them."));
        double At(double change) => _compute!(_inputs.Select((e, i) => e.Input.Value + (i == input ? change : 0)).ToArray());
        return (At(epsilon) - At(-epsilon)) / (2 * epsilon);
    }

    private static void CheckEpsilon(double epsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), Invariant($"The nudge ε must be a small positive number (e.g. 1e-6), not {epsilon}."));
    }

    // ------------------------------------------------------------------ printing

    /// <summary>"z = 0.7 (+ of w·x, b), grad −0.3318" — the node, how it was made, and its gradient.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Label} = {Format(Value)}");
        if (!IsLeaf) text.Append($"  ({Operation} of {string.Join(", ", _inputs.Select(e => e.Input.Label))})");
        text.Append($", grad {Format(Grad)}");
        return text.ToString();
    }

    /// <summary>
    /// The whole graph as a table, leaves first: each node's value and gradient, and for each operation its
    /// local derivatives — the numbers backpropagation multiplies.
    /// </summary>
    public string ToTable()
    {
        var nodes = Nodes();
        int width = Math.Min(24, nodes.Max(n => n.Label.Length));
        var text = new StringBuilder($"{"node".PadRight(width)}  {"value",10}  {"grad",10}   made by\n");
        foreach (var n in nodes)
        {
            text.Append($"{n.Label.PadRight(width)}  {Format(n.Value),10}  {Format(n.Grad),10}   ");
            text.Append(n.IsLeaf ? "(given)" : $"{n.Operation}: " + string.Join(", ", n._inputs.Select(e => $"∂{n.Symbol}/∂{e.Input.Symbol} = {Format(e.LocalDerivative)}")));
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }

    private static string Wrap(Scalar s) => s.IsLeaf || s.Operation is "σ" or "tanh" or "relu" or "log" or "×" || s.Label.IndexOfAny([' ', '+', '−']) < 0
        ? s.Label : $"({s.Label})";

    /// <summary>A number as the printouts show it: up to 4 significant decimals, invariant culture.</summary>
    public static string Format(double value) =>
        value == 0 ? "0" : Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e5
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("0.###E+0", CultureInfo.InvariantCulture);
}
