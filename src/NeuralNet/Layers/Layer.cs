using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// One layer l of a network: its weights W (units × inputs), biases b (units × 1) and activation g.
/// Its forward step, A = g(W·A_prev + b), and backward step are <see cref="DeepNN.LinearActivationForward"/> and
/// <see cref="DeepNN.LinearActivationBackward"/>; a network runs them for every layer in <see cref="DeepNN"/>'s loops.
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

    /// <inheritdoc />
    public override string ToString() =>
        Invariant($"Layer {Index}: {Inputs} → {Units} units, {Activation.Name}; W {Shape.Of(W)}, b {Shape.Of(b)}; {ParameterCount:N0} parameters");
}
