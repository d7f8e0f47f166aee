using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Tests.Interactive;

/// <summary>Small data and runs the notebook-helper tests share.</summary>
internal static class Samples
{
    /// <summary>A history with the given costs (accuracy 1 − cost) and validation every <paramref name="validationEvery"/> epochs.</summary>
    public static TrainingHistory History(double learningRate, double[] costs, int validationEvery = 0)
    {
        var h = new TrainingHistory(learningRate);
        for (int i = 0; i < costs.Length; i++)
        {
            h.Add(costs[i], 1 - costs[i]);
            if (validationEvery > 0 && (i + 1) % validationEvery == 0) h.AddValidation(i + 1, costs[i] + 0.1, 0.9 - costs[i]);
        }
        return h;
    }

    /// <summary>Two clusters in the plane: class 0 around (−1, −1), class 1 around (1, 1); X (2 × 40), Y (1 × 40).</summary>
    public static (Matrix<double> X, Matrix<double> Y) Clusters()
    {
        var rng = new NumPyRandom(1);
        var noise = rng.Randn(2, 40) * 0.4;
        var X = Matrix<double>.Build.Dense(2, 40, (r, c) => (c < 20 ? -1 : 1) + noise[r, c]);
        var Y = Matrix<double>.Build.Dense(1, 40, (_, c) => c < 20 ? 0 : 1);
        return (X, Y);
    }

    public static TrainingProgress Progress(int epoch, int epochs, TrainingHistory history) =>
        new(epoch, epochs, 0.5, 0.5, null, null, history);
}
