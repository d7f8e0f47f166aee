using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// The network's math as separate steps, named as in the original deep_nn.py, so a notebook can run
/// one equation per cell and look at every matrix in between:
/// <list type="number">
/// <item><see cref="InitializeParameters"/>: W_l = randn(n_l, n_{l−1})·0.1, b_l = 0</item>
/// <item><see cref="LinearForward"/>: Z = W·A_prev + b</item>
/// <item><see cref="LinearActivationForward"/>: A = g(Z)</item>
/// <item><see cref="ForwardPass"/>: all layers, X to AL, keeping each layer's cache</item>
/// <item><see cref="ComputeCost"/>: J(AL, Y)</item>
/// <item><see cref="LinearBackward"/>: dW = dZ·A_prevᵀ/m, db = Σ dZ/m, dA_prev = Wᵀ·dZ</item>
/// <item><see cref="LinearActivationBackward"/>: dZ = dA ⊙ g'(Z), then the linear backward</item>
/// <item><see cref="BackwardPass"/>: all layers, L down to 1</item>
/// <item><see cref="UpdateParameters"/>: W ← W − α·dW, b ← b − α·db for every layer</item>
/// </list>
/// Matrices are column-major as in the original: X is (features × samples), W_l is (n_l × n_{l−1}), b_l is (n_l × 1).
/// The two passes are one loop each way (<see cref="Backprop.Forward"/>, <see cref="Backprop.Backward"/>): these step
/// functions and <see cref="Network"/> run them into fresh matrices, the trainer into matrices it reuses every step — so
/// the loops in Backprop.cs are the loops that train.
/// </summary>
public static class DeepNN
{
    /// <summary>
    /// The original's initialisation: one generator seeded with <paramref name="seed"/> (3 in the original),
    /// then for l = 1 … L, W_l = randn(n_l, n_{l−1})·<paramref name="scale"/> and b_l = zeros(n_l, 1).
    /// Gives NumPy's numbers exactly: with dims [12288, 10, 7, 1], W1[0, :3] = 0.17886285, 0.04365099, 0.00964975.
    /// </summary>
    public static Parameters InitializeParameters(IReadOnlyList<int> layerDims, uint seed = 3, double scale = 0.1) =>
        Initialization.Original(seed, scale).Create(layerDims);

