using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// The general engine of <see cref="GemmEngine"/>: packed blocks of op(A) and op(B) (or B read in place)
/// multiplied by a 12×4 register micro-kernel. <see cref="Run"/> computes one part C[m0:m1, n0:n1].
/// </summary>
/// <remarks>
/// <para><b>The micro-kernel</b> holds a 12×4 block of C in 12 AVX registers (3 vectors of 4 doubles per
/// column, 4 columns) while it runs down the summed index k, doing per k step 3 vector loads of A,
/// 4 broadcasts of B and 12 fused multiply-adds. 12 accumulators + 3 A vectors + 1 broadcast is exactly
/// the 16 registers AVX2 has, and 12 FMAs per 7 loads keeps the two FMA units busy instead of waiting on memory.</para>
/// <para><b>Packing</b> (<see cref="Packing"/>): a block of op(A) (at most <see cref="MC"/>×<see cref="KC"/>) is copied
/// into slivers of 12 rows (k-major), a block of op(B) (<see cref="KC"/>×nc) into slivers of 4 columns.
/// One B sliver (KC×4, 8 KB) stays in L1 while the A block (≤ 288 KB) sits in L2.</para>
/// <para><b>Streaming B</b>: when op(A) has at most 12 rows and B is not transposed, B's columns are read
/// in place (4 sequential streams the hardware prefetcher follows), in k blocks of <see cref="StreamKC"/>.</para>
/// <para>Edges (fewer than 12 rows or 4 columns left) use the same micro-kernel on zero-padded slivers and
/// store only the valid part; 4- and 8-row variants avoid wasting work on short row tails.</para>
/// </remarks>
internal static unsafe class BlockedGemm
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
    public const int PackedBBytes = 2 * 1024 * 1024;

    /// <summary>Depth of a block when B is streamed in place (A ≤ 12 rows): longer sequential runs of B.</summary>
    public const int StreamKC = 1024;
    /// <summary>B is streamed in place (not packed) when op(A) has at most this many rows and B is not transposed.</summary>
    public const int StreamMaxRows = MR;

    /// <summary>Whether B is read in place (decided on the whole product's shape, never on one part's).</summary>
    public static bool Streams(int m, bool transB) => !transB && m <= StreamMaxRows;

    /// <summary>The blocked loops for the part C[m0:m1, n0:n1] (the whole k range).</summary>
    public static void Run(int m0, int m1, int n0, int n1, int k, double alpha,
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
                if (!stream) Packing.PackB(b, ldb, transB, pc, kc, jc, nc, packB);
                for (int ic = m0; ic < m1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m1 - ic);
                    // (A packed once for the whole k range is sliver-major with 12 values per k,
                    // so its block for [pc, pc + kc) simply starts 12·pc values in.)
                    if (sharedA != null) packA = sharedA + (nint)pc * MR;
                    else Packing.PackA(a, lda, transA, ic, mc, pc, kc, packA);
                    double* cBlock = c + ic + (nint)jc * ldc;
                    double* bBlock = stream ? b + (nint)jc * ldb + pc : packB;
                    Macro(mc, nc, kc, packA, bBlock, stream, ldb, cBlock, ldc, scalars);
                }
            }
        }
    }

    /// <summary>
    /// One packed A block (mc×kc) times one B block (kc×nc) into C: for each 12-row A sliver, sweep
    /// all 4-column B slivers. The A sliver (12·kc doubles, ≤ 24 KB) then stays in L1 and only B's
    /// 4 values per k come from L2 — a third of the traffic of the opposite order, as mr = 3·nr.
    /// </summary>
    private static void Macro(int mc, int nc, int kc, double* packA, double* bBlock, bool stream, nint ldb,
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

    private interface IRows { static abstract int Vectors { get; } }
    private struct Rows4 : IRows { public static int Vectors => 1; }
    private struct Rows8 : IRows { public static int Vectors => 2; }
    private struct Rows12 : IRows { public static int Vectors => 3; }

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
}
