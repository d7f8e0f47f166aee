using MathNet.Numerics.LinearAlgebra;
using SimdVector = System.Numerics.Vector;
using VectorD = System.Numerics.Vector<double>;

namespace NeuralNet.Kernels;

/// <summary>
/// The cheap per-element steps around the products, done in place on dense column-major matrices
/// without allocating: the bias broadcast, the bias gradient (row sums) and ReLU forward/backward.
/// All are single passes over memory with <see cref="System.Numerics.Vector{T}"/> arithmetic; each output element is
/// computed in a fixed order, so results never depend on threads or vector width.
/// </summary>
/// <remarks>
/// NaN is never hidden: it passes through every step as NaN (ReLU(NaN) = NaN, and its backward step gives NaN
/// there too), and the vector body and the scalar tail of each loop give the same bits for every input,
/// so a value does not depend on where in the matrix it sits.
/// </remarks>
internal static class Elementwise
{
    /// <summary>
    /// Every column of <paramref name="c"/> ← <paramref name="column"/> (length = rows of c).
    /// With <c>Gemm.Multiply(W, false, A, false, Z, 1, 1)</c> afterwards this gives Z = W·A + b
    /// with the bias add fused into the product's store (b + W·A rounds exactly like W·A + b).
    /// </summary>
    public static void BroadcastColumn(ReadOnlySpan<double> column, Matrix<double> c)
    {
        var data = Dense(c, nameof(c));
        if (column.Length != c.RowCount)
            throw new ArgumentException($"Elementwise.BroadcastColumn: the column has {column.Length} values but C is {c.RowCount}×{c.ColumnCount}.", nameof(column));
        int m = c.RowCount;
        for (int j = 0; j < c.ColumnCount; j++) column.CopyTo(data.AsSpan(j * m, m));
    }

    /// <summary>Every column of <paramref name="c"/> ← the single column of <paramref name="column"/> (an m×1 matrix, e.g. the bias b).</summary>
    public static void BroadcastColumn(Matrix<double> column, Matrix<double> c)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.ColumnCount != 1)
            throw new ArgumentException($"Elementwise.BroadcastColumn: the column must be m×1 but is {column.RowCount}×{column.ColumnCount}.", nameof(column));
        BroadcastColumn(Dense(column, nameof(column)).AsSpan(0, column.RowCount), c);
    }

    /// <summary>
    /// result[i] ← scale · Σ_j x[i, j], the sum taken in column order j = 0, 1, … (db = sum(dZ, axis=1)/m
    /// is <c>RowSums(dZ, db, 1.0 / m)</c>). <paramref name="result"/> is an m×1 matrix.
    /// </summary>
    public static void RowSums(Matrix<double> x, Matrix<double> result, double scale)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ColumnCount != 1 || result.RowCount != x.RowCount)
            throw new ArgumentException($"Elementwise.RowSums: the result must be {x.RowCount}×1 for X {x.RowCount}×{x.ColumnCount}, but is {result.RowCount}×{result.ColumnCount}.", nameof(result));
        RowSums(x, Dense(result, nameof(result)).AsSpan(0, x.RowCount), scale);
    }

    /// <summary>result[i] ← scale · Σ_j x[i, j] (see the matrix overload).</summary>
    public static void RowSums(Matrix<double> x, Span<double> result, double scale)
    {
        var data = Dense(x, nameof(x));
        int m = x.RowCount, n = x.ColumnCount;
        if (result.Length != m)
            throw new ArgumentException($"Elementwise.RowSums: the result has {result.Length} values but X is {m}×{n}.", nameof(result));
        result.Clear();
        // Column by column: each result[i] accumulates x[i,0], x[i,1], … in that order, vectorized across i.
        for (int j = 0; j < n; j++) Add(result, data.AsSpan(j * m, m));
        if (scale != 1) Scale(result, scale);
    }

    /// <summary>
    /// a ← max(0, z), element-wise (z and a may be the same matrix). NaN stays NaN (its bits kept); −0 gives +0.
    /// </summary>
    /// <remarks>
    /// <see cref="SimdVector.Max{T}"/> and <see cref="Math.Max(double, double)"/> are both IEEE 754-2019 maximum
    /// (NaN propagates, +0 &gt; −0), so the body and the tail agree bit for bit.
    /// </remarks>
    public static void Relu(Matrix<double> z, Matrix<double> a)
    {
        int len = SameShape(z, a, "Relu");
        Span<double> zs = Dense(z, nameof(z)).AsSpan(0, len), as_ = Dense(a, nameof(a)).AsSpan(0, len);
        int i = 0;
        if (SimdVector.IsHardwareAccelerated)
            for (; i <= zs.Length - VectorD.Count; i += VectorD.Count)
                SimdVector.Max(new VectorD(zs.Slice(i)), VectorD.Zero).CopyTo(as_.Slice(i));
        for (; i < zs.Length; i++) as_[i] = Math.Max(zs[i], 0.0);
    }

    /// <summary>
    /// dZ ← dA where z &gt; 0, 0 where z ≤ 0, and z itself (NaN) where z is NaN: ReLU'(NaN) is NaN, so the
    /// gradient says so instead of hiding it (the ReLU backward step; dZ may be dA).
    /// </summary>
    public static void ReluBackward(Matrix<double> dA, Matrix<double> z, Matrix<double> dZ)
    {
        int len = SameShape(dA, z, "ReluBackward");
        SameShape(dA, dZ, "ReluBackward");
        Span<double> da = Dense(dA, nameof(dA)).AsSpan(0, len), zs = Dense(z, nameof(z)).AsSpan(0, len), dz = Dense(dZ, nameof(dZ)).AsSpan(0, len);
        int i = 0;
        if (SimdVector.IsHardwareAccelerated)
            for (; i <= zs.Length - VectorD.Count; i += VectorD.Count)
            {
                var zv = new VectorD(zs.Slice(i));
                var positive = SimdVector.GreaterThan(zv, VectorD.Zero);
                // z where z is NaN (z ≠ z), +0 elsewhere: the value taken where z is not positive.
                var nanOrZero = SimdVector.AndNot(zv, SimdVector.AsVectorDouble(SimdVector.Equals(zv, zv)));
                SimdVector.ConditionalSelect(positive, new VectorD(da.Slice(i)), nanOrZero).CopyTo(dz.Slice(i));
            }
        for (; i < zs.Length; i++) dz[i] = zs[i] > 0 ? da[i] : double.IsNaN(zs[i]) ? zs[i] : 0.0;
    }

    private static void Add(Span<double> acc, ReadOnlySpan<double> x)
    {
        int i = 0;
        if (SimdVector.IsHardwareAccelerated)
            for (; i <= acc.Length - VectorD.Count; i += VectorD.Count)
                (new VectorD(acc.Slice(i)) + new VectorD(x.Slice(i))).CopyTo(acc.Slice(i));
        for (; i < acc.Length; i++) acc[i] += x[i];
    }

    private static void Scale(Span<double> x, double s)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= s;
    }

    private static int SameShape(Matrix<double> x, Matrix<double> y, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.RowCount != y.RowCount || x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"Elementwise.{op}: shapes differ: {x.RowCount}×{x.ColumnCount} and {y.RowCount}×{y.ColumnCount}.");
        return x.RowCount * x.ColumnCount;
    }

    private static double[] Dense(Matrix<double> x, string param)
    {
        ArgumentNullException.ThrowIfNull(x, param);
        return x.AsColumnMajorArray()
            ?? throw new ArgumentException($"Elementwise: the matrix ({x.RowCount}×{x.ColumnCount}) must be dense (Matrix<double>.Build.Dense).", param);
    }
}
