using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>The registered workloads. Add a line here to time something new.</summary>
public static class Workloads
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
    /// Every product of one training step of a dense network: for each layer l, Z = W·A_prev
    /// (forward), then backwards dW = dZ·A_prevᵀ/m and, except for the first layer, dA_prev = Wᵀ·dZ.
    /// </summary>
    public static Workload ProductSet(string name, int[] dims, int m, PeerLink? peer)
    {
        var products = new List<(int M, int N, int K, bool TA, bool TB)>();
        for (int l = 1; l < dims.Length; l++) products.Add((dims[l], m, dims[l - 1], false, false));
        for (int l = dims.Length - 1; l >= 1; l--)
        {
            products.Add((dims[l], dims[l - 1], m, false, true));
            if (l > 1) products.Add((dims[l - 1], m, dims[l], true, false));
        }
        double flops = products.Sum(p => 2.0 * p.M * p.N * p.K);
        string shapes = string.Join(", ", products.Select(p => $"{p.M}×{p.N}×{p.K}{(p.TA ? " tn" : p.TB ? " nt" : "")}"));
        return new Workload(name, $"{products.Count} products (m×n×k): {shapes}", flops, () =>
        {
            var rng = new System.Random(42);
            var calls = products.Select(p =>
            {
                var a = Random(rng, p.TA ? p.K : p.M, p.TA ? p.M : p.K);
                var b = Random(rng, p.TB ? p.N : p.K, p.TB ? p.K : p.N);
                var c = Matrix<double>.Build.Dense(p.M, p.N);
                double alpha = p.TB ? 1.0 / m : 1.0;
                return (a, b, c, p.TA, p.TB, alpha);
            }).ToArray();
            return () =>
            {
                foreach (var (a, b, c, ta, tb, alpha) in calls) Gemm.Multiply(a, ta, b, tb, c, alpha, 0.0);
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
    public static Workload MathNetSingle(string name, int m, int n, int k) =>
        new(name, $"MathNet A·B, C({m}×{n}), k = {k}", 2.0 * m * n * k, () =>
        {
            var rng = new System.Random(7);
            var a = Random(rng, m, k);
            var b = Random(rng, k, n);
            var c = Matrix<double>.Build.Dense(m, n);
            return () => a.Multiply(b, c);
        }) { WarmupRuns = 1 };

    private static Matrix<double> Random(System.Random rng, int rows, int cols)
    {
        var x = Matrix<double>.Build.Dense(rows, cols);
        var data = x.AsColumnMajorArray();
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() - 0.5;
        return x;
    }
}
