using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// Layer l's block of the chain-rule table: from its dZ come its three gradients,
/// dW = dZ·A_prevᵀ / m, db = Σ_columns dZ / m and dA_prev = Wᵀ·dZ, which feeds the layer below.
/// </summary>
public sealed class LayerGradients
{
    internal LayerGradients(int layer, Matrix<double>? dA, Matrix<double> dZ, Matrix<double> dW, Matrix<double> db, Matrix<double>? dAPrev)
    {
        Layer = layer;
        this.dA = dA;
        this.dZ = dZ;
        this.dW = dW;
        this.db = db;
        dA_prev = dAPrev;
    }

    /// <summary>The layer number l.</summary>
    public int Layer { get; }

    /// <summary>
    /// ∂J/∂A_l as it arrived from above — the layer above's <see cref="dA_prev"/>, multiplied by this layer's
    /// dropout mask D under dropout (null for an output layer whose cost gave dZ directly).
    /// </summary>
    public Matrix<double>? dA { get; internal set; }

    /// <summary>∂J/∂Z_l = dA ⊙ g'(Z) (per sample, without 1/m).</summary>
    public Matrix<double> dZ { get; }

    /// <summary>∂J/∂W_l = dZ·A_prevᵀ / m: same shape as W.</summary>
    public Matrix<double> dW { get; }

    /// <summary>∂J/∂b_l = the row sums of dZ, / m: same shape as b.</summary>
    public Matrix<double> db { get; }

    /// <summary>∂J/∂A_{l−1} = Wᵀ·dZ, sent to the layer below (null for layer 1: nothing below needs it).</summary>
    public Matrix<double>? dA_prev { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Layer {Layer}: " + (dA is null ? "" : $"dA {Shape.Of(dA)} → ") + $"dZ {Shape.Of(dZ)} → dW {Shape.Of(dW)} | db {Shape.Of(db)}"
        + (dA_prev is null ? " | (no dA_prev: input layer)" : $" | dA_prev {Shape.Of(dA_prev)}");
}

/// <summary>The gradients of a backward pass, by layer number 1 … L.</summary>
public sealed class Gradients : LayerIndexed<LayerGradients>
{
    private Gradients(LayerGradients[] layers) : base(layers) { }

    /// <summary>
    /// Empty gradients for a backward pass over <paramref name="forward"/>'s layers, to be filled by
    /// <see cref="DeepNN.Backward"/>: dZ, dW, db and dA_prev per layer, where layer l's dA is the same matrix
    /// as layer l+1's dA_prev (the output layer's dA is allocated when the cost needs it).
    /// </summary>
    internal static Gradients Allocate(ForwardResult forward)
    {
        int L = forward.Caches.Count, m = forward.Samples;
        var layers = new LayerGradients[L];
        Matrix<double>? dA = null;
        for (int l = L; l >= 1; l--)
        {
            var c = forward.Caches[l];
            var dAPrev = l > 1 ? Matrix<double>.Build.Dense(c.W.ColumnCount, m) : null;
            layers[l - 1] = new LayerGradients(l, dA, Matrix<double>.Build.Dense(c.W.RowCount, m),
                Matrix<double>.Build.Dense(c.W.RowCount, c.W.ColumnCount), Matrix<double>.Build.Dense(c.W.RowCount, 1), dAPrev);
            dA = dAPrev;
        }
        return new Gradients(layers);
    }

    /// <summary>The chain-rule table, from layer L down to layer 1 — the order backprop computes it in.</summary>
    public override string ToString() =>
        "Gradients (backprop order, L down to 1):\n  " + string.Join("\n  ", this.Reverse());
}
