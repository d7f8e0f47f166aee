using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// What layer l's forward step remembers for its backward step: its input A_prev, its parameters
/// W and b, the linear output Z = W·A_prev + b and the activation A = g(Z). Backprop reads A_prev
/// (for dW), W (for dA_prev), Z (for g'(Z)) and A (sigmoid, tanh and softmax derive from it).
/// Under dropout it also keeps the mask D and the dropped output A ⊙ D that the layer above read.
/// </summary>
public sealed class LayerCache
{
    /// <summary>Layer <paramref name="layer"/>'s cache for a pass of <paramref name="samples"/> columns: Z and A allocated, A_prev set by the pass.</summary>
    internal LayerCache(int layer, Matrix<double> w, Matrix<double> b, Activation activation, int samples)
    {
        Layer = layer;
        W = w;
        this.b = b;
        Activation = activation;
        Z = Matrix<double>.Build.Dense(w.RowCount, samples);
        A = Matrix<double>.Build.Dense(w.RowCount, samples);
    }

    /// <summary>The layer number l (1 … L; 0 when the step was called outside a network).</summary>
    public int Layer { get; }

    /// <summary>A_{l−1}, the layer's input (X for layer 1).</summary>
    public Matrix<double> A_prev { get; internal set; } = null!;

    /// <summary>W_l — the layer's own matrix, not a copy: an update after the forward pass changes it here too.</summary>
    public Matrix<double> W { get; }

    /// <summary>b_l — the layer's own matrix, not a copy.</summary>
    public Matrix<double> b { get; }

    /// <summary>Z_l = W_l·A_{l−1} + b_l.</summary>
    public Matrix<double> Z { get; }

    /// <summary>A_l = g(Z_l).</summary>
    public Matrix<double> A { get; }

    /// <summary>The layer's activation g.</summary>
    public Activation Activation { get; }

    /// <summary>Dropout's mask D (0 with probability p, else 1/(1 − p)) from the last training forward pass; null without dropout.</summary>
    public Matrix<double>? Mask { get; internal set; }

    /// <summary>A ⊙ D, what the layer above read when this layer was dropped out (null without dropout).</summary>
    internal Matrix<double>? Dropped { get; set; }

    /// <summary>What the layer passed upwards: A, or A ⊙ D under dropout.</summary>
    internal Matrix<double> Output => Mask is null ? A : Dropped!;

    /// <inheritdoc />
    public override string ToString() =>
        $"Layer {Layer} cache: A_prev {Shape.Of(A_prev)}, W {Shape.Of(W)}, b {Shape.Of(b)}, Z {Shape.Of(Z)}, A = {Activation.Name}(Z) {Shape.Of(A)}"
        + (Mask is null ? "" : $", dropout mask D {Shape.Of(Mask)}");
}

/// <summary>The output of a forward pass: the prediction AL and every layer's cache.</summary>
public sealed class ForwardResult
{
    private ForwardResult(IReadOnlyList<LayerCache> caches) => Caches = new LayerIndexed<LayerCache>(caches);

    /// <summary>
    /// Empty caches for a forward pass of <paramref name="samples"/> columns through the given layers (W, b and g
    /// of each, referenced, not copied): Z and A allocated here, to be filled by <see cref="Backprop.Forward"/>.
    /// </summary>
    internal static ForwardResult Allocate(IReadOnlyList<(Matrix<double> W, Matrix<double> b, Activation Activation)> layers, int samples) =>
        new(layers.Select((layer, i) => new LayerCache(i + 1, layer.W, layer.b, layer.Activation, samples)).ToArray());

    /// <summary>A_L, the network's output: one column of predictions per sample.</summary>
    public Matrix<double> AL => Caches[Caches.Count].A;

    /// <summary>m, the number of samples (columns) the pass was made for.</summary>
    internal int Samples => AL.ColumnCount;

    /// <summary>The caches, by layer number 1 … L.</summary>
    public LayerIndexed<LayerCache> Caches { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Forward pass: AL {Shape.Of(AL)}, {Caches.Count} caches\n  " + string.Join("\n  ", Caches);
}

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
    /// <see cref="Backprop.Backward"/>: dZ, dW, db and dA_prev per layer, where layer l's dA is the same matrix
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
