using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static NeuralNet.Kernels.BlockedGemm;

namespace NeuralNet.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the order the micro-kernel reads them ("packing"): slivers of
/// 12 rows of A and of 4 columns of B, each contiguous in k. Any transpose disappears in the copy.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>
    /// Copies op(A)[i0:i0+mc, p0:p0+kc] into slivers of <see cref="BlockedGemm.MR"/> rows: sliver s holds, for each
    /// k, its 12 rows one after the other (rows past the end are zero).
    /// </summary>
    public static void PackA(double* a, nint lda, bool transA, int i0, int mc, int p0, int kc, double* dst)
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
    /// Copies op(B)[p0:p0+kc, j0:j0+nc] into slivers of <see cref="BlockedGemm.NR"/> columns: sliver t holds, for
    /// each k, its 4 columns one after the other (columns past the end are zero).
    /// </summary>
    public static void PackB(double* b, nint ldb, bool transB, int p0, int kc, int j0, int nc, double* dst)
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
}
