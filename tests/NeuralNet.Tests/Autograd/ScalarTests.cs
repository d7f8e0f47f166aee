using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Autograd;

namespace NeuralNet.Tests.Autograd;

public class ScalarTests
{
    // The one neuron of notebook 01a: z = w·x + b, a = σ(z), L = cross-entropy of a for the label y = 1.
    private static (Scalar x, Scalar w, Scalar b, Scalar z, Scalar a, Scalar L) Neuron(double y = 1)
    {
        var x = new Scalar(1.5, "x");
        var w = new Scalar(0.8, "w");
        var b = new Scalar(-0.5, "b");
        var z = (w * x + b).As("z");
        var a = z.Sigmoid("a");
        var L = Scalar.BinaryCrossEntropy(a, y, "L");
        return (x, w, b, z, a, L);
    }

    [Fact]
    public void The_forward_pass_computes_the_neuron()
    {
        var (_, _, _, z, a, L) = Neuron();
        Assert.Equal(0.7, z.Value, 12);
        Assert.Equal(1 / (1 + Math.Exp(-0.7)), a.Value, 12);
        Assert.Equal(-Math.Log(a.Value), L.Value, 12);
        Assert.Equal(0, L.Grad);                              // nothing until Backward
    }

    [Fact]
    public void Backward_gives_the_chain_rule_products()
    {
        var (x, w, b, z, a, L) = Neuron();
        L.Backward();
        double s = a.Value;
        Assert.Equal(1, L.Grad);
        Assert.Equal(-1 / s, a.Grad, 12);                     // ∂L/∂a
        Assert.Equal(s - 1, z.Grad, 12);                      // ∂L/∂a · σ'(z) = (−1/a)·a(1 − a) = a − y
        Assert.Equal((s - 1) * 1.5, w.Grad, 12);              // · ∂z/∂w = x
        Assert.Equal(s - 1, b.Grad, 12);                      // · ∂z/∂b = 1
        Assert.Equal((s - 1) * 0.8, x.Grad, 12);              // · ∂z/∂x = w
    }

    [Fact]
    public void Every_gradient_matches_nudging_the_leaf()
    {
        foreach (double y in new[] { 0.0, 1.0 })
        {
            var (x, w, b, _, _, L) = Neuron(y);
            L.Backward();
            foreach (var leaf in new[] { x, w, b })
                Assert.Equal(leaf.Grad, L.NumericalDerivative(leaf), 8);
        }
    }

    [Fact]
    public void Every_local_derivative_matches_nudging_its_input()
    {
        var p = new Scalar(0.3, "p");
        var q = new Scalar(-1.7, "q");
        Scalar[] ops =
        [
            p + q, p * q, p - q, -p, p + 2.0, 3.0 * p, p.Sigmoid(), p.Tanh(), q.ReLU(), p.ReLU(), p.Log(), q.Square(),
            Scalar.BinaryCrossEntropy(p, 0), Scalar.BinaryCrossEntropy(p, 1), Scalar.Sum([p, q, p * q]),
        ];
        foreach (var op in ops)
            for (int i = 0; i < op.Inputs.Count; i++)
                Assert.True(Math.Abs(op.Inputs[i].LocalDerivative - op.NumericalLocalDerivative(i)) < 1e-8,
                    $"{op.Label}: input {i} local {op.Inputs[i].LocalDerivative} vs nudged {op.NumericalLocalDerivative(i)}");
    }

    [Fact]
    public void A_number_used_twice_gets_the_sum_of_both_paths()
    {
        var x = new Scalar(3, "x");
        var f = x * x + x;                                    // f' = 2x + 1
        f.Backward();
        Assert.Equal(7, x.Grad, 12);
        Assert.Equal(3, f.Nodes().Count);                     // x, x·x, f: x appears once
    }

    [Fact]
    public void Backward_twice_gives_the_same_gradients_not_double()
    {
        var (_, w, _, _, _, L) = Neuron();
        L.Backward();
        double first = w.Grad;
        L.Backward();
        Assert.Equal(first, w.Grad);
    }

    [Fact]
    public void The_chain_rule_product_equals_the_library_backward_pass()
    {
        var (x, w, b, z, _, L) = Neuron();
        L.Backward();
        var net = new Network(
            new Parameters([Matrix<double>.Build.Dense(1, 1, 0.8)], [Matrix<double>.Build.Dense(1, 1, -0.5)]),
            [Activations.Sigmoid], Costs.BinaryCrossEntropy);
        var X = Matrix<double>.Build.Dense(1, 1, 1.5);
        var Y = Matrix<double>.Build.Dense(1, 1, 1.0);
        var grads = net.Backward(net.Forward(X), Y);
        Assert.Equal(w.Grad, grads[1].dW[0, 0], 12);
        Assert.Equal(b.Grad, grads[1].db[0, 0], 12);
        Assert.Equal(z.Grad, grads[1].dZ[0, 0], 12);
        Assert.Equal(L.Value, net.ComputeCost(X, Y), 12);
        Assert.NotEqual(0, x.Grad);
    }

    [Fact]
    public void Nodes_come_after_their_inputs_and_the_output_last()
    {
        var (x, w, b, z, a, L) = Neuron();
        var nodes = L.Nodes();
        Assert.Equal(7, nodes.Count);                          // x, w, w·x, b, z, a, L
        Assert.Same(L, nodes[^1]);
        foreach (var n in nodes)
            foreach (var e in n.Inputs)
                Assert.True(nodes.ToList().IndexOf(e.Input) < nodes.ToList().IndexOf(n));
        Assert.Contains(x, nodes);
        Assert.Contains(w, nodes);
        Assert.Contains(b, nodes);
        Assert.Contains(z, nodes);
        Assert.Contains(a, nodes);
    }

    [Fact]
    public void It_prints_itself_and_its_graph()
    {
        var (_, _, _, z, _, L) = Neuron();
        L.Backward();
        Assert.Equal("z = 0.7  (+ of w·x, b), grad -0.3318", z.ToString());
        Assert.Equal("w·x", z.Inputs[0].Input.Label);
        string table = L.ToTable();
        Assert.Contains("∂a/∂z = 0.2217", table);
        Assert.Contains("∂z/∂b = 1", table);
        Assert.Contains("(given)", table);
    }

    [Fact]
    public void Recompute_changes_one_leaf_and_keeps_the_graph()
    {
        var (_, w, _, _, _, L) = Neuron();
        double a = 1 / (1 + Math.Exp(-(0.9 * 1.5 - 0.5)));
        Assert.Equal(-Math.Log(a), L.Recompute(w, 0.1), 12);
        Assert.Equal(0.8, w.Value);                            // the graph itself is unchanged
    }

    [Fact]
    public void Errors_name_the_number_and_the_problem()
    {
        var (_, _, _, z, a, L) = Neuron();
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => new Scalar(-2, "u").Log());
        Assert.Contains("u = -2", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => L.Recompute(z, 0.1));
        Assert.Contains("z is computed by '+'", e2.Message);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => Scalar.BinaryCrossEntropy(new Scalar(1, "p"), 1));
        Assert.Contains("p = 1", e3.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Scalar.BinaryCrossEntropy(a, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scalar(double.NaN, "n"));
        var e4 = Assert.Throws<ArgumentException>(() => L.Recompute(new Scalar(1, "other"), 0.1));
        Assert.Contains("not computed from other", e4.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => L.NumericalDerivative(a, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => z.NumericalLocalDerivative(2));
    }
}
