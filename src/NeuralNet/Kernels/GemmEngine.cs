namespace NeuralNet.Kernels;

/// <summary>
/// The blocked, vectorized matrix product behind <see cref="Gemm"/>:
/// C ← α·op(A)·op(B) + β·C on column-major arrays given by pointer and leading dimension.
/// This class picks the engine and cuts C into parts for threads; the engines do the arithmetic.
/// </summary>
/// <remarks>
/// <para><b>Two engines.</b> <see cref="BlockedGemm"/> is the general one (the "GotoBLAS/BLIS" recipe, kept
/// small): blocks of op(A) and op(B) are packed so that a 12×4 register micro-kernel reads both
/// sequentially; when op(A) has at most 12 rows and B is not transposed (the first layer's W·X), B is read
/// in place instead. <see cref="FewRowsTransB"/> computes few rows times a transposed B with many columns
/// (the first layer's dW = dZ·Xᵀ), copying B into tiles of 8 columns.</para>
/// <para><b>A packed once.</b> Whenever B is read in place or on the few-rows path, op(A) is a single
/// 12-row sliver: it is packed once per call (<see cref="Packing.PackA"/>) and shared by every part.</para>
/// <para><b>Threads and determinism.</b> The output C is cut into column (or row) ranges on multiples of
/// the tile size, claimed by the caller and the workers (<see cref="WorkerPool"/>); every part runs the
/// same loops over k in the same order. An element of C is therefore always summed as
/// ((β·c + Σ block 1) + Σ block 2) + …, each block sum a single chain of FMAs in k order, whatever the
/// number of threads: 1 or 8 threads give bitwise equal results.</para>
/// </remarks>
internal static unsafe class GemmEngine
{
    private const int MR = BlockedGemm.MR, NR = BlockedGemm.NR;
    /// <summary>Parts per thread a parallel call is cut into (four times as many when B is streamed).</summary>
    private const int PartsPerThread = 2;

    /// <summary>C ← α·op(A)·op(B) + β·C. op(A) is m×k, op(B) is k×n, C is m×n; all column-major.</summary>
    public static void Compute(int m, int n, int k, double alpha,
        double* a, nint lda, bool transA, double* b, nint ldb, bool transB,
        double beta, double* c, nint ldc)
        => Compute(m, n, k, alpha, a, lda, transA, b, ldb, transB, beta, c, ldc,
            KernelSettings.MaxDegreeOfParallelism, KernelSettings.ParallelFlopThreshold);

    /// <summary>As above with an explicit thread limit and threshold (tests use it to compare thread counts).</summary>
    internal static void Compute(int m, int n, int k, double alpha,
        double* a, nint lda, bool transA, double* b, nint ldb, bool transB,
        double beta, double* c, nint ldc, int maxThreads, long parallelFlopThreshold)
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        var job = t_job ??= new GemmJob();
        job.Set(m, n, k, alpha, a, lda, transA, b, ldb, transB, beta, c, ldc);

        int parts = 1;
        if (maxThreads > 1 && 2.0 * m * n * k >= parallelFlopThreshold)
        {
            // Split C where the repeated work is smaller: every column range packs its own copy of
            // A's blocks, every row range its own copy of B's. Cut in a few more parts than threads
            // so that a thread the OS keeps waiting does not hold the others up (see WorkerPool).
            int tilesN = (n + NR - 1) / NR, tilesM = (m + MR - 1) / MR;
            bool columns = FewRowsTransB.Applies(m, n, transB) || (m <= n ? tilesN > 1 : tilesM == 1);
            job.SplitColumns = columns;
            // Parts that repeat no packing (B streamed with A packed once below) can be small, so a
            // thread the OS delays holds little work hostage. (The few-rows × Bᵀ path copies each
            // part's first chunk of B without overlapping it with FMAs: fewer, longer parts there.)
            bool cheapParts = BlockedGemm.Streams(m, transB);
            parts = Math.Min(columns ? tilesN : tilesM, maxThreads * (cheapParts ? 4 * PartsPerThread : PartsPerThread));
        }
        // With B read in place (streamed, or Bᵀ on the few-rows path), op(A) is one sliver (≤ 12 rows):
        // pack all of it once, for every part.
        double* sharedA = null;
        if (BlockedGemm.Streams(m, transB) || FewRowsTransB.Applies(m, n, transB))
        {
            sharedA = ThreadBuffers.Shared((long)MR * k);
            Packing.PackA(a, lda, transA, 0, m, 0, k, sharedA);
        }
        job.SharedA = sharedA;
        try
        {
            if (parts <= 1) job.Execute(0, 1);
            else WorkerPool.Run(job, parts, maxThreads);
        }
        finally
        {
            job.Clear();
        }
    }

    [ThreadStatic] private static GemmJob? t_job;

    private sealed class GemmJob : ParallelJob
    {
        private int _m, _n, _k;
        private double _alpha, _beta;
        private double* _a, _b, _c;
        public double* SharedA;
        private nint _lda, _ldb, _ldc;
        private bool _transA, _transB;
        public bool SplitColumns = true;

        public void Set(int m, int n, int k, double alpha, double* a, nint lda, bool transA,
            double* b, nint ldb, bool transB, double beta, double* c, nint ldc)
        {
            _m = m; _n = n; _k = k; _alpha = alpha; _beta = beta;
            _a = a; _lda = lda; _transA = transA;
            _b = b; _ldb = ldb; _transB = transB;
            _c = c; _ldc = ldc;
            SplitColumns = true;
        }

        public void Clear() { _a = null; _b = null; _c = null; SharedA = null; }

        public override void Execute(int part, int parts)
        {
            int m0 = 0, m1 = _m, n0 = 0, n1 = _n;
            if (parts > 1)
            {
                // Cut on whole tiles so a thread boundary never splits a micro-tile.
                if (SplitColumns)
                {
                    int tiles = (_n + NR - 1) / NR;
                    n0 = (int)((long)tiles * part / parts) * NR;
                    n1 = Math.Min(_n, (int)((long)tiles * (part + 1) / parts) * NR);
                }
                else
                {
                    int tiles = (_m + MR - 1) / MR;
                    m0 = (int)((long)tiles * part / parts) * MR;
                    m1 = Math.Min(_m, (int)((long)tiles * (part + 1) / parts) * MR);
                }
            }
            if (m0 >= m1 || n0 >= n1) return;
            if (FewRowsTransB.Applies(_m, _n, _transB))
                FewRowsTransB.Run(_m, n0, n1, _k, _alpha, SharedA, _b, _ldb, _beta, _c, _ldc);
            else
                BlockedGemm.Run(m0, m1, n0, n1, _k, _alpha, _a, _lda, _transA, _b, _ldb, _transB, _beta, _c, _ldc,
                    stream: BlockedGemm.Streams(_m, _transB), SharedA);
        }
    }

    /// <summary>C ← β·C (β = 0 writes zeros, so NaNs in C do not survive, as in BLAS).</summary>
    private static void ScaleC(int m, int n, double beta, double* c, nint ldc)
    {
        for (int j = 0; j < n; j++)
        {
            var col = new Span<double>(c + j * ldc, m);
            if (beta == 0) col.Clear();
            else if (beta != 1) for (int i = 0; i < m; i++) col[i] *= beta;
        }
    }
}
