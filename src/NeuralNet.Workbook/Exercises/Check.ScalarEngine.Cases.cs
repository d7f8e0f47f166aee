namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- the scalar engine's graphs and its classic mistakes (notebook 01a)

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
}
