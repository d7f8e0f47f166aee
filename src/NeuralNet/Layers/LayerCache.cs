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
    /// of each, referenced, not copied): Z and A allocated here, to be filled by <see cref="DeepNN.Forward"/>.
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
