using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The second engine of <see cref="GemmEngine"/>: C ← α·op(A)·Bᵀ + β·C when op(A) has few rows
/// (at most <see cref="MaxRows"/>) and C many columns (at least <see cref="MinColumns"/>), as in
/// dW = dZ·Xᵀ of a wide first layer. <see cref="Run"/> computes the columns [n0, n1) of C.
/// </summary>
internal static unsafe class FewRowsTransB
{
    /// <summary>op(A) with at most this many rows (one packed sliver)…</summary>
    public const int MaxRows = BlockedGemm.MR;
    /// <summary>…and at least this many columns of C (below it the general path's packing costs little).</summary>
    public const int MinColumns = 512;
    /// <summary>Stride of the packed A sliver: 12 values per k, of which the first m are used.</summary>
    private const int MR = BlockedGemm.MR;

    /// <summary>Whether a product of this shape goes here rather than to <see cref="BlockedGemm"/>.</summary>
    public static bool Applies(int m, int n, bool transB) => transB && m <= MaxRows && n >= MinColumns;

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
    public static void Run(int m, int n0, int n1, int k, double alpha, double* packedA,
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

    /// <summary>Columns of C per packed chunk of B in <see cref="Run"/> (128 × 207 values = 212 KB, twice, in L2).</summary>
    private const int TransBChunk = 128;
    /// <summary>At most this many values per chunk buffer (256 KB) unless even 8 columns need more (8·k).</summary>
    private const int TransBChunkValues = 128 * 256;
    /// <summary>While copying run p of the next chunk, the copy asks for the same line of run p + 2 (a prefetch).</summary>
    private const int CopyAhead = 2;

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

    private interface IRowCount { static abstract int N { get; } }
    private struct R1 : IRowCount { public static int N => 1; }
    private struct R2 : IRowCount { public static int N => 2; }
    private struct R3 : IRowCount { public static int N => 3; }
    private struct R4 : IRowCount { public static int N => 4; }
    private struct R5 : IRowCount { public static int N => 5; }
    private struct R6 : IRowCount { public static int N => 6; }

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

    /// <summary>Eight values of one row of C (8 columns, ldc apart) ← α·acc + β·C, the same operations as the micro-kernel's store (<c>BlockedGemm.Update</c>).</summary>
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
}
