using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Kernels;

/// <summary>
/// The matrix products of training, in one place: C ← α·op(A)·op(B) + β·C, written into C.
/// The layers call only this, so the math reads as math and the speed lives in one well-tested kernel
/// (<see cref="GemmEngine"/>: cache-blocked, AVX2/FMA, both cores).
/// </summary>
/// <remarks>
/// <para>op(X) is X, or Xᵀ when its flag is set; transposes are never materialized.</para>
/// <para>In a layer with weights W (n_l×n_{l−1}), activations A_prev (n_{l−1}×m) and gradient dZ (n_l×m):</para>
/// <code>
/// Gemm.Multiply(W, false, aPrev, false, z);                 // Z = W·A_prev
/// Gemm.Multiply(dZ, false, aPrev, true, dW, 1.0 / m, 0.0);  // dW = dZ·A_prevᵀ / m
/// Gemm.Multiply(W, true, dZ, false, dAPrev);                // dA_prev = Wᵀ·dZ
/// </code>
/// <para>Results are bitwise identical for any <see cref="KernelSettings.MaxDegreeOfParallelism"/>.
/// They differ from MathNet's or NumPy's product in the last bits (another summation order), as any two BLAS do.</para>
/// </remarks>
internal static class Gemm
{
    /// <summary>C ← op(A)·op(B), where op transposes when asked. C must already have the result's shape.</summary>
    public static void Multiply(Matrix<double> a, bool transposeA, Matrix<double> b, bool transposeB, Matrix<double> c)
        => Multiply(a, transposeA, b, transposeB, c, 1.0, 0.0);

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C. With β = 0, C's old content is ignored (even NaN); with β = 1 the
    /// product is added to C (use it for Z = W·A + b: fill Z's columns with b first, see
    /// <see cref="Elementwise.BroadcastColumn(Matrix{double}, Matrix{double})"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not agree, or C shares storage with A or B.</exception>
    public static void Multiply(Matrix<double> a, bool transposeA, Matrix<double> b, bool transposeB, Matrix<double> c,
        double alpha, double beta)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        CheckShapes(a.RowCount, a.ColumnCount, transposeA, b.RowCount, b.ColumnCount, transposeB, c.RowCount, c.ColumnCount);

        double[] aData = a.AsColumnMajorArray() ?? a.ToColumnMajorArray();
        double[] bData = b.AsColumnMajorArray() ?? b.ToColumnMajorArray();
        double[]? cDense = c.AsColumnMajorArray();
        if (cDense is not null && (ReferenceEquals(cDense, aData) || ReferenceEquals(cDense, bData)))
            throw new ArgumentException("Gemm.Multiply: C must not be A or B (the product would overwrite its own input).", nameof(c));

        double[] cData = cDense ?? (beta == 0 ? new double[c.RowCount * c.ColumnCount] : c.ToColumnMajorArray());
        int m = c.RowCount, n = c.ColumnCount, k = transposeA ? a.RowCount : a.ColumnCount;
        unsafe
        {
            fixed (double* pa = aData, pb = bData, pc = cData)
            {
                GemmEngine.Compute(m, n, k, alpha, pa, Math.Max(1, a.RowCount), transposeA,
                    pb, Math.Max(1, b.RowCount), transposeB, beta, pc, Math.Max(1, m));
            }
        }
        if (cDense is null)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++) c[i, j] = cData[i + j * m];
    }

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C on raw column-major storage: op(A) is m×k, op(B) is k×n, C is m×n;
    /// element (i, j) of a stored matrix X is <c>x[i + j·ldx]</c>. A is stored k×m when
    /// <paramref name="transposeA"/> is set (m×k otherwise), B is stored n×k when <paramref name="transposeB"/>
    /// is set (k×n otherwise). Use it for views into larger buffers (e.g. a mini-batch inside a preallocated block).
    /// </summary>
    public static void Multiply(int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, bool transposeA,
        ReadOnlySpan<double> b, int ldb, bool transposeB,
        double beta, Span<double> c, int ldc)
        => Multiply(m, n, k, alpha, a, lda, transposeA, b, ldb, transposeB, beta, c, ldc,
            KernelSettings.MaxDegreeOfParallelism, KernelSettings.ParallelFlopThreshold);

    /// <summary>The span form with an explicit thread limit and parallel threshold (for tests).</summary>
    internal static void Multiply(int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, bool transposeA,
        ReadOnlySpan<double> b, int ldb, bool transposeB,
        double beta, Span<double> c, int ldc, int maxThreads, long parallelFlopThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckStorage(a.Length, lda, transposeA ? k : m, transposeA ? m : k, "A", nameof(a));
        CheckStorage(b.Length, ldb, transposeB ? n : k, transposeB ? k : n, "B", nameof(b));
        CheckStorage(c.Length, ldc, m, n, "C", nameof(c));
        if (m == 0 || n == 0) return;
        if (c.Overlaps(a) || c.Overlaps(b))
            throw new ArgumentException("Gemm.Multiply: C must not overlap A or B (the product would overwrite its own input).", nameof(c));
        unsafe
        {
            fixed (double* pa = a, pb = b, pc = c)
                GemmEngine.Compute(m, n, k, alpha, pa, lda, transposeA, pb, ldb, transposeB, beta, pc, ldc,
                    maxThreads, parallelFlopThreshold);
        }
    }

    private static void CheckShapes(int aRows, int aCols, bool transA, int bRows, int bCols, bool transB, int cRows, int cCols)
    {
        int opARows = transA ? aCols : aRows, opACols = transA ? aRows : aCols;
        int opBRows = transB ? bCols : bRows, opBCols = transB ? bRows : bCols;
        if (opACols != opBRows)
            throw new ArgumentException(
                $"Gemm.Multiply: cannot multiply {Describe("A", aRows, aCols, transA)} by {Describe("B", bRows, bCols, transB)}: " +
                $"op(A) has {opACols} columns but op(B) has {opBRows} rows.");
        if (cRows != opARows || cCols != opBCols)
            throw new ArgumentException(
                $"Gemm.Multiply: C is {cRows}×{cCols} but {Describe("A", aRows, aCols, transA)} times {Describe("B", bRows, bCols, transB)} is {opARows}×{opBCols}.", "c");
    }

    private static string Describe(string name, int rows, int cols, bool transposed)
        => transposed ? $"{name}ᵀ ({name} is {rows}×{cols}, so {name}ᵀ is {cols}×{rows})" : $"{name} ({rows}×{cols})";

    private static void CheckStorage(int length, int ld, int rows, int cols, string name, string param)
    {
        if (ld < Math.Max(1, rows))
            throw new ArgumentOutOfRangeException(param, $"Gemm.Multiply: the leading dimension of {name} is {ld}, less than its {rows} stored rows.");
        long need = rows == 0 || cols == 0 ? 0 : (long)(cols - 1) * ld + rows;
        if (length < need)
            throw new ArgumentException($"Gemm.Multiply: {name} is stored {rows}×{cols} with leading dimension {ld}, which needs {need} values, but its span has {length}.", param);
    }
}
