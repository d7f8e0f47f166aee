using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

/// <summary>
/// The product kernel against a plain triple loop, on shapes chosen to hit every edge of the blocking:
/// single rows/columns, sizes just below/at/above the micro-tile (12×4), the block sizes
/// (MC 144, KC 256, streamed KC 1024, packed-B width; on the few-rows × Bᵀ path the 8-column tiles, the 128-column
/// chunks copied while the previous one is computed, chunks narrowed for long k, one or two row groups) and the real workload shapes, in all four
/// transpose combinations; plus α/β, thread-count independence (bitwise), views with padding, validation.
/// </summary>
public class GemmTests
{
    /// <summary>(m, n, k) shapes. Kept moderate so the triple-loop reference stays fast.</summary>
    public static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 1, 7), (1, 9, 1), (9, 1, 1), (1, 17, 33), (17, 1, 33), (33, 17, 1),
        (2, 3, 5), (3, 5, 2), (4, 4, 4), (5, 3, 4), (7, 7, 7),
        (11, 3, 13), (12, 4, 16), (13, 5, 17), (23, 7, 31), (24, 8, 32), (25, 9, 33),
        (100, 1, 300), (1, 100, 300), (300, 2, 3), (2, 300, 3), // tall / wide / long k
        (119, 13, 255), (120, 12, 256), (121, 11, 257), (241, 6, 70), // KC edges
        (143, 5, 20), (144, 6, 21), (145, 7, 19), (289, 3, 9), // MC edges (blocks of 144 rows)
        (10, 9, 1023), (10, 9, 1024), (10, 9, 1025), (12, 5, 2049), (8, 21, 1100), // streamed-B KC edges
        (10, 255, 9), (10, 256, 10), (12, 257, 11), (11, 513, 6), (3, 1030, 7), (13, 257, 5), // few-rows × Bᵀ chunk edges
        (5, 600, 41), (2, 777, 9), (1, 700, 13), (12, 530, 8), // few-rows × Bᵀ: odd rows, one row, tails of 8-column tiles
        (6, 512, 3), (7, 640, 20), (11, 647, 33), (4, 1031, 17), (9, 519, 300), (3, 520, 5000), // …chunk and tile edges, row groups 6 | 4+3 | 6+5, narrowed chunks
        (13, 127, 40), (13, 128, 256), (13, 129, 257), (5, 257, 300), // packed-B width edges
        (37, 41, 43), (64, 64, 128), (10, 64, 64), (64, 128, 64),
    ];

    /// <summary>The products of the two target workloads (m, n, k, transA, transB).</summary>
    public static readonly (int M, int N, int K, bool TA, bool TB)[] WorkloadShapes =
    [
        (10, 207, 12288, false, false), (10, 12288, 207, false, true), // mirror layer 1
        (7, 207, 10, false, false), (1, 207, 7, false, false), (1, 7, 207, false, true), (7, 207, 1, true, false),
        (7, 10, 207, false, true), (10, 207, 7, true, false),
        (128, 64, 784, false, false), (128, 784, 64, false, true), (128, 64, 64, true, false), // fmnist
        (64, 64, 128, false, false), (64, 128, 64, false, true), (64, 64, 10, true, false), (10, 64, 64, false, false),
    ];

    public static TheoryData<int, int, int, bool, bool> AllCombinations()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(m, n, k, ta, tb);
        return data;
    }

    public static TheoryData<int, int, int, bool, bool> Workloads()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var s in WorkloadShapes) data.Add(s.M, s.N, s.K, s.TA, s.TB);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void MatchesTripleLoop(int m, int n, int k, bool ta, bool tb)
        => CheckAgainstReference(m, n, k, ta, tb, alpha: 1, beta: 0, seed: m * 1000 + n * 10 + k);

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void AlphaBetaMatchTripleLoop(int m, int n, int k, bool ta, bool tb)
        => CheckAgainstReference(m, n, k, ta, tb, alpha: -0.75, beta: 1.5, seed: m + n + k);

    [Theory]
    [MemberData(nameof(Workloads))]
    public void WorkloadShapesMatchTripleLoop(int m, int n, int k, bool ta, bool tb)
        => CheckAgainstReference(m, n, k, ta, tb, alpha: 1.0 / 207, beta: 0, seed: 5);

    [Theory]
    [MemberData(nameof(Workloads))]
    [InlineData(37, 41, 43, false, false)]
    [InlineData(121, 11, 257, true, true)]
    [InlineData(13, 129, 600, true, false)]
    [InlineData(300, 2, 300, false, true)]
    [InlineData(10, 1031, 207, false, true)]
    [InlineData(7, 2003, 300, true, true)]
    public void ThreadCountDoesNotChangeAnyBit(int m, int n, int k, bool ta, bool tb)
    {
        var (a, b, c0) = Operands(m, n, k, ta, tb, seed: 11);
        double[] one = Run(m, n, k, ta, tb, a, b, c0, alpha: 0.5, beta: 0.25, threads: 1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            double[] many = Run(m, n, k, ta, tb, a, b, c0, alpha: 0.5, beta: 0.25, threads: threads);
            for (int i = 0; i < one.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(one[i]) == BitConverter.DoubleToInt64Bits(many[i]),
                    $"element {i}: 1 thread {one[i]:R}, {threads} threads {many[i]:R}");
        }
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        var (a, b, _) = Operands(13, 6, 9, false, false, seed: 1);
        var c = Enumerable.Repeat(double.NaN, 13 * 6).ToArray();
        Gemm.Multiply(13, 6, 9, 1, a, 13, false, b, 9, false, 0, c, 13);
        Assert.DoesNotContain(c, double.IsNaN);
    }

    [Fact]
    public void ZeroDepthScalesC()
    {
        var c = new double[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Multiply(2, 3, 0, 1, [], 2, false, [], 1, false, 2, c, 2);
        Assert.Equal(new double[] { 2, 4, 6, 8, 10, 12 }, c);
        Gemm.Multiply(2, 3, 0, 1, [], 2, false, [], 1, false, 0, c, 2);
        Assert.All(c, x => Assert.Equal(0, x));
    }

    [Fact]
    public void LeadingDimensionsLeavePaddingUntouched()
    {
        // A 7×5 inside a 9-row buffer, B 5×6 inside 8 rows, C 7×6 inside 10 rows.
        int m = 7, n = 6, k = 5, lda = 9, ldb = 8, ldc = 10;
        var rng = new System.Random(3);
        var a = Enumerable.Range(0, lda * k).Select(_ => rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, ldb * n).Select(_ => rng.NextDouble()).ToArray();
        var c = Enumerable.Repeat(-99.0, ldc * n).ToArray();
        Gemm.Multiply(m, n, k, 1, a, lda, false, b, ldb, false, 0, c, ldc);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < ldc; i++)
            {
                if (i >= m) { Assert.Equal(-99.0, c[i + j * ldc]); continue; }
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i + p * lda] * b[p + j * ldb];
                Assert.Equal(s, c[i + j * ldc], 1e-13);
            }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatrixOverloadMatchesMathNet(bool ta, bool tb)
    {
        var rng = new System.Random(9);
        var a = Matrix<double>.Build.Dense(ta ? 19 : 14, ta ? 14 : 19, (_, _) => rng.NextDouble() - 0.5);
        var b = Matrix<double>.Build.Dense(tb ? 23 : 19, tb ? 19 : 23, (_, _) => rng.NextDouble() - 0.5);
        var c = Matrix<double>.Build.Dense(14, 23);
        Gemm.Multiply(a, ta, b, tb, c);
        var expected = (ta ? a.Transpose() : a) * (tb ? b.Transpose() : b);
        Assert.True((c - expected).Enumerate().All(x => Math.Abs(x) < 1e-13));
    }

    [Fact]
    public void SparseOperandsAndResultWork()
    {
        var a = Matrix<double>.Build.Sparse(3, 4);
        a[0, 1] = 2; a[2, 3] = -1;
        var b = Matrix<double>.Build.Dense(4, 2, (i, j) => i + 10 * j);
        var c = Matrix<double>.Build.Sparse(3, 2);
        Gemm.Multiply(a, false, b, false, c);
        Assert.Equal(a * b, c);
    }

    [Fact]
    public void ShapeMismatchNamesBothShapes()
    {
        var w = Matrix<double>.Build.Dense(10, 12);
        var x = Matrix<double>.Build.Dense(13, 5);
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(w, false, x, false, Matrix<double>.Build.Dense(10, 5)));
        Assert.Contains("10×12", ex.Message);
        Assert.Contains("13×5", ex.Message);

        var ex2 = Assert.Throws<ArgumentException>(() => Gemm.Multiply(w, true, x, true, Matrix<double>.Build.Dense(12, 13)));
        Assert.Contains("Aᵀ", ex2.Message);
        Assert.Contains("12×10", ex2.Message);
        Assert.Contains("5×13", ex2.Message);
    }

    [Fact]
    public void WrongResultShapeNamesBothShapes()
    {
        var w = Matrix<double>.Build.Dense(10, 12);
        var x = Matrix<double>.Build.Dense(12, 5);
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(w, false, x, false, Matrix<double>.Build.Dense(10, 6)));
        Assert.Contains("10×6", ex.Message);
        Assert.Contains("10×5", ex.Message);
    }

    [Fact]
    public void ResultMustNotAliasAnInput()
    {
        var a = Matrix<double>.Build.Dense(4, 4, 1.0);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, false, Matrix<double>.Build.Dense(4, 4), false, a));
        var buffer = new double[32];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, 1, buffer.AsSpan(0, 16), 4, false, buffer.AsSpan(16, 16), 4, false, 0, buffer.AsSpan(8, 16), 4));
    }

    [Fact]
    public void SpanArgumentsAreValidated()
    {
        var ok = new double[16];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, 1, new double[15], 4, false, ok, 4, false, 0, new double[16], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(4, 4, 4, 1, ok, 3, false, ok, 4, false, 0, new double[16], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(-1, 4, 4, 1, ok, 4, false, ok, 4, false, 0, new double[16], 4));
        Assert.Throws<ArgumentNullException>(() => Gemm.Multiply(null!, false, Matrix<double>.Build.Dense(1, 1), false, Matrix<double>.Build.Dense(1, 1)));
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        var (a, b, c0) = Operands(64, 200, 300, false, true, seed: 4);
        double[] expected = Run(64, 200, 300, false, true, a, b, c0, 1, 0, threads: 1);
        Parallel.For(0, 8, _ =>
        {
            double[] got = Run(64, 200, 300, false, true, a, b, c0, 1, 0, threads: 2);
            Assert.Equal(expected, got);
        });
    }

    // ---------------------------------------------------------------------------------------------

    private static void CheckAgainstReference(int m, int n, int k, bool ta, bool tb, double alpha, double beta, int seed)
    {
        var (a, b, c0) = Operands(m, n, k, ta, tb, seed);
        foreach (int threads in new[] { 1, 2 })
        {
            double[] got = Run(m, n, k, ta, tb, a, b, c0, alpha, beta, threads);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    double sum = 0, scale = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double x = ta ? a[p + i * k] : a[i + p * m];
                        double y = tb ? b[j + p * n] : b[p + j * k];
                        sum += x * y;
                        scale += Math.Abs(x * y);
                    }
                    double old = c0[i + j * m];
                    double expected = alpha * sum + beta * old;
                    double tolerance = 1e-12 * (Math.Abs(alpha) * scale + Math.Abs(beta * old)) + 1e-300;
                    double actual = got[i + j * m];
                    Assert.True(Math.Abs(actual - expected) <= tolerance,
                        $"{m}×{n}×{k} ta={ta} tb={tb} threads={threads}: C[{i},{j}] = {actual:R}, expected {expected:R} (scale {scale:G3})");
                }
        }
    }

    /// <summary>A, B stored as their flags say (column-major, tight), and a random starting C.</summary>
    private static (double[] A, double[] B, double[] C) Operands(int m, int n, int k, bool ta, bool tb, int seed)
    {
        var rng = new System.Random(seed);
        double[] Fill(int len) => Enumerable.Range(0, len).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        return (Fill(m * k), Fill(k * n), Fill(m * n));
    }

    private static double[] Run(int m, int n, int k, bool ta, bool tb, double[] a, double[] b, double[] c0,
        double alpha, double beta, int threads)
    {
        var c = (double[])c0.Clone();
        // Threshold 0 so even tiny products are split when threads > 1.
        Gemm.Multiply(m, n, k, alpha, a, Math.Max(1, ta ? k : m), ta, b, Math.Max(1, tb ? n : k), tb, beta, c, Math.Max(1, m), threads, 0);
        return c;
    }
}
