using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The blocked, vectorized matrix product behind <see cref="Gemm"/>:
/// C ← α·op(A)·op(B) + β·C on column-major arrays given by pointer and leading dimension.
/// </summary>
/// <remarks>
/// <para><b>The idea</b> (the "GotoBLAS/BLIS" recipe, kept small). The whole product is built from one
/// tiny product, the <i>micro-kernel</i>: a 12×4 block of C held in 12 AVX registers (3 vectors of
/// 4 doubles per column, 4 columns) while it runs down the summed index k, doing per k step
/// 3 vector loads of A, 4 broadcasts of B and 12 fused multiply-adds. 12 accumulators + 3 A
/// vectors + 1 broadcast is exactly the 16 registers AVX2 has, and 12 FMAs per 7 loads keeps the
/// two FMA units busy instead of waiting on memory.</para>
/// <para><b>Packing.</b> The micro-kernel wants its 12 rows of A for each k next to each other, and its
/// 4 values of B for each k next to each other. So before computing, a block of op(A) (at most
/// <see cref="MC"/>×<see cref="KC"/>) is copied into "slivers" of 12 rows (k-major), and a block of op(B)
/// (<see cref="KC"/>×nc) into slivers of 4 columns. Packing also turns any transpose into plain
/// contiguous reads, so the micro-kernel never sees a transpose, and it keeps the working blocks
/// small enough to stay in cache: one B sliver (KC×4, 8 KB) in L1 while the A block (≤ 240 KB) sits in L2.</para>
/// <para><b>Streaming B.</b> When A has at most 12 rows (the first layer of a wide network: W is 10×12288,
/// X is 12288×207) B is used by a single A sliver, so copying it would only double the memory
/// traffic. Then, if op(B) is stored with k contiguous (B not transposed), the micro-kernel reads
/// B's columns in place: 4 sequential streams that the hardware prefetcher follows well.</para>
/// <para><b>Threads and determinism.</b> The output C is cut into column (or row) ranges, one per thread,
/// on multiples of the tile size; every thread runs the same loops over k in the same order. An
/// element of C is therefore always summed as ((β·c + Σ block 1) + Σ block 2) + …, each block sum a
/// single chain of FMAs in k order, whatever the number of threads: 1 or 8 threads give bitwise equal results.</para>
/// <para>Edges (fewer than 12 rows or 4 columns left) use the same micro-kernel on zero-padded
/// slivers and store only the valid part; 4- and 8-row variants avoid wasting work on short row tails.</para>
/// </remarks>
internal static unsafe class GemmEngine
{
    /// <summary>Rows of C per micro-tile (3 AVX vectors of 4 doubles).</summary>
    public const int MR = 12;
    /// <summary>Columns of C per micro-tile.</summary>
    public const int NR = 4;
    /// <summary>Depth of a packed block: a 12×256 A sliver is 24 KB and fits L1 with room for B.</summary>
    public const int KC = 256;
    /// <summary>Rows of a packed A block: 144×256 doubles = 288 KB, about half of this machine's L2 (512 KB).</summary>
    public const int MC = 144;
    /// <summary>
    /// Bytes of packed B per block (it lives in L2/L3; only one 8 KB sliver at a time needs L1).
    /// Wide blocks matter when B is Xᵀ: packing reads runs of nc contiguous values from every
    /// column, and runs of 1000+ values stream at close to memory speed where runs of 150 do not.
    /// </summary>
    internal static int PackedBBytes = 2 * 1024 * 1024;

