using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Exercises;

/// <summary>
/// The inputs the checks try: seeded, so every run checks the same cases; odd shapes (no two sizes equal,
/// so a transpose cannot hide), several samples (m &gt; 1, so a missing 1/m shows), non-zero biases.
/// </summary>
internal static class Cases
{
    /// <summary>(inputs n_prev, units n, samples m) of the layer cases: no size equal to another within a case.</summary>
    public static readonly (int Inputs, int Units, int Samples)[] Layers = [(3, 2, 5), (5, 4, 7), (2, 1, 3), (4, 6, 9)];

    public static NumPyRandom Random(int exercise, int k) => new((uint)(1000 * exercise + k + 1));

    public static Matrix<double> Randn(NumPyRandom rng, int rows, int columns, double scale = 1) => rng.Randn(rows, columns) * scale;

    /// <summary>Uniform numbers in (low, high).</summary>
    public static Matrix<double> Uniform(NumPyRandom rng, int rows, int columns, double low, double high) =>
        rng.Rand(rows, columns).Map(u => low + (high - low) * u);

    /// <summary>0/1 labels with at least one of each.</summary>
    public static Matrix<double> Labels(NumPyRandom rng, int columns)
    {
        var y = rng.Rand(1, columns).Map(u => u < 0.5 ? 0.0 : 1.0);
        y[0, 0] = 0;
        y[0, columns - 1] = 1;
        return y;
    }

    /// <summary>A row of ones, 1ᵀ with m entries: b·1ᵀ repeats the column b m times.</summary>
    public static Matrix<double> Ones(int m) => Matrix<double>.Build.Dense(1, m, 1.0);

    public static string Describe(params (string Name, Matrix<double> Value)[] inputs) =>
        string.Join(", ", inputs.Select(i => $"{i.Name} {Shape.Of(i.Value)}"));
}
