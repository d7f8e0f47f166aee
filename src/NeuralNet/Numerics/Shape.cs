using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using static System.FormattableString;

namespace NeuralNet.Numerics;

/// <summary>Small helpers for talking about matrix shapes and reaching a dense matrix's numbers.</summary>
public static class Shape
{
    /// <summary>A matrix's shape as a student writes it: <c>(10 × 207)</c>.</summary>
    public static string Of(Matrix<double> m) => Of(m.RowCount, m.ColumnCount);

    /// <summary>A shape written the same way: <c>(rows × columns)</c>.</summary>
    public static string Of(int rows, int columns) => Invariant($"({rows} × {columns})");

    /// <summary>
    /// The column-major numbers behind a dense matrix (no copy), so kernels can loop over them.
    /// A sparse or diagonal matrix is copied into a dense one first.
    /// </summary>
    internal static double[] Values(Matrix<double> m) => Dense(m).Values;

    /// <summary>
    /// The numbers of a matrix a result is written into. It must be dense: writing into a copy of a sparse
    /// matrix would silently lose the result.
    /// </summary>
    internal static double[] Target(Matrix<double> m, string name) =>
        m is DenseMatrix dense ? dense.Values
        : throw new ArgumentException($"{name} receives a result, so it must be a dense matrix (Matrix<double>.Build.Dense), not a {m.GetType().Name}.", name);

    /// <summary>The matrix itself when it is dense; otherwise a dense copy.</summary>
    internal static DenseMatrix Dense(Matrix<double> m) => m as DenseMatrix ?? DenseMatrix.OfMatrix(m);

    /// <summary>
    /// Copies columns <paramref name="columns"/>[start], [start + 1], … of <paramref name="source"/> into the columns of
    /// <paramref name="destination"/>, in that order (as many as the destination has) — the one column-gather loop.
    /// </summary>
    internal static void GatherColumns(Matrix<double> source, IReadOnlyList<int> columns, int start, Matrix<double> destination)
    {
        var src = Values(source);
        var dst = Target(destination, nameof(destination));
        int n = source.RowCount;
        for (int j = 0; j < destination.ColumnCount; j++)
        {
            int c = columns[start + j];
            if (c < 0 || c >= source.ColumnCount)
                throw new ArgumentOutOfRangeException(nameof(columns), Invariant($"Column {c} does not exist: the matrix is {Of(source)}."));
            Array.Copy(src, c * n, dst, j * n, n);
        }
    }
}
