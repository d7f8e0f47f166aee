using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// The equations of the network, one line each — the equation table of docs/theory.md points here. The forward loop and
/// the backward loop are the ones every pass runs: <see cref="DeepNN"/>'s step functions and <see cref="Network"/> into
/// fresh matrices, the trainer into matrices it reuses every step, so the loop you read here is the loop that trains.
/// The products are <c>Gemm.Multiply(A, transposeA, B, transposeB, C, alpha, beta)</c>: C = alpha·op(A)·op(B) + beta·C,
/// where op transposes its matrix when the flag after it is true (BLAS's gemm, see Kernels/README.md).
/// </summary>
internal static class Backprop
{
    /// <summary>
    /// The forward loop — the one every forward pass runs, step by step or in training: A_0 = X, then for
    /// l = 1 … L, Z_l = W_l·A_{l−1} + b_l and A_l = g_l(Z_l), into <paramref name="into"/>'s matrices. With
    /// <paramref name="dropout"/>, each hidden layer's output is multiplied by a fresh mask D (kept in its
    /// cache); the layer above reads A ⊙ D, while g'(Z) on the way back still uses A = g(Z).
    /// </summary>
    public static void Forward(Matrix<double> X, ForwardResult into, Dropout? dropout = null)
    {
        var a = X;                                                   // A_0 = X
        int L = into.Caches.Count;
        for (int l = 1; l <= L; l++)
        {
            var cache = into.Caches[l];
            LayerForward(a, cache);
            bool hidden = l < L;
            if (dropout is not null && hidden) dropout.Apply(cache);
            else cache.Mask = null;
            a = cache.Output;   // A_l, or A_l ⊙ D_l under dropout: what layer l + 1 reads
        }
    }

    /// <summary>One layer's forward step into its cache: Z = W·A_prev + b, A = g(Z).</summary>
    public static void LayerForward(Matrix<double> aPrev, LayerCache cache)
    {
        cache.A_prev = aPrev;
        LinearForward(aPrev, cache.W, cache.b, cache.Z);
        cache.Activation.Forward(cache.Z, cache.A);                   // A_l = g_l(Z_l)
    }

    /// <summary>Z = W·A_prev + b (b added to every column): Z starts as b in every column, then the product is added to it.</summary>
    public static void LinearForward(Matrix<double> aPrev, Matrix<double> w, Matrix<double> b, Matrix<double> z)
    {
        Elementwise.BroadcastColumn(b, z);                            // b_l in every column of Z_l, then
        Gemm.Multiply(w, false, aPrev, false, z, alpha: 1.0, beta: 1.0);   // Z_l = W_l·A_{l−1} + b_l
    }

    /// <summary>
    /// The backward loop — the one every backward pass runs, step by step or in training — into
    /// <paramref name="into"/>'s matrices. L2 enters here and
    /// only here: with <paramref name="l2OverM"/> = λ/m &gt; 0 each dW_l gains (λ/m)·W_l, the gradient of the
    /// cost's (λ/2m)·Σ‖W‖² (see <see cref="L2Penalty"/>). Under dropout, dA_l is multiplied by the same mask D_l
    /// the forward pass used.
    /// </summary>
    public static void Backward(ForwardResult forward, Matrix<double> Y, Cost cost, double l2OverM, Gradients into)
    {
        int L = forward.Caches.Count;
        var output = forward.Caches[L];
        var top = into[L];
        // With the paired output (sigmoid and binary cross-entropy, softmax and categorical), the output's dZ is direct and
        // dA_L is not needed (null: the loop below then skips g'(Z) at layer L); any other pairing starts from dA_L.
        if (cost.TryOutputDelta(output.Activation, output.A, Y, top.dZ)) top.dA = null;   // dZ_L = AL − Y
        else cost.Gradient(output.A, Y, top.dA ??= Matrix<double>.Build.Dense(Y.RowCount, Y.ColumnCount));   // dA_L = ∂loss/∂AL
        for (int l = L; l >= 1; l--)
        {
            var cache = forward.Caches[l];
            var grads = into[l];
            if (l < L && cache.Mask is { } mask) grads.dA!.PointwiseMultiply(mask, grads.dA);   // dA_l ← dA_l ⊙ D_l
            if (grads.dA is not null) cache.Activation.Backward(grads.dA, cache.Z, cache.A, grads.dZ);   // dZ_l = dA_l ⊙ g'(Z_l)
            // dA_prev is layer l − 1's dA (Gradients.Allocate makes them one matrix): writing it hands the gradient down.
            LinearBackward(grads.dZ, cache.A_prev, cache.W, grads.dW, grads.db, grads.dA_prev);
            if (l2OverM != 0) AddScaled(grads.dW, cache.W, l2OverM);                             // dW_l += (λ/m)·W_l
        }
    }

