using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// One layer l of a network: its weights W (units × inputs), biases b (units × 1) and activation g.
/// It knows its forward step, A = g(W·A_prev + b), and its backward step, from dA to dW, db and dA_prev.
/// </summary>
public sealed class Layer
{
    internal Layer(int index, Matrix<double> w, Matrix<double> b, Activation activation)
    {
        Index = index;
        W = w;
        this.b = b;
        Activation = activation;
    }

    /// <summary>l, the layer's number (1 is the first hidden layer; the input is layer 0).</summary>
    public int Index { get; }

    /// <summary>W_l: row i holds the weights unit i gives each of its inputs.</summary>
    public Matrix<double> W { get; }

    /// <summary>b_l: one bias per unit.</summary>
    public Matrix<double> b { get; }

    /// <summary>g_l.</summary>
    public Activation Activation { get; }

    /// <summary>n_{l−1}, the number of inputs each unit receives.</summary>
    public int Inputs => W.ColumnCount;

    /// <summary>n_l, the number of units.</summary>
    public int Units => W.RowCount;

    /// <summary>n_l·n_{l−1} weights plus n_l biases.</summary>
    public int ParameterCount => Units * Inputs + Units;

    /// <summary>Z = W·A_prev + b, then A = g(Z); the cache keeps all of them for <see cref="Backward"/>.</summary>
    public LayerCache Forward(Matrix<double> A_prev) => DeepNN.LayerForward(Index, A_prev, W, b, Activation);

    /// <summary>dZ = dA ⊙ g'(Z), then dW = dZ·A_prevᵀ/m, db = Σ dZ/m, dA_prev = Wᵀ·dZ.</summary>
    public LayerGradients Backward(Matrix<double> dA, LayerCache cache) => DeepNN.LinearActivationBackward(dA, cache);

    /// <inheritdoc />
    public override string ToString() =>
        $"Layer {Index}: {Inputs} → {Units} units, {Activation.Name}; W {Shape.Of(W)}, b {Shape.Of(b)}; {ParameterCount:N0} parameters";
}