    /// <summary>Z = W·A_prev + b: each unit's weighted sum of its inputs, plus its bias (added to every column).</summary>
    public static Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b)
    {
        Checks.Input(0, A_prev, W, b);
        var z = Matrix<double>.Build.Dense(W.RowCount, A_prev.ColumnCount);
        Backprop.LinearForward(A_prev, W, b, z);
        return z;
    }

    /// <summary>One whole layer forward: Z = W·A_prev + b, then A = g(Z). Returns the cache (A is <c>cache.A</c>).</summary>
    public static LayerCache LinearActivationForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b, Activation activation)
    {
        Checks.Input(0, A_prev, W, b);
        ArgumentNullException.ThrowIfNull(activation);
        var cache = new LayerCache(0, W, b, activation, A_prev.ColumnCount);
        Backprop.LayerForward(A_prev, cache);
        return cache;
    }

    /// <summary>
    /// The L-layer forward pass of the original: <paramref name="hidden"/> (ReLU unless given) on layers
    /// 1 … L−1 and <paramref name="output"/> (sigmoid unless given) on layer L. Returns AL and the caches, in fresh matrices.
    /// </summary>
    public static ForwardResult ForwardPass(Matrix<double> X, Parameters parameters, Activation? hidden = null, Activation? output = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var activations = Activations.PerLayer(parameters.LayerCount, hidden ?? Activations.ReLU, output ?? Activations.Sigmoid);
        Checks.Input(1, X, parameters.W[1], parameters.b[1]);
        var forward = ForwardResult.Allocate(
            Enumerable.Range(1, parameters.LayerCount).Select(l => (parameters.W[l], parameters.b[l], activations[l - 1])).ToArray(), X.ColumnCount);
        Backprop.Forward(X, forward);
        return forward;
    }

    /// <summary>The cost J(AL, Y) averaged over the samples; binary cross-entropy unless <paramref name="cost"/> is given.</summary>
    public static double ComputeCost(Matrix<double> AL, Matrix<double> Y, Cost? cost = null) =>
        (cost ?? Costs.BinaryCrossEntropy).Compute(AL, Y);

    /// <summary>
    /// The linear part of backprop for one layer, from its dZ: dW = dZ·A_prevᵀ / m, db = Σ_columns dZ / m,
    /// dA_prev = Wᵀ·dZ (the cache supplies A_prev and W).
    /// </summary>
    public static LayerGradients LinearBackward(Matrix<double> dZ, LayerCache cache)
    {
        Checks.Incoming(dZ, cache, nameof(dZ));
        var build = Matrix<double>.Build;
        var grads = new LayerGradients(cache.Layer, null, dZ, build.Dense(cache.W.RowCount, cache.W.ColumnCount),
            build.Dense(cache.b.RowCount, 1), build.Dense(cache.A_prev.RowCount, cache.A_prev.ColumnCount));
        Backprop.LinearBackward(dZ, cache.A_prev, cache.W, grads.dW, grads.db, grads.dA_prev);
        return grads;
    }

    /// <summary>One whole layer backward: dZ = dA ⊙ g'(Z) through the cached activation, then <see cref="LinearBackward"/>.</summary>
    public static LayerGradients LinearActivationBackward(Matrix<double> dA, LayerCache cache)
    {
        Checks.Incoming(dA, cache, nameof(dA));
        var dZ = Matrix<double>.Build.Dense(cache.Z.RowCount, cache.Z.ColumnCount);
        cache.Activation.Backward(dA, cache.Z, cache.A, dZ);
        var grads = LinearBackward(dZ, cache);
        grads.dA = dA;
        return grads;
    }

    /// <summary>
    /// The L-layer backward pass, into fresh matrices. It starts at the output: dZ_L = AL − Y where the cost and
    /// output activation pair up (sigmoid + binary cross-entropy, softmax + categorical cross-entropy); otherwise
    /// dA_L = ∂loss/∂AL and dZ_L = dA_L ⊙ g'(Z_L). Then, for l = L … 1, each layer's dA_prev is the next dA.
    /// </summary>
    public static Gradients BackwardPass(Matrix<double> AL, Matrix<double> Y, ForwardResult forward, Cost? cost = null)
    {
        ArgumentNullException.ThrowIfNull(AL);
        ArgumentNullException.ThrowIfNull(forward);
        Checks.Labels(forward.Caches.Count, AL.RowCount, AL.ColumnCount, Y, nameof(Y));
        if (!ReferenceEquals(AL, forward.AL) && !AL.Equals(forward.AL))
            throw new ArgumentException("AL must be the forward pass's own output (forward.AL): backprop differentiates the pass that produced it.", nameof(AL));
        var grads = Gradients.Allocate(forward);
        Backprop.Backward(forward, Y, cost ?? Costs.BinaryCrossEntropy, 0, grads);
        return grads;
    }

    /// <summary>
    /// Gradient descent on every layer: W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l for l = 1 … L.
    /// (The original's loop, <c>for l in range(1, L)</c>, stopped before the output layer, which therefore
    /// never learned; this one includes it.)
    /// </summary>
    public static void UpdateParameters(Parameters parameters, Gradients grads, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(grads);
        Checks.LearningRate(learningRate);
        if (grads.Count != parameters.LayerCount)
            throw new ArgumentException($"There are {parameters.LayerCount} layers but gradients for {grads.Count}.", nameof(grads));
        for (int l = 1; l <= parameters.LayerCount; l++)
        {
            var (w, b) = (parameters.W[l], parameters.b[l]);
            var g = grads[l];
            if (g.dW.RowCount != w.RowCount || g.dW.ColumnCount != w.ColumnCount)
                throw new ShapeMismatchException($"Layer {l}: dW is {Shape.Of(g.dW)} but W is {Shape.Of(w)}; a gradient has its parameter's shape.");
            Backprop.Step(Shape.Values(w), Shape.Values(g.dW), learningRate);
            Backprop.Step(Shape.Values(b), Shape.Values(g.db), learningRate);
        }
    }
}
