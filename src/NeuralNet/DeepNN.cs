using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Random;

namespace NeuralNet;

/// <summary>
/// The network's math as separate steps, named as in the original deep_nn.py, so a notebook can run
/// one equation per cell and look at every matrix in between:
/// <list type="number">
/// <item><see cref="InitializeParameters"/>: W_l = randn(n_l, n_{l−1})·0.1, b_l = 0</item>
/// <item><see cref="LinearForward"/>: Z = W·A_prev + b</item>
/// <item><see cref="LinearActivationForward"/>: A = g(Z)</item>
/// <item><see cref="ForwardPass(Matrix{double}, Parameters, Activation?, Activation?)"/>: all layers, X to AL, keeping each layer's cache</item>
/// <item><see cref="ComputeCost"/>: J(AL, Y)</item>
/// <item><see cref="LinearBackward"/>: dW = dZ·A_prevᵀ/m, db = Σ dZ/m, dA_prev = Wᵀ·dZ</item>
/// <item><see cref="LinearActivationBackward"/>: dZ = dA ⊙ g'(Z), then the linear backward</item>
/// <item><see cref="BackwardPass"/>: all layers, L down to 1</item>
/// <item><see cref="UpdateParameters"/>: W ← W − α·dW, b ← b − α·db for every layer</item>
/// </list>
/// Matrices are column-major as in the original: X is (features × samples), W_l is (n_l × n_{l−1}), b_l is (n_l × 1).
/// <see cref="Network"/> composes the same steps for real use.
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
        ArgumentNullException.ThrowIfNull(A_prev);
        ArgumentNullException.ThrowIfNull(W);
        ArgumentNullException.ThrowIfNull(b);
        LayerMath.CheckInput(0, A_prev, W, b);
        var z = Matrix<double>.Build.Dense(W.RowCount, A_prev.ColumnCount);
        LayerMath.LinearForward(A_prev, W, b, z);
        return z;
    }

    /// <summary>One whole layer forward: Z = W·A_prev + b, then A = g(Z). Returns the cache (A is <c>cache.A</c>).</summary>
    public static LayerCache LinearActivationForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b, Activation activation) =>
        LayerForward(0, A_prev, W, b, activation);

    internal static LayerCache LayerForward(int layer, Matrix<double> aPrev, Matrix<double> w, Matrix<double> b, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(aPrev);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(activation);
        LayerMath.CheckInput(layer, aPrev, w, b);
        var z = Matrix<double>.Build.Dense(w.RowCount, aPrev.ColumnCount);
        LayerMath.LinearForward(aPrev, w, b, z);
        var a = activation.Forward(z);
        return new LayerCache(layer, aPrev, w, b, z, a, activation);
    }

    /// <summary>
    /// The L-layer forward pass of the original: <paramref name="hidden"/> (ReLU unless given) on layers
    /// 1 … L−1 and <paramref name="output"/> (sigmoid unless given) on layer L. Returns AL and the caches.
    /// </summary>
    public static ForwardResult ForwardPass(Matrix<double> X, Parameters parameters, Activation? hidden = null, Activation? output = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        hidden ??= Activations.ReLU;
        output ??= Activations.Sigmoid;
        var activations = Enumerable.Range(1, parameters.LayerCount)
            .Select(l => l < parameters.LayerCount ? hidden : output).ToArray();
        return ForwardPass(X, parameters, activations);
    }

    /// <summary>The forward pass with one activation per layer (<paramref name="activations"/>[0] is layer 1's).</summary>
    public static ForwardResult ForwardPass(Matrix<double> X, Parameters parameters, IReadOnlyList<Activation> activations)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count != parameters.LayerCount)
            throw new ArgumentException($"There are {parameters.LayerCount} layers but {activations.Count} activations; give one per layer.", nameof(activations));
        var caches = new LayerCache[parameters.LayerCount];
        var a = X;
        for (int l = 1; l <= parameters.LayerCount; l++)
        {
            caches[l - 1] = LayerForward(l, a, parameters.W[l], parameters.b[l], activations[l - 1]);
            a = caches[l - 1].A;
        }
        return new ForwardResult(a, caches);
    }

    /// <summary>The cost J(AL, Y) averaged over the samples; binary cross-entropy unless <paramref name="cost"/> is given.</summary>
    public static double ComputeCost(Matrix<double> AL, Matrix<double> Y, Cost? cost = null) =>
        (cost ?? Costs.BinaryCrossEntropy).Compute(AL, Y);

    /// <summary>
    /// The linear part of backprop for one layer, from its dZ: dW = dZ·A_prevᵀ / m, db = Σ_columns dZ / m,
    /// dA_prev = Wᵀ·dZ (the cache supplies A_prev and W).
    /// </summary>
    public static LayerGradients LinearBackward(Matrix<double> dZ, LayerCache cache) =>
        LayerBackward(null, dZ, cache, computeDAPrev: true);

    /// <summary>One whole layer backward: dZ = dA ⊙ g'(Z) through the cached activation, then <see cref="LinearBackward"/>.</summary>
    public static LayerGradients LinearActivationBackward(Matrix<double> dA, LayerCache cache)
    {
        ArgumentNullException.ThrowIfNull(dA);
        ArgumentNullException.ThrowIfNull(cache);
        var dZ = cache.Activation.Backward(dA, cache.Z, cache.A);
        return LayerBackward(dA, dZ, cache, computeDAPrev: true);
    }

    private static LayerGradients LayerBackward(Matrix<double>? dA, Matrix<double> dZ, LayerCache cache, bool computeDAPrev)
    {
        ArgumentNullException.ThrowIfNull(dZ);
        ArgumentNullException.ThrowIfNull(cache);
        if (dZ.RowCount != cache.Z.RowCount || dZ.ColumnCount != cache.Z.ColumnCount)
            throw new ShapeMismatchException($"Layer {cache.Layer} backward: dZ is {Shape.Of(dZ)} but Z is {Shape.Of(cache.Z)}; they must match.");
        var dW = Matrix<double>.Build.Dense(cache.W.RowCount, cache.W.ColumnCount);
        var db = Matrix<double>.Build.Dense(cache.b.RowCount, 1);
        var dAPrev = computeDAPrev ? Matrix<double>.Build.Dense(cache.A_prev.RowCount, cache.A_prev.ColumnCount) : null;
        LayerMath.LinearBackward(dZ, cache.A_prev, cache.W, dW, db, dAPrev);
        return new LayerGradients(cache.Layer, dA, dZ, dW, db, dAPrev);
    }

    /// <summary>
    /// The L-layer backward pass. It starts at the output: dZ_L = AL − Y where the cost and output activation
    /// pair up (sigmoid + binary cross-entropy, softmax + categorical cross-entropy); otherwise
    /// dA_L = ∂loss/∂AL and dZ_L = dA_L ⊙ g'(Z_L). Then, for l = L … 1, each layer's dA_prev is the next dA.
    /// </summary>
    public static Gradients BackwardPass(Matrix<double> AL, Matrix<double> Y, ForwardResult forward, Cost? cost = null)
    {
        ArgumentNullException.ThrowIfNull(AL);
        ArgumentNullException.ThrowIfNull(Y);
        ArgumentNullException.ThrowIfNull(forward);
        cost ??= Costs.BinaryCrossEntropy;
        var caches = forward.Caches;
        int L = caches.Count;
        var output = caches[L];
        if (Y.RowCount != AL.RowCount || Y.ColumnCount != AL.ColumnCount)
            throw new ShapeMismatchException($"Backward pass: Y is {Shape.Of(Y)} but AL is {Shape.Of(AL)}; Y needs one row per output unit and one column per sample.");

        var grads = new LayerGradients[L];
        var dZL = Matrix<double>.Build.Dense(AL.RowCount, AL.ColumnCount);
        Matrix<double>? dAL = null;
        if (!cost.TryOutputDelta(output.Activation, AL, Y, dZL))
        {
            dAL = cost.Gradient(AL, Y);
            output.Activation.Backward(dAL, output.Z, output.A, dZL);
        }
        grads[L - 1] = LayerBackward(dAL, dZL, output, computeDAPrev: L > 1);
        for (int l = L - 1; l >= 1; l--)
        {
            var dA = grads[l].dA_prev!;
            var cache = caches[l];
            var dZ = cache.Activation.Backward(dA, cache.Z, cache.A);
            grads[l - 1] = LayerBackward(dA, dZ, cache, computeDAPrev: l > 1);
        }
        return new Gradients(grads);
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
        Training.Optimizer.CheckLearningRate(learningRate);
        if (grads.Count != parameters.LayerCount)
            throw new ArgumentException($"There are {parameters.LayerCount} layers but gradients for {grads.Count}.", nameof(grads));
        for (int l = 1; l <= parameters.LayerCount; l++)
        {
            var (w, b) = (parameters.W[l], parameters.b[l]);
            var g = grads[l];
            if (g.dW.RowCount != w.RowCount || g.dW.ColumnCount != w.ColumnCount)
                throw new ShapeMismatchException($"Layer {l}: dW is {Shape.Of(g.dW)} but W is {Shape.Of(w)}; a gradient has its parameter's shape.");
            Training.Sgd.Step(Shape.Values(w), Shape.Values(g.dW), learningRate);
            Training.Sgd.Step(Shape.Values(b), Shape.Values(g.db), learningRate);
        }
    }

    /// <summary>
    /// The original's split: shuffle the column indices with <paramref name="rng"/> (as <c>np.random.shuffle</c>),
    /// the first ⌊m·(1 − testFraction)⌋ columns train and the rest test.
    /// </summary>
    public static (Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest)
        TrainTestSplit(Matrix<double> X, Matrix<double> Y, double testFraction, NumPyRandom rng)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        ArgumentNullException.ThrowIfNull(rng);
        if (X.ColumnCount != Y.ColumnCount)
            throw new ShapeMismatchException($"Train/test split: X has {X.ColumnCount} samples (columns) but Y has {Y.ColumnCount}; they must match.");
        var (train, test) = SplitIndices(X.ColumnCount, testFraction, rng);
        return (Columns(X, train), Columns(Y, train), Columns(X, test), Columns(Y, test));
    }

    /// <summary>As above, with a fresh generator seeded with <paramref name="randomState"/> (the original's random_state).</summary>
    public static (Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Matrix<double> YTest)
        TrainTestSplit(Matrix<double> X, Matrix<double> Y, double testFraction, uint randomState) =>
        TrainTestSplit(X, Y, testFraction, new NumPyRandom(randomState));

    /// <summary>The shuffled column indices of a split of <paramref name="count"/> samples: (train, test).</summary>
    public static (int[] Train, int[] Test) SplitIndices(int count, double testFraction, NumPyRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"The test fraction must be between 0 and 1 (for example 0.2), not {testFraction}.");
        var order = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(order);
        int trainCount = (int)(count * (1 - testFraction));
        if (trainCount == 0 || trainCount == count)
            throw new ArgumentException(
                $"Splitting {count} samples with test fraction {testFraction} leaves {(trainCount == 0 ? "no training" : "no test")} samples; use more samples or another fraction.",
                nameof(testFraction));
        return (order[..trainCount], order[trainCount..]);
    }

    /// <summary>The given columns of <paramref name="m"/>, in that order, as a new matrix.</summary>
    public static Matrix<double> Columns(Matrix<double> m, IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(columns);
        var result = Matrix<double>.Build.Dense(m.RowCount, columns.Count);
        var src = Shape.Values(m);
        var dst = Shape.Values(result);
        int n = m.RowCount;
        for (int j = 0; j < columns.Count; j++)
        {
            int c = columns[j];
            if (c < 0 || c >= m.ColumnCount)
                throw new ArgumentOutOfRangeException(nameof(columns), $"Column {c} does not exist: the matrix is {Shape.Of(m)}.");
            Array.Copy(src, c * n, dst, j * n, n);
        }
        return result;
    }
}
