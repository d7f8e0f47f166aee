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
            // Parts that repeat no packing (B streamed with A packed once below) can be small, so a
            // thread the OS delays holds little work hostage. (The few-rows × Bᵀ path copies each
            // part's first chunk of B without overlapping it with FMAs: fewer, longer parts there.)
            bool cheapParts = Streams(m, transB);
            parts = Math.Min(columns ? tilesN : tilesM, maxThreads * (cheapParts ? 4 * PartsPerThread : PartsPerThread));
        }
        // With B read in place (streamed, or Bᵀ on the few-rows path), op(A) is one sliver (≤ 12 rows):
        // pack all of it once, for every part.
        double* sharedA = null;
        if (Streams(m, transB) || UsesSmallATransB(m, n, transB))
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
                SmallATransB(_m, n0, n1, _k, _alpha, SharedA, _b, _ldb, _beta, _c, _ldc);
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
    /// <summary>…and at least this many columns of C (below it the general path's packing costs little).</summary>
    internal static int SmallMinColumns = 512;

    /// <summary>
    /// C[:, n0:n1] ← α·op(A)·Bᵀ + β·C for op(A) with few rows (m ≤ 12), packed once into one sliver
    /// (<paramref name="packedA"/>: 12 values per k), and B stored n×k.
    /// </summary>
    /// <remarks>
    /// <para>This is dW = dZ·Xᵀ of a wide first layer (dZ 10×207, X 12288×207). Column j of C needs row j
    /// of X: one value from each of X's 207 columns, 12288 values apart. Reading X like that in place
    /// is slow for a reason worth knowing: 12288·8 bytes is a multiple of 4096, so all 207 values land
    /// in the same few sets of the L1 and L2 caches, which hold only 8 lines per set — the lines evict
    /// each other before they are used twice. So, as BLAS libraries do, B is copied ("packed"),
    /// <see cref="TransBChunk"/> columns of C at a time, into tiles of 8 columns × k, each contiguous.</para>
    /// <para>The vectors run along C's columns (not its ≤ 12 rows, which would waste lanes: 10 rows
    /// fill 3 vectors of 4 only to 83 %). A tile of up to 6 rows × 8 columns of C lives in 12
    /// registers; per k it loads 2 vectors of packed B, broadcasts one value of A per row and does
    /// 2 FMAs per row. Rows are split into two equal groups (10 = 5 + 5); the second group finds the
    /// tile's 13 KB of packed B still in L1.</para>
    /// <para>Copying the next chunk is folded into the first group's loop (8 values of B per k step), so the
    /// loads from memory overlap the FMAs instead of running as a separate pass (<see cref="NextChunk"/>).</para>
    /// <para>Each element of C is one chain: acc ← 0, one FMA per k in order, then C ← α·acc + β·C —
    /// the same bits whichever thread, chunk, tile or tail loop computes it.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallATransB(int m, int n0, int n1, int k, double alpha, double* packedA,
        double* b, nint ldb, double beta, double* c, nint ldc)
    {
        int groups = m <= 6 ? 1 : 2;
        int first = (m + groups - 1) / groups;
        // Long k (a full batch of many samples) gets narrower chunks, so the two buffers stay bounded.
        int chunk = Math.Clamp(TransBChunkValues / Math.Max(1, k) / 8 * 8, 8, TransBChunk);
        int tiled = n0 + (n1 - n0) / 8 * 8;   // columns [n0, tiled) go in tiles of 8
        nint chunkValues = (nint)chunk * k;
        double* current = ThreadBuffers.B(checked((int)(2 * chunkValues)));
        double* next = current + chunkValues;
        if (n0 < tiled)
        {
            var startCopy = new NextChunk(b + n0, ldb, k, Math.Min(chunk, tiled - n0), current);
            startCopy.Finish();
        }
        for (int j0 = n0; j0 < tiled; j0 += chunk)
        {
            int tiles = Math.Min(chunk, tiled - j0) / 8;
            var copy = new NextChunk(b + j0 + chunk, ldb, k, Math.Min(chunk, Math.Max(0, tiled - j0 - chunk)), next);
            for (int t = 0; t < tiles; t++)
            {
                double* pt = current + (nint)t * 8 * k, cj = c + (nint)(j0 + 8 * t) * ldc;
                TransBGroup(first, k, packedA, pt, cj, ldc, alpha, beta, ref copy);
                if (groups > 1)
                {
                    var none = default(NextChunk);
                    TransBGroup(m - first, k, packedA + first, pt, cj + first, ldc, alpha, beta, ref none);
                }
            }
            // The next chunk is never wider than this one, so the first row group's steps copied all of it.
            System.Diagnostics.Debug.Assert(copy.Run >= copy.Runs, "the next chunk was not copied completely");
            double* swap = current; current = next; next = swap;
        }
        // The last columns of the range that do not fill a tile of 8: the same chains, one element at a time.
        for (int j = tiled; j < n1; j++)
            for (int i = 0; i < m; i++)
            {
                double acc = 0;
                double* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) acc = Math.FusedMultiplyAdd(packedA[(nint)p * MR + i], *bp, acc);
                double* cp = c + i + (nint)j * ldc;
                *cp = beta == 0 ? acc * alpha : Math.FusedMultiplyAdd(acc, alpha, *cp * beta);
            }
    }

    /// <summary>Columns of C per packed chunk of B in <see cref="SmallATransB"/> (128 × 207 values = 212 KB, twice, in L2).</summary>
    internal const int TransBChunk = 128;
    /// <summary>At most this many values per chunk buffer (256 KB) unless even 8 columns need more (8·k).</summary>
    internal const int TransBChunkValues = 128 * 256;
    /// <summary>While copying run p of the next chunk, the copy asks for the same line of run p + 2 (a prefetch).</summary>
    internal const int CopyAhead = 2;

    /// <summary>
    /// A copy of B's rows [0, width) (B stored n×k; width a multiple of 8) into tiles, made 8 values at a
    /// time: tile t holds, for each p, B[8t .. 8t+7, p], so <c>dst[t·8k + 8p + q] = B[8t + q, p]</c>.
    /// Values are taken column by column of B (run p, then p + 1, …), each run read sequentially.
    /// </summary>
    private struct NextChunk
    {
        public readonly double* Source, Destination;
        public readonly nint Ldb, TileStride;
        /// <summary>Runs to copy (k, or 0 when there is nothing to copy) and 8-value pieces per run.</summary>
        public readonly int Runs, Pieces;
        /// <summary>The next piece to copy: run (column of B) and piece within it.</summary>
        public int Run, Piece;

        public NextChunk(double* source, nint ldb, int k, int width, double* destination)
        {
            Source = source; Ldb = ldb; Destination = destination; TileStride = (nint)8 * k;
            Pieces = width / 8;
            Runs = Pieces > 0 ? k : 0;
        }

        /// <summary>Copies whatever is left.</summary>
        public void Finish()
        {
            for (; Run < Runs; Run++, Piece = 0)
                for (; Piece < Pieces; Piece++) CopyPiece(Source, Ldb, Destination, TileStride, Run, Piece);
        }

        /// <summary>Copies piece <paramref name="piece"/> (8 values) of run <paramref name="run"/> into its tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void CopyPiece(double* source, nint ldb, double* destination, nint tileStride, int run, int piece)
        {
            double* s = source + run * ldb + 8 * piece;
            double* d = destination + piece * tileStride + 8 * run;
            // Ask for the same line two runs on. (A hint only: past the last run it names memory
            // that is never read, and cannot fault.)
            if (Sse.IsSupported) Sse.Prefetch0(s + CopyAhead * ldb);
            Vector256.Store(Vector256.Load(s), d);
            Vector256.Store(Vector256.Load(s + 4), d + 4);
        }
    }

    /// <summary>Picks the compile-time row count (1–6) for <see cref="TransBTile{TRows}"/>.</summary>
    private static void TransBGroup(int rows, int k, double* ap, double* b, double* c, nint ldc, double alpha, double beta,
        ref NextChunk copy)
    {
        switch (rows)
        {
            case 1: TransBTile<R1>(k, ap, b, c, ldc, alpha, beta, ref copy); break;
            case 2: TransBTile<R2>(k, ap, b, c, ldc, alpha, beta, ref copy); break;
            case 3: TransBTile<R3>(k, ap, b, c, ldc, alpha, beta, ref copy); break;
            case 4: TransBTile<R4>(k, ap, b, c, ldc, alpha, beta, ref copy); break;
            case 5: TransBTile<R5>(k, ap, b, c, ldc, alpha, beta, ref copy); break;
            default: TransBTile<R6>(k, ap, b, c, ldc, alpha, beta, ref copy); break;
        }
    }

    internal interface IRowCount { static abstract int N { get; } }
    internal struct R1 : IRowCount { public static int N => 1; }
    internal struct R2 : IRowCount { public static int N => 2; }
    internal struct R3 : IRowCount { public static int N => 3; }
    internal struct R4 : IRowCount { public static int N => 4; }
    internal struct R5 : IRowCount { public static int N => 5; }
    internal struct R6 : IRowCount { public static int N => 6; }

    /// <summary>
    /// C[0:N, 0:8] ← α·A·Bᵀ + β·C for one tile: row r of A at <c>ap[p·12 + r]</c>, the packed B's values for
    /// the tile's 8 columns at <c>b[8p .. 8p + 7]</c>, C column-major (element (r, q) at c[r + q·ldc]).
    /// Each step over p also moves <paramref name="copy"/> on by 8 values, until it is done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransBTile<TRows>(int k, double* ap, double* b, double* c, nint ldc, double alpha, double beta,
        ref NextChunk copy) where TRows : struct, IRowCount
    {
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        // Copying: the cursor lives in locals during the loop (registers, not the struct in memory).
        double* src = copy.Source, dst = copy.Destination;
        nint ldb = copy.Ldb, tileStride = copy.TileStride;
        int run = copy.Run, piece = copy.Piece, pieces = copy.Pieces, copyRuns = copy.Runs;
        for (int p = 0; p < k; p++, ap += MR, b += 8)
        {
            if (run < copyRuns)
            {
                NextChunk.CopyPiece(src, ldb, dst, tileStride, run, piece);
                if (++piece == pieces) { piece = 0; run++; }
            }
            var x0 = Vector256.Load(b);
            var x1 = Vector256.Load(b + 4);
            var a = Vector256.Create(ap[0]);
            c00 = Vector256.FusedMultiplyAdd(a, x0, c00); c01 = Vector256.FusedMultiplyAdd(a, x1, c01);
            if (TRows.N > 1) { a = Vector256.Create(ap[1]); c10 = Vector256.FusedMultiplyAdd(a, x0, c10); c11 = Vector256.FusedMultiplyAdd(a, x1, c11); }
            if (TRows.N > 2) { a = Vector256.Create(ap[2]); c20 = Vector256.FusedMultiplyAdd(a, x0, c20); c21 = Vector256.FusedMultiplyAdd(a, x1, c21); }
            if (TRows.N > 3) { a = Vector256.Create(ap[3]); c30 = Vector256.FusedMultiplyAdd(a, x0, c30); c31 = Vector256.FusedMultiplyAdd(a, x1, c31); }
            if (TRows.N > 4) { a = Vector256.Create(ap[4]); c40 = Vector256.FusedMultiplyAdd(a, x0, c40); c41 = Vector256.FusedMultiplyAdd(a, x1, c41); }
            if (TRows.N > 5) { a = Vector256.Create(ap[5]); c50 = Vector256.FusedMultiplyAdd(a, x0, c50); c51 = Vector256.FusedMultiplyAdd(a, x1, c51); }
        }
        copy.Run = run;
        copy.Piece = piece;

        StoreRow(c, ldc, c00, c01, alpha, beta);
        if (TRows.N > 1) StoreRow(c + 1, ldc, c10, c11, alpha, beta);
        if (TRows.N > 2) StoreRow(c + 2, ldc, c20, c21, alpha, beta);
        if (TRows.N > 3) StoreRow(c + 3, ldc, c30, c31, alpha, beta);
        if (TRows.N > 4) StoreRow(c + 4, ldc, c40, c41, alpha, beta);
        if (TRows.N > 5) StoreRow(c + 5, ldc, c50, c51, alpha, beta);
    }

    /// <summary>Eight values of one row of C (8 columns, ldc apart) ← α·acc + β·C, as <see cref="Update"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(double* c, nint ldc, Vector256<double> lo, Vector256<double> hi, double alpha, double beta)
    {
        for (int q = 0; q < 4; q++)
        {
            double* c0 = c + q * ldc, c1 = c + (q + 4) * ldc;
            double x0 = lo.GetElement(q), x1 = hi.GetElement(q);
            *c0 = beta == 0 ? x0 * alpha : Math.FusedMultiplyAdd(x0, alpha, *c0 * beta);
            *c1 = beta == 0 ? x1 * alpha : Math.FusedMultiplyAdd(x1, alpha, *c1 * beta);
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
