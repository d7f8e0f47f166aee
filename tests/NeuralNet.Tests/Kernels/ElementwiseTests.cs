using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Tests.Kernels;

public class ElementwiseTests
{
    private static Matrix<double> RandomMatrix(int rows, int cols, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => rng.NextDouble() * 2 - 1);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(10, 207)]
    public void BroadcastColumnThenGemmAddsBias(int rows, int cols)
    {
        var w = RandomMatrix(rows, 9, 1);
        var x = RandomMatrix(9, cols, 2);
        var bias = RandomMatrix(rows, 1, 3);
        var z = Matrix<double>.Build.Dense(rows, cols, double.NaN);
        Elementwise.BroadcastColumn(bias, z);
        Gemm.Multiply(w, false, x, false, z, 1, 1);
        var expected = Matrix<double>.Build.Dense(rows, cols);
        Gemm.Multiply(w, false, x, false, expected);
        for (int j = 0; j < cols; j++)
            for (int i = 0; i < rows; i++)
                Assert.Equal(expected[i, j] + bias[i, 0], z[i, j]); // bitwise: one rounding either way
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(10, 207)]
    [InlineData(128, 64)]
    public void RowSumsAreScaledSumsInColumnOrder(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 4);
        var db = Matrix<double>.Build.Dense(rows, 1);
        Elementwise.RowSums(x, db, 1.0 / cols);
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int j = 0; j < cols; j++) s += x[i, j];
            Assert.Equal(s * (1.0 / cols), db[i, 0]);
        }
    }

    [Fact]
    public void ReluAndBackward()
    {
        var z = RandomMatrix(11, 13, 5);
        var a = Matrix<double>.Build.Dense(11, 13);
        Elementwise.Relu(z, a);
        var dA = RandomMatrix(11, 13, 6);
        var dZ = Matrix<double>.Build.Dense(11, 13);
        Elementwise.ReluBackward(dA, z, dZ);
        for (int j = 0; j < 13; j++)
            for (int i = 0; i < 11; i++)
            {
                Assert.Equal(Math.Max(0, z[i, j]), a[i, j]);
                Assert.Equal(z[i, j] > 0 ? dA[i, j] : 0, dZ[i, j]);
            }
    }

    /// <summary>
    /// NaN goes through ReLU and its backward step as NaN, wherever it sits: the vector body and the scalar
    /// tail (lengths 1–3 are all tail, 4 and 8 all body, the others both) give the same bits. Before, the tail
    /// turned NaN into 0, so a sample with a NaN could be silently classified. −0 and ±∞ are checked beside it.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(17)]
    public void NanPropagatesTheSameInBodyAndTail(int length)
    {
        double[] specials = [double.NaN, -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, -1.5, 2.5];
        var payloadNan = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_1234)); // a NaN with a payload
        for (int at = 0; at < length; at++)
        {
            // Each position holds each special value once (the rest ordinary numbers), so NaN is tried in the
            // body and in the tail of every length.
            foreach (double special in specials.Append(payloadNan))
            {
                var z = Matrix<double>.Build.Dense(length, 1, (i, _) => i == at ? special : (i % 2 == 0 ? -0.25 - i : 0.5 + i));
                var dA = Matrix<double>.Build.Dense(length, 1, (i, _) => 10.0 + i);
                var a = Matrix<double>.Build.Dense(length, 1);
                var dZ = Matrix<double>.Build.Dense(length, 1);
                Elementwise.Relu(z, a);
                Elementwise.ReluBackward(dA, z, dZ);
                for (int i = 0; i < length; i++)
                {
                    double zi = z[i, 0];
                    // ReLU(z) = max(0, z) with NaN kept (its bits too) and −0 → +0; ReLU'(NaN) = NaN, so dZ is NaN there.
                    double expectedA = double.IsNaN(zi) ? zi : zi > 0 ? zi : 0.0;
                    double expectedDz = double.IsNaN(zi) ? zi : zi > 0 ? dA[i, 0] : 0.0;
                    Assert.True(BitConverter.DoubleToInt64Bits(expectedA) == BitConverter.DoubleToInt64Bits(a[i, 0]),
                        $"ReLU at {i} of {length} (z = {zi}): expected {expectedA}, got {a[i, 0]}");
                    Assert.True(BitConverter.DoubleToInt64Bits(expectedDz) == BitConverter.DoubleToInt64Bits(dZ[i, 0]),
                        $"ReLU backward at {i} of {length} (z = {zi}): expected {expectedDz}, got {dZ[i, 0]}");
                }
            }
        }
    }

    [Fact]
    public void ShapeErrorsNameTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Elementwise.RowSums(RandomMatrix(3, 4, 1), Matrix<double>.Build.Dense(4, 1), 1));
        Assert.Contains("3×1", ex.Message);
        Assert.Contains("4×1", ex.Message);
        Assert.Throws<ArgumentException>(() => Elementwise.BroadcastColumn(Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(3, 5)));
        Assert.Throws<ArgumentException>(() => Elementwise.Relu(RandomMatrix(3, 4, 1), Matrix<double>.Build.Dense(4, 3)));
    }
}

public class KernelSettingsTests
{
    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelSettings.ParallelFlopThreshold = -1);
        Assert.True(KernelSettings.MaxDegreeOfParallelism >= 1);
    }
}