    /// <summary>dW = dZ·A_prevᵀ / m, db = Σ_columns dZ / m and, when asked for, dA_prev = Wᵀ·dZ.</summary>
    public static void LinearBackward(Matrix<double> dZ, Matrix<double> aPrev, Matrix<double> w,
        Matrix<double> dW, Matrix<double> db, Matrix<double>? dAPrev)
    {
        double inverseM = 1.0 / dZ.ColumnCount;
        Gemm.Multiply(dZ, false, aPrev, true, dW, alpha: inverseM, beta: 0.0);   // dW_l = dZ_l·A_{l−1}ᵀ / m
        Elementwise.RowSums(dZ, db, inverseM);                                     // db_l = Σ_j dZ_l[:, j] / m
        if (dAPrev is not null) Gemm.Multiply(w, true, dZ, false, dAPrev);         // dA_{l−1} = W_lᵀ·dZ_l
    }

    /// <summary>(λ/m)/2 · Σ_l ‖W_l‖², the L2 term of the cost, given λ/m (its gradient is added in <see cref="Backward"/>).</summary>
    public static double L2Penalty(ForwardResult forward, double l2OverM)
    {
        if (l2OverM == 0) return 0;
        double sum = 0;
        for (int l = 1; l <= forward.Caches.Count; l++)
            foreach (double w in Shape.Values(forward.Caches[l].W)) sum += w * w;
        return l2OverM / 2.0 * sum;                                   // (λ/2m)·Σ_l ‖W_l‖²
    }

    private static void AddScaled(Matrix<double> target, Matrix<double> source, double factor)
    {
        var t = Shape.Values(target);
        var s = Shape.Values(source);
        for (int i = 0; i < t.Length; i++) t[i] += factor * s[i];
    }

    /// <summary>θ ← θ − α·g, element by element.</summary>
    public static void Step(double[] parameter, double[] gradient, double learningRate)
    {
        for (int i = 0; i < parameter.Length; i++) parameter[i] -= learningRate * gradient[i];   // θ ← θ − α·g
    }
}

/// <summary>
/// Inverted dropout during one training run: the rate p and the generator that draws the masks, which goes on
/// from step to step (and from one training call to the next).
/// </summary>
internal sealed class Dropout(double rate, NumPyRandom masks)
{
    /// <summary>Draws a fresh mask D for the layer (0 with probability p, else 1/(1 − p)) and computes A ⊙ D, both kept in the cache.</summary>
    public void Apply(LayerCache cache)
    {
        var a = cache.A;
        cache.Mask ??= Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        cache.Dropped ??= Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        var d = Shape.Values(cache.Mask);
        var av = Shape.Values(a);
        var dropped = Shape.Values(cache.Dropped);
        double keep = 1 - rate;
        for (int k = 0; k < d.Length; k++)
        {
            d[k] = masks.NextDouble() < keep ? 1 / keep : 0;
            dropped[k] = av[k] * d[k];                                // A ⊙ D
        }
    }
}
