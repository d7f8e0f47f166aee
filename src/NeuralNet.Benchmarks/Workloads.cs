using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>The registered workloads. Add a line here to time something new.</summary>
internal static class Workloads
{
    /// <summary>The mirror notebook: dims [12288, 10, 7, 1], 207 samples, 1000 full-batch iterations.</summary>
    public static readonly int[] MirrorDims = [12288, 10, 7, 1];
    public const int MirrorSamples = 207, MirrorIterations = 1000;

    /// <summary>Fashion-MNIST: dims [784, 128, 64, 10], batches of 64, one epoch of 60000 samples.</summary>
    public static readonly int[] FmnistDims = [784, 128, 64, 10];
    public const int FmnistBatch = 64, FmnistSamples = 60000;
    public static int FmnistBatchesPerEpoch => (FmnistSamples + FmnistBatch - 1) / FmnistBatch;

    public static IReadOnlyList<Workload> All { get; } =
    [
        TrainingWorkloads.Mirror(),
        TrainingWorkloads.FashionMnistEpoch(),
        ProductSet("mirror-products", MirrorDims, MirrorSamples,
            new PeerLink("mirror", "f64", MirrorIterations, "products only: × 1000 iterations, vs the peer's whole run")),
        ProductSet("fmnist-products", FmnistDims, FmnistBatch,
            new PeerLink("fmnist", "f64", FmnistBatchesPerEpoch, "products only: × 938 batches, vs the peer's whole epoch")),
        Single("mirror W1·X", 10, 207, 12288, false, false),
        Single("mirror dZ1·Xᵀ", 10, 12288, 207, false, true),
        Single("fmnist W1·X", 128, 64, 784, false, false),
        Single("fmnist dZ1·Xᵀ", 128, 784, 64, false, true),
        Single("fmnist W2ᵀ·dZ2", 128, 64, 64, true, false),
        Single("square 512", 512, 512, 512, false, false),
        Single("square 512 tt", 512, 512, 512, true, true),
        MathNetSingle("mathnet mirror W1·X", 10, 207, 12288),
    ];

    /// <summary>
    /// Every product of one training step of a dense network, on the matrices a training step
    /// shares (the forward and backward passes read the same X and activations, as in training):
    /// for each layer l, Z_l = W_l·A_{l−1} (forward; A_l is Z_l here, activations are not timed),
    /// then backwards dW_l = dZ_l·A_{l−1}ᵀ/m and, except for the first layer, dA_{l−1} = W_lᵀ·dZ_l.
    /// </summary>
    public static Workload ProductSet(string name, int[] dims, int m, PeerLink? peer)
    {
        int layers = dims.Length - 1;
        double flops = 0;
        var shapes = new List<string>();
        for (int l = 1; l <= layers; l++) { flops += 2.0 * dims[l] * m * dims[l - 1]; shapes.Add($"{dims[l]}×{m}×{dims[l - 1]}"); }
        for (int l = layers; l >= 1; l--)
        {
            flops += 2.0 * dims[l] * dims[l - 1] * m; shapes.Add($"{dims[l]}×{dims[l - 1]}×{m} nt");
            if (l > 1) { flops += 2.0 * dims[l - 1] * m * dims[l]; shapes.Add($"{dims[l - 1]}×{m}×{dims[l]} tn"); }
        }
        return new Workload(name, $"{shapes.Count} products (m×n×k): {string.Join(", ", shapes)}", flops, () =>
        {
            var rng = new System.Random(42);
            var a = new Matrix<double>[layers + 1];   // a[0] = X, a[l] = Z_l
            var w = new Matrix<double>[layers + 1];
            var dz = new Matrix<double>[layers + 1];
            var dw = new Matrix<double>[layers + 1];
            var da = new Matrix<double>[layers + 1];  // da[l] = dA_l, for l < layers
            a[0] = Random(rng, dims[0], m, 0.5);
            for (int l = 1; l <= layers; l++)
            {
                w[l] = Random(rng, dims[l], dims[l - 1], 1.0 / Math.Sqrt(dims[l - 1]));
                a[l] = Matrix<double>.Build.Dense(dims[l], m);
                dz[l] = Random(rng, dims[l], m, 0.5);
                dw[l] = Matrix<double>.Build.Dense(dims[l], dims[l - 1]);
                da[l - 1] = Matrix<double>.Build.Dense(dims[l - 1], m);
            }
            return () =>
            {
                for (int l = 1; l <= layers; l++) Gemm.Multiply(w[l], false, a[l - 1], false, a[l]);
                for (int l = layers; l >= 1; l--)
                {
                    Gemm.Multiply(dz[l], false, a[l - 1], true, dw[l], 1.0 / m, 0.0);
                    if (l > 1) Gemm.Multiply(w[l], true, dz[l], false, da[l - 1]);
                }
            };
        }, peer);
    }

    public static Workload Single(string name, int m, int n, int k, bool ta, bool tb) =>
        new(name, $"C({m}×{n}) = {(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")}, k = {k}", 2.0 * m * n * k, () =>
        {
            var rng = new System.Random(7);
            var a = Random(rng, ta ? k : m, ta ? m : k);
            var b = Random(rng, tb ? n : k, tb ? k : n);
            var c = Matrix<double>.Build.Dense(m, n);
            return () => Gemm.Multiply(a, ta, b, tb, c);
        });

    /// <summary>MathNet's own managed product, for reference.</summary>
    public static Workload MathNetSingle(string name, int m, int n, int k)
    {
        Func<Action> setup = () =>
        {
            var rng = new System.Random(7);
            var a = Random(rng, m, k);
            var b = Random(rng, k, n);
            var c = Matrix<double>.Build.Dense(m, n);
            return () => a.Multiply(b, c);
        };
        return new(name, $"MathNet A·B, C({m}×{n}), k = {k}", 2.0 * m * n * k, setup) { WarmupRuns = 1 };
    }

    private static Matrix<double> Random(System.Random rng, int rows, int cols, double scale = 0.5)
    {
        var x = Matrix<double>.Build.Dense(rows, cols);
        var data = x.AsColumnMajorArray();
        for (int i = 0; i < data.Length; i++) data[i] = (2 * rng.NextDouble() - 1) * scale;
        return x;
    }
}
