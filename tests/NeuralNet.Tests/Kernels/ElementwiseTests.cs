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