    /// <summary>Depth of a block when B is streamed in place (A ≤ 12 rows): longer sequential runs of B.</summary>
    internal static int StreamKC = 1024;
    /// <summary>B is streamed in place (not packed) when op(A) has at most this many rows and B is not transposed.</summary>
    internal static int StreamMaxRows = MR;

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
            bool columns = UsesSmallATransB(m, n, transB) || (m <= n ? tilesN > 1 : tilesM == 1);
            job.SplitColumns = columns;
            // Parts that repeat no packing (B streamed with A packed once below, or the few-rows × Bᵀ
            // path) can be small, so a thread the OS delays holds little work hostage.
            bool cheapParts = UsesSmallATransB(m, n, transB) || Streams(m, transB);
            parts = Math.Min(columns ? tilesN : tilesM, maxThreads * (cheapParts ? 4 * PartsPerThread : PartsPerThread));
        }
        // With B streamed, op(A) is one sliver (≤ 12 rows): pack all of it once, for every part.
        double* sharedA = null;
        if (Streams(m, transB) && !UsesSmallATransB(m, n, transB))
        {
            sharedA = ThreadBuffers.Shared((long)MR * k);
            PackA(a, lda, transA, 0, m, 0, k, sharedA);
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

    /// <summary>Parts per thread a parallel call is cut into.</summary>
    internal static int PartsPerThread = 2;

    private static bool Streams(int m, bool transB) => !transB && m <= StreamMaxRows;

    private static bool UsesSmallATransB(int m, int n, bool transB) => transB && m <= SmallRowsTransB && n >= SmallMinColumns;

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
            if (UsesSmallATransB(_m, _n, _transB))
                SmallATransB(_m, n0, n1, _k, _alpha, _a, _transA ? _lda : 1, _transA ? 1 : _lda, _b, _ldb, _beta, _c, _ldc);
            else
                RunRange(m0, m1, n0, n1, _k, _alpha, _a, _lda, _transA, _b, _ldb, _transB, _beta, _c, _ldc,
                    stream: Streams(_m, _transB), SharedA);
        }
    }

    /// <summary>The blocked loops for the part C[m0:m1, n0:n1] (the whole k range).</summary>
    private static void RunRange(int m0, int m1, int n0, int n1, int k, double alpha,
        double* a, nint lda, bool transA, double* b, nint ldb, bool transB, double beta, double* c, nint ldc, bool stream, double* sharedA)
    {
        int m = m1 - m0;
        // (stream is decided on the whole product's shape, never on this part's: the k blocking
        // must not depend on how C was cut, or the bits would depend on the thread count.)
        // Equal k blocks (784 = 4×196, not 3×256 + 16): a thin last block would cost a full pass over C.
        int kcLimit = stream ? StreamKC : KC;
        int kcMax = (k + (k + kcLimit - 1) / kcLimit - 1) / ((k + kcLimit - 1) / kcLimit);
        // With B streamed there is no B block: one pass over all the part's columns per k block.
        int ncMax = stream ? n1 - n0 : Math.Max(NR, PackedBBytes / 8 / kcMax / NR * NR);
        int mcMax = Math.Min(RoundUp(m, MR), MC);

        double* packA = sharedA != null ? null : ThreadBuffers.A(mcMax * kcMax);
        // α and β go to the micro-kernel by pointer: as double arguments they would pin two of the
        // 16 vector registers for the whole k loop, and the 12 accumulators would spill to memory.
        double* scalars = stackalloc double[2];
        scalars[0] = alpha;
        double* packB = stream ? null : ThreadBuffers.B(RoundUp(Math.Min(ncMax, n1 - n0), NR) * kcMax);

        for (int jc = n0; jc < n1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                // Later k blocks add onto what the earlier ones left in C.
                scalars[1] = pc == 0 ? beta : 1.0;
                if (!stream) PackB(b, ldb, transB, pc, kc, jc, nc, packB);
                for (int ic = m0; ic < m1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m1 - ic);
                    // (A packed once for the whole k range is sliver-major with 12 values per k,
                    // so its block for [pc, pc + kc) simply starts 12·pc values in.)
                    if (sharedA != null) packA = sharedA + (nint)pc * MR;
                    else PackA(a, lda, transA, ic, mc, pc, kc, packA);
                    double* cBlock = c + ic + (nint)jc * ldc;
                    double* bBlock = stream ? b + (nint)jc * ldb + pc : packB;
                    if (RowsOuter) MacroRowsOuter(mc, nc, kc, packA, bBlock, stream, ldb, cBlock, ldc, scalars);
                    else MacroColumnsOuter(mc, nc, kc, packA, bBlock, stream, ldb, cBlock, ldc, scalars);
                }
            }
        }
    }

    /// <summary>Loop order of the macro-kernel: A sliver held in L1 while sweeping B (true), or the reverse.</summary>
    internal static bool RowsOuter = true;

    /// <summary>
    /// One packed A block (mc×kc) times one B block (kc×nc) into C: for each 12-row A sliver, sweep
    /// all 4-column B slivers. The A sliver (12·kc doubles, ≤ 24 KB) then stays in L1 and only B's
    /// 4 values per k come from L2 — a third of the traffic of the opposite order, as mr = 3·nr.
    /// </summary>
    private static void MacroRowsOuter(int mc, int nc, int kc, double* packA, double* bBlock, bool stream, nint ldb,
        double* cBlock, nint ldc, double* scalars)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mv = Math.Min(MR, mc - ir);
            double* ap = packA + (nint)ir * kc;
            for (int jr = 0; jr < nc; jr += NR)
                Tile(mv, Math.Min(NR, nc - jr), kc, ap, bBlock, jr, stream, ldb, cBlock + ir + (nint)jr * ldc, ldc, scalars);
        }
    }

    /// <summary>The BLIS order: for each B sliver (kept in L1), sweep all A slivers of the block.</summary>
    private static void MacroColumnsOuter(int mc, int nc, int kc, double* packA, double* bBlock, bool stream, nint ldb,
        double* cBlock, nint ldc, double* scalars)
    {
        for (int jr = 0; jr < nc; jr += NR)
            for (int ir = 0; ir < mc; ir += MR)
                Tile(Math.Min(MR, mc - ir), Math.Min(NR, nc - jr), kc, packA + (nint)ir * kc, bBlock, jr, stream, ldb,
                    cBlock + ir + (nint)jr * ldc, ldc, scalars);
    }

    /// <summary>One micro-tile: picks the B addressing (packed sliver or B in place) and the row-count variant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int mv, int nv, int kc, double* ap, double* bBlock, int jr, bool stream, nint ldb,
        double* cp, nint ldc, double* scalars)
    {
        double* bp;
        nint bsk, bsj;
        if (stream) { bp = bBlock + (nint)jr * ldb; bsk = 1; bsj = ldb; }
        else { bp = bBlock + (nint)jr * kc; bsk = NR; bsj = 1; }
        if (mv > 8) Kernel<Rows12>(kc, ap, bp, bsk, bsj, nv, cp, ldc, mv, scalars);
        else if (mv > 4) Kernel<Rows8>(kc, ap, bp, bsk, bsj, nv, cp, ldc, mv, scalars);
        else Kernel<Rows4>(kc, ap, bp, bsk, bsj, nv, cp, ldc, mv, scalars);
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    // ---------------------------------------------------------------------------------------------
    // Few rows times a transposed B: dW = dZ·Xᵀ of a wide first layer
    // ---------------------------------------------------------------------------------------------

    /// <summary>op(A) with at most this many rows and a transposed B go to <see cref="SmallATransB"/>.</summary>
    internal static int SmallRowsTransB = MR;
    /// <summary>…and at least this many columns of C (below it B is small and packing it costs nothing).</summary>
    internal static int SmallMinColumns = 512;
    /// <summary>Columns of C per chunk in <see cref="SmallATransB"/>: the chunk's accumulators (≤ 12×256) stay in L1.</summary>
    internal static int SmallChunk = 256;

    /// <summary>
    /// C[:, n0:n1] ← α·op(A)·Bᵀ + β·C for op(A) with few rows (m ≤ 12), B stored n×k (so row j of Bᵀ…
    /// i.e. column k of B is contiguous in j). Element (i, p) of op(A) is <c>a[i·ars + p·acs]</c>.
    /// </summary>
    /// <remarks>
    /// The general path would first copy (pack) all of B — for dW = dZ·Xᵀ that is the whole
    /// 12288×207 X, as much memory traffic as the product itself. Here instead C's columns are
    /// taken in chunks of 256, the chunk accumulated transposed (T[i, j], contiguous in j) in a
    /// small L1 buffer, and B read in place, four of its columns at a time, each a contiguous run:
    /// <c>T[i, j..j+3] += a(i,p)·B[j..j+3, p] + a(i,p+1)·B[j..j+3, p+1] + …</c> for two rows i at once.
    /// Per 8 FMAs that is 4 loads of B, 2 loads and 2 stores of T: the FMA units stay busy and
    /// every byte of B is read exactly once, sequentially. Each T element is one FMA chain in
    /// p order, so a column of C gets the same bits whichever thread or chunk computes it.
    /// </remarks>
    private static void SmallATransB(int m, int n0, int n1, int k, double alpha, double* a, nint ars, nint acs,
        double* b, nint ldb, double beta, double* c, nint ldc)
    {
        int chunk = SmallChunk;
        double* t = ThreadBuffers.B(m * chunk);
        for (int j0 = n0; j0 < n1; j0 += chunk)
        {
            int w = Math.Min(chunk, n1 - j0);
            for (int i = 0; i < m; i++) new Span<double>(t + (nint)i * chunk, w).Clear();
            int p = 0;
            for (; p + 4 <= k; p += 4)
            {
                double* x0 = b + j0 + (nint)p * ldb;
                int i = 0;
                // The first row pair also asks for the next four columns' runs (software prefetch):
                // runs of 2 KB are too short for the hardware prefetcher to get ahead on its own.
                if (m >= 2)
                {
                    double* next = p + 8 <= k ? x0 + 4 * ldb : null;
                    if (next != null && Prefetch) RowPairRank4Prefetch(t, t + chunk, w, x0, ldb, a + p * acs, ars, acs, next);
                    else RowPairRank4(t, t + chunk, w, x0, ldb, a + p * acs, ars, acs);
                    i = 2;
                }
                for (; i + 2 <= m; i += 2)
                    RowPairRank4(t + (nint)i * chunk, t + (nint)(i + 1) * chunk, w, x0, ldb, a + i * ars + p * acs, ars, acs);
                if (i < m)
                    RowRank1(t + (nint)i * chunk, w, x0, ldb, a + i * ars + p * acs, acs, 4);
            }
            if (p < k)
            {
                double* x0 = b + j0 + (nint)p * ldb;
                for (int i = 0; i < m; i++)
                    RowRank1(t + (nint)i * chunk, w, x0, ldb, a + i * ars + p * acs, acs, k - p);
            }
            // C[i, j0 + j] ← α·T[i, j] + β·C[i, j0 + j] (the same two operations as the micro-kernel's store).
            for (int j = 0; j < w; j++)
            {
                double* cj = c + (nint)(j0 + j) * ldc;
                for (int i = 0; i < m; i++)
                {
                    double x = t[(nint)i * chunk + j];
                    cj[i] = beta == 0 ? x * alpha : Math.FusedMultiplyAdd(x, alpha, cj[i] * beta);
                }
            }
        }
    }

    /// <summary>T0[j] += Σ_{q&lt;4} a(0,q)·x_q[j] and T1[j] += Σ_{q&lt;4} a(1,q)·x_q[j] (x_q = x0 + q·ldb), in q order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowPairRank4(double* t0, double* t1, int w, double* x0, nint ldb, double* a, nint ars, nint acs)
    {
        double* x1 = x0 + ldb, x2 = x1 + ldb, x3 = x2 + ldb;
        var a00 = Vector256.Create(a[0]); var a01 = Vector256.Create(a[acs]);
        var a02 = Vector256.Create(a[2 * acs]); var a03 = Vector256.Create(a[3 * acs]);
        var a10 = Vector256.Create(a[ars]); var a11 = Vector256.Create(a[ars + acs]);
        var a12 = Vector256.Create(a[ars + 2 * acs]); var a13 = Vector256.Create(a[ars + 3 * acs]);
        int j = 0;
        for (; j + 4 <= w; j += 4)
        {
            var v0 = Vector256.Load(x0 + j); var v1 = Vector256.Load(x1 + j);
            var v2 = Vector256.Load(x2 + j); var v3 = Vector256.Load(x3 + j);
            var s0 = Vector256.Load(t0 + j);
            s0 = Vector256.FusedMultiplyAdd(a00, v0, s0); s0 = Vector256.FusedMultiplyAdd(a01, v1, s0);
            s0 = Vector256.FusedMultiplyAdd(a02, v2, s0); s0 = Vector256.FusedMultiplyAdd(a03, v3, s0);
            Vector256.Store(s0, t0 + j);
            var s1 = Vector256.Load(t1 + j);
            s1 = Vector256.FusedMultiplyAdd(a10, v0, s1); s1 = Vector256.FusedMultiplyAdd(a11, v1, s1);
            s1 = Vector256.FusedMultiplyAdd(a12, v2, s1); s1 = Vector256.FusedMultiplyAdd(a13, v3, s1);
            Vector256.Store(s1, t1 + j);
        }
        for (; j < w; j++)
        {
            double s0 = t0[j], s1 = t1[j];
            s0 = Math.FusedMultiplyAdd(a[0], x0[j], s0); s0 = Math.FusedMultiplyAdd(a[acs], x1[j], s0);
            s0 = Math.FusedMultiplyAdd(a[2 * acs], x2[j], s0); s0 = Math.FusedMultiplyAdd(a[3 * acs], x3[j], s0);
            s1 = Math.FusedMultiplyAdd(a[ars], x0[j], s1); s1 = Math.FusedMultiplyAdd(a[ars + acs], x1[j], s1);
            s1 = Math.FusedMultiplyAdd(a[ars + 2 * acs], x2[j], s1); s1 = Math.FusedMultiplyAdd(a[ars + 3 * acs], x3[j], s1);
            t0[j] = s0; t1[j] = s1;
        }
    }

    internal static bool Prefetch = true;

    /// <summary><see cref="RowPairRank4"/> that also prefetches the same j range of the next four columns (next = x0 + 4·ldb).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowPairRank4Prefetch(double* t0, double* t1, int w, double* x0, nint ldb, double* a, nint ars, nint acs, double* next)
    {
        double* x1 = x0 + ldb, x2 = x1 + ldb, x3 = x2 + ldb;
        double* n0 = next, n1 = next + ldb, n2 = n1 + ldb, n3 = n2 + ldb;
        var a00 = Vector256.Create(a[0]); var a01 = Vector256.Create(a[acs]);
        var a02 = Vector256.Create(a[2 * acs]); var a03 = Vector256.Create(a[3 * acs]);
        var a10 = Vector256.Create(a[ars]); var a11 = Vector256.Create(a[ars + acs]);
        var a12 = Vector256.Create(a[ars + 2 * acs]); var a13 = Vector256.Create(a[ars + 3 * acs]);
        int j = 0;
        for (; j + 8 <= w; j += 8)
        {
            // One cache line (8 doubles) of each next column per two vectors.
            Sse.Prefetch0(n0 + j); Sse.Prefetch0(n1 + j); Sse.Prefetch0(n2 + j); Sse.Prefetch0(n3 + j);
            for (int h = 0; h < 8; h += 4)
            {
                int jj = j + h;
                var v0 = Vector256.Load(x0 + jj); var v1 = Vector256.Load(x1 + jj);
                var v2 = Vector256.Load(x2 + jj); var v3 = Vector256.Load(x3 + jj);
                var s0 = Vector256.Load(t0 + jj);
                s0 = Vector256.FusedMultiplyAdd(a00, v0, s0); s0 = Vector256.FusedMultiplyAdd(a01, v1, s0);
                s0 = Vector256.FusedMultiplyAdd(a02, v2, s0); s0 = Vector256.FusedMultiplyAdd(a03, v3, s0);
                Vector256.Store(s0, t0 + jj);
                var s1 = Vector256.Load(t1 + jj);
                s1 = Vector256.FusedMultiplyAdd(a10, v0, s1); s1 = Vector256.FusedMultiplyAdd(a11, v1, s1);
                s1 = Vector256.FusedMultiplyAdd(a12, v2, s1); s1 = Vector256.FusedMultiplyAdd(a13, v3, s1);
                Vector256.Store(s1, t1 + jj);
            }
        }
        if (j < w) RowPairRank4(t0 + j, t1 + j, w - j, x0 + j, ldb, a, ars, acs);
    }

    /// <summary>T[j] += Σ_{q&lt;count} a(0,q)·x_q[j], one q at a time (a single leftover row, or the last k values).</summary>
    private static void RowRank1(double* t, int w, double* x0, nint ldb, double* a, nint acs, int count)
    {
        for (int q = 0; q < count; q++)
        {
            double* x = x0 + q * ldb;
            var aq = Vector256.Create(a[q * acs]);
            int j = 0;
            for (; j + 4 <= w; j += 4)
                Vector256.Store(Vector256.FusedMultiplyAdd(aq, Vector256.Load(x + j), Vector256.Load(t + j)), t + j);
            for (; j < w; j++) t[j] = Math.FusedMultiplyAdd(a[q * acs], x[j], t[j]);
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

    // ---------------------------------------------------------------------------------------------
    // Packing
    // ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Copies op(A)[i0:i0+mc, p0:p0+kc] into slivers of <see cref="MR"/> rows: sliver s holds, for each
    /// k, its 12 rows one after the other (rows past the end are zero).
    /// </summary>
    internal static void PackA(double* a, nint lda, bool transA, int i0, int mc, int p0, int kc, double* dst)
    {
        for (int s = 0; s < mc; s += MR)
        {
            int rows = Math.Min(MR, mc - s);
            double* d = dst + (nint)s * kc;
            if (!transA)
            {
                // op(A) = A, column-major: the 12 rows of column k are contiguous in A.
                double* src = a + (i0 + s) + (nint)p0 * lda;
                if (rows == MR)
                {
                    for (int kk = 0; kk < kc; kk++, src += lda, d += MR)
                    {
                        Vector256.Store(Vector256.Load(src), d);
                        Vector256.Store(Vector256.Load(src + 4), d + 4);
                        Vector256.Store(Vector256.Load(src + 8), d + 8);
                    }
                }
                else
                {
                    for (int kk = 0; kk < kc; kk++, src += lda, d += MR)
                    {
                        int r = 0;
                        for (; r < rows; r++) d[r] = src[r];
                        for (; r < MR; r++) d[r] = 0;
                    }
                }
            }
            else
            {
                // op(A) = Aᵀ: row i of op(A) is column i of A, contiguous in k. Four rows at a time
                // go through a 4×4 register transpose; leftovers one value at a time.
                int r = 0;
                if (Avx.IsSupported)
                    for (; r + 4 <= rows; r += 4)
                    {
                        double* s0 = a + p0 + (nint)(i0 + s + r) * lda;
                        double* s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
                        int kk = 0;
                        for (; kk + 4 <= kc; kk += 4) Transpose4x4(s0 + kk, s1 + kk, s2 + kk, s3 + kk, d + kk * MR + r, MR);
                        for (; kk < kc; kk++)
                        {
                            double* dk = d + kk * MR + r;
                            dk[0] = s0[kk]; dk[1] = s1[kk]; dk[2] = s2[kk]; dk[3] = s3[kk];
                        }
                    }
                for (; r < rows; r++)
                {
                    double* src = a + p0 + (nint)(i0 + s + r) * lda;
                    for (int kk = 0; kk < kc; kk++) d[kk * MR + r] = src[kk];
                }
                for (r = rows; r < MR; r++)
                    for (int kk = 0; kk < kc; kk++) d[kk * MR + r] = 0;
            }
        }
    }

    /// <summary>
    /// Copies op(B)[p0:p0+kc, j0:j0+nc] into slivers of <see cref="NR"/> columns: sliver t holds, for
    /// each k, its 4 columns one after the other (columns past the end are zero).
    /// </summary>
    internal static void PackB(double* b, nint ldb, bool transB, int p0, int kc, int j0, int nc, double* dst)
    {
        if (!transB)
        {
            // op(B) = B, column-major: each column is contiguous in k; interleave 4 of them.
            for (int t = 0; t < nc; t += NR)
            {
                int cols = Math.Min(NR, nc - t);
                double* d = dst + (nint)t * kc;
                double* s0 = b + p0 + (nint)(j0 + t) * ldb;
                if (cols == NR)
                {
                    double* s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
                    int kk = 0;
                    if (Avx.IsSupported)
                        for (; kk + 4 <= kc; kk += 4, d += 4 * NR)
                            Transpose4x4(s0 + kk, s1 + kk, s2 + kk, s3 + kk, d, NR);
                    for (; kk < kc; kk++, d += NR)
                    {
                        d[0] = s0[kk]; d[1] = s1[kk]; d[2] = s2[kk]; d[3] = s3[kk];
                    }
                }
                else
                {
                    for (int kk = 0; kk < kc; kk++, d += NR)
                    {
                        int q = 0;
                        for (; q < cols; q++) d[q] = s0[kk + q * ldb];
                        for (; q < NR; q++) d[q] = 0;
                    }
                }
            }
        }
        else
        {
            // op(B) = Bᵀ: row k of op(B) is column k of B, contiguous in j. Read long runs, write 4 at a time.
            int full = nc / NR * NR;
            for (int kk = 0; kk < kc; kk++)
            {
                double* src = b + j0 + (nint)(p0 + kk) * ldb;
                double* d = dst + kk * NR;
                int t = 0;
                for (; t < full; t += NR) Vector256.Store(Vector256.Load(src + t), d + (nint)t * kc);
                if (t < nc)
                {
                    double* dd = d + (nint)t * kc;
                    int q = 0;
                    for (; t + q < nc; q++) dd[q] = src[t + q];
                    for (; q < NR; q++) dd[q] = 0;
                }
            }
        }
    }

    /// <summary>
    /// Reads 4 values from each of s0..s3 (rows of a 4×4 block) and writes the block's columns:
    /// d[q·stride + r] = s_r[q]. Two rounds of shuffles: pairs within 128-bit halves, then halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s0, double* s1, double* s2, double* s3, double* d, nint stride)
    {
        var r0 = Avx.LoadVector256(s0); var r1 = Avx.LoadVector256(s1);
        var r2 = Avx.LoadVector256(s2); var r3 = Avx.LoadVector256(s3);
        var t0 = Avx.UnpackLow(r0, r1);  // a0 b0 a2 b2
        var t1 = Avx.UnpackHigh(r0, r1); // a1 b1 a3 b3
        var t2 = Avx.UnpackLow(r2, r3);  // c0 d0 c2 d2
        var t3 = Avx.UnpackHigh(r2, r3); // c1 d1 c3 d3
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));              // a0 b0 c0 d0
        Avx.Store(d + stride, Avx.Permute2x128(t1, t3, 0x20));     // a1 b1 c1 d1
        Avx.Store(d + 2 * stride, Avx.Permute2x128(t0, t2, 0x31)); // a2 b2 c2 d2
        Avx.Store(d + 3 * stride, Avx.Permute2x128(t1, t3, 0x31)); // a3 b3 c3 d3
    }

    // ---------------------------------------------------------------------------------------------
    // Micro-kernel
    // ---------------------------------------------------------------------------------------------

    internal interface IRows { static abstract int Vectors { get; } }
    internal struct Rows4 : IRows { public static int Vectors => 1; }
    internal struct Rows8 : IRows { public static int Vectors => 2; }
    internal struct Rows12 : IRows { public static int Vectors => 3; }

    /// <summary>
    /// C[0:mValid, 0:nValid] ← α·(Ap·Bp) + β·C for one tile (α, β = scalars[0], scalars[1]): Ap is a packed A sliver (12 doubles per k,
    /// of which the first 4·Vectors are used), B element (k, j) is at b[k·bsk + j·bsj].
    /// </summary>
    /// <remarks>
    /// The generic parameter is a compile-time row count: the JIT makes one copy per Rows type and
    /// drops the unused accumulators, so the 4- and 8-row versions cost 1/3 and 2/3 of the full one.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<TRows>(int kc, double* ap, double* b, nint bsk, nint bsj, int nValid,
        double* c, nint ldc, int mValid, double* scalars) where TRows : struct, IRows
    {
        // Missing columns (nValid < 4) read column 0 again: valid memory, and the result is not stored.
        double* b0 = b;
        double* b1 = nValid > 1 ? b + bsj : b;
        double* b2 = nValid > 2 ? b + 2 * bsj : b;
        double* b3 = nValid > 3 ? b + 3 * bsj : b;

        Vector256<double> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<double> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default, c23 = default;

        nint off = 0;
        for (int kk = 0; kk < kc; kk++, ap += MR, off += bsk)
        {
            var a0 = Vector256.Load(ap);
            var a1 = TRows.Vectors > 1 ? Vector256.Load(ap + 4) : default;
            var a2 = TRows.Vectors > 2 ? Vector256.Load(ap + 8) : default;

            var bb = Vector256.Create(b0[off]);
            c00 = Vector256.FusedMultiplyAdd(a0, bb, c00);
            if (TRows.Vectors > 1) c10 = Vector256.FusedMultiplyAdd(a1, bb, c10);
            if (TRows.Vectors > 2) c20 = Vector256.FusedMultiplyAdd(a2, bb, c20);

            bb = Vector256.Create(b1[off]);
            c01 = Vector256.FusedMultiplyAdd(a0, bb, c01);
            if (TRows.Vectors > 1) c11 = Vector256.FusedMultiplyAdd(a1, bb, c11);
            if (TRows.Vectors > 2) c21 = Vector256.FusedMultiplyAdd(a2, bb, c21);

            bb = Vector256.Create(b2[off]);
            c02 = Vector256.FusedMultiplyAdd(a0, bb, c02);
            if (TRows.Vectors > 1) c12 = Vector256.FusedMultiplyAdd(a1, bb, c12);
            if (TRows.Vectors > 2) c22 = Vector256.FusedMultiplyAdd(a2, bb, c22);

            bb = Vector256.Create(b3[off]);
            c03 = Vector256.FusedMultiplyAdd(a0, bb, c03);
            if (TRows.Vectors > 1) c13 = Vector256.FusedMultiplyAdd(a1, bb, c13);
            if (TRows.Vectors > 2) c23 = Vector256.FusedMultiplyAdd(a2, bb, c23);
        }

        double alpha = scalars[0], beta = scalars[1];
        StoreColumn<TRows>(c, mValid, alpha, beta, c00, c10, c20);
        if (nValid > 1) StoreColumn<TRows>(c + ldc, mValid, alpha, beta, c01, c11, c21);
        if (nValid > 2) StoreColumn<TRows>(c + 2 * ldc, mValid, alpha, beta, c02, c12, c22);
        if (nValid > 3) StoreColumn<TRows>(c + 3 * ldc, mValid, alpha, beta, c03, c13, c23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumn<TRows>(double* c, int mValid, double alpha, double beta,
        Vector256<double> v0, Vector256<double> v1, Vector256<double> v2) where TRows : struct, IRows
    {
        Update(c, v0, mValid, alpha, beta);
        if (TRows.Vectors > 1) Update(c + 4, v1, mValid - 4, alpha, beta);
        if (TRows.Vectors > 2) Update(c + 8, v2, mValid - 8, alpha, beta);
    }

    /// <summary>
    /// c ← α·acc + β·c for up to 4 rows. β = 0 does not read c. The vector and scalar branches do the
    /// same operations (one multiply, one fused multiply-add), so a value does not depend on which runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(double* c, Vector256<double> acc, int rows, double alpha, double beta)
    {
        if (rows >= 4)
        {
            var r = beta == 0
                ? acc * alpha
                : Vector256.FusedMultiplyAdd(acc, Vector256.Create(alpha), Vector256.Load(c) * beta);
            Vector256.Store(r, c);
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                double x = acc.GetElement(i);
                c[i] = beta == 0 ? x * alpha : Math.FusedMultiplyAdd(x, alpha, c[i] * beta);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Packing buffers: one pair per thread, grown when needed, never freed while the thread lives.
    // ---------------------------------------------------------------------------------------------

    private static class ThreadBuffers
    {
        [ThreadStatic] private static double[]? t_a;
        [ThreadStatic] private static double[]? t_b;

        public static double* A(int length) => Get(ref t_a, length);
        public static double* B(int length) => Get(ref t_b, length);
        /// <summary>A third buffer, filled by the calling thread and read by every part of one call.</summary>
        public static double* Shared(long length) => Get(ref t_shared, checked((int)length));
        [ThreadStatic] private static double[]? t_shared;

        /// <summary>A 64-byte aligned pointer into a pinned array (allocated on the pinned heap, so it never moves).</summary>
        private static double* Get(ref double[]? buffer, int length)
        {
            if (buffer is null || buffer.Length < length + 8)
                buffer = GC.AllocateUninitializedArray<double>(Math.Max(length + 8, 4096), pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (double*)((p + 63) & ~(nint)63);
        }
    }
}
