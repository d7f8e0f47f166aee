using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Small two-dimensional data sets for seeing what a network learns: every one returns a
/// <see cref="LabeledData"/> with 2 features (rows x₁ and x₂) and is fully determined by its seed,
/// drawn with <see cref="NumPyRandom"/>.
/// </summary>
public static class SyntheticData
{
    /// <summary>
    /// Two interleaving half circles, as scikit-learn's <c>make_moons(n_samples, noise=noise, random_state=seed)</c>:
    /// the upper moon (class 0) is centred at (0, 0), the lower one (class 1) at (1, 0.5); samples are shuffled,
    /// then Gaussian noise of standard deviation <paramref name="noise"/> is added to each coordinate.
    /// </summary>
    /// <remarks>It follows scikit-learn's recipe step by step with the same NumPy-compatible generator (shuffle, then noise).</remarks>
    public static LabeledData Moons(int samples = 200, double noise = 0.1, uint seed = 0)
    {
        CheckSamples(samples, 2);
        int outer = samples / 2, inner = samples - outer;
        var x = new double[samples, 2];
        for (int i = 0; i < outer; i++)
        {
            double t = Linspace(0, Math.PI, outer, true, i);
            x[i, 0] = Math.Cos(t);
            x[i, 1] = Math.Sin(t);
        }
        for (int i = 0; i < inner; i++)
        {
            double t = Linspace(0, Math.PI, inner, true, i);
            x[outer + i, 0] = 1 - Math.Cos(t);
            x[outer + i, 1] = 1 - Math.Sin(t) - 0.5;
        }
        return ShuffleAndNoise(x, outer, noise, new NumPyRandom(seed), ["upper moon", "lower moon"]);
    }

    /// <summary>
    /// A small circle inside a large one, as scikit-learn's <c>make_circles(n_samples, noise=noise, factor=factor, random_state=seed)</c>:
    /// the outer circle (radius 1) is class 0, the inner one (radius <paramref name="factor"/>) class 1.
    /// </summary>
    public static LabeledData Circles(int samples = 200, double noise = 0.05, double factor = 0.5, uint seed = 0)
    {
        CheckSamples(samples, 2);
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), Invariant($"The inner circle's radius must be between 0 and 1, not {factor}."));
        int outer = samples / 2, inner = samples - outer;
        var x = new double[samples, 2];
        for (int i = 0; i < outer; i++)
        {
            double t = Linspace(0, 2 * Math.PI, outer, false, i);
            x[i, 0] = Math.Cos(t);
            x[i, 1] = Math.Sin(t);
        }
        for (int i = 0; i < inner; i++)
        {
            double t = Linspace(0, 2 * Math.PI, inner, false, i);
            x[outer + i, 0] = Math.Cos(t) * factor;
            x[outer + i, 1] = Math.Sin(t) * factor;
        }
        return ShuffleAndNoise(x, outer, noise, new NumPyRandom(seed), ["outer circle", "inner circle"]);
    }

    /// <summary>
    /// <paramref name="classes"/> intertwined spiral arms (the CS231n classic): arm k has
    /// <paramref name="samplesPerClass"/> points at radius r = 0 … 1 and angle θ = 4k … 4(k+1) plus
    /// Gaussian noise of standard deviation <paramref name="noise"/>, placed at (r·sin θ, r·cos θ).
    /// Samples come arm by arm (not shuffled).
    /// </summary>
    public static LabeledData Spirals(int samplesPerClass = 100, int classes = 3, double noise = 0.2, uint seed = 0)
    {
        CheckSamples(samplesPerClass, 2, nameof(samplesPerClass));
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), Invariant($"Spirals need at least 2 classes, not {classes}."));
        CheckNoise(noise);
        var random = new NumPyRandom(seed);
        int m = checked(samplesPerClass * classes);
        var x = Matrix<double>.Build.Dense(2, m);
        var labels = new int[m];
        for (int k = 0; k < classes; k++)
        {
            for (int i = 0; i < samplesPerClass; i++)
            {
                int j = k * samplesPerClass + i;
                double r = Linspace(0, 1, samplesPerClass, true, i);
                double theta = Linspace(4 * k, 4 * (k + 1), samplesPerClass, true, i) + random.NextGaussian() * noise;
                x[0, j] = r * Math.Sin(theta);
                x[1, j] = r * Math.Cos(theta);
                labels[j] = k;
            }
        }
        return new LabeledData(x, labels, Enumerable.Range(0, classes).Select(k => Invariant($"arm {k}")).ToArray());
    }

    /// <summary>
    /// The XOR problem as four noisy clusters centred at (±1, ±1): class 1 where the two coordinates
    /// have different signs, class 0 where they have the same sign — no straight line separates the classes.
    /// Sample j belongs to cluster j mod 4; noise is Gaussian with standard deviation <paramref name="noise"/>.
    /// </summary>
    public static LabeledData Xor(int samples = 200, double noise = 0.3, uint seed = 0)
    {
        CheckSamples(samples, 4);
        CheckNoise(noise);
        var random = new NumPyRandom(seed);
        double[] cx = [-1, 1, -1, 1], cy = [-1, 1, 1, -1];
        var x = Matrix<double>.Build.Dense(2, samples);
        var labels = new int[samples];
        for (int j = 0; j < samples; j++)
        {
            int cluster = j % 4;
            x[0, j] = cx[cluster] + noise * random.NextGaussian();
            x[1, j] = cy[cluster] + noise * random.NextGaussian();
            labels[j] = cluster < 2 ? 0 : 1;
        }
        return new LabeledData(x, labels, ["same sign", "different signs"]);
    }

    // NumPy's linspace(start, stop, n, endpoint)[i]: i·step + start, with the last point exactly stop.
    private static double Linspace(double start, double stop, int n, bool endpoint, int i)
    {
        int div = endpoint ? n - 1 : n;
        if (div == 0) return start;
        if (endpoint && i == n - 1) return stop;
        double step = (stop - start) / div;
        return i * step + start;
    }

    // scikit-learn's order: shuffle the rows (np.random.shuffle of the indices), then add normal noise row by row.
    private static LabeledData ShuffleAndNoise(double[,] points, int firstClassCount, double noise, NumPyRandom random, string[] names)
    {
        CheckNoise(noise);
        int m = points.GetLength(0);
        var order = Enumerable.Range(0, m).ToArray();
        random.Shuffle(order);
        var x = Matrix<double>.Build.Dense(2, m);
        var labels = new int[m];
        for (int j = 0; j < m; j++)
        {
            x[0, j] = points[order[j], 0];
            x[1, j] = points[order[j], 1];
            labels[j] = order[j] < firstClassCount ? 0 : 1;
        }
        if (noise > 0)
        {
            for (int j = 0; j < m; j++)
            {
                x[0, j] += noise * random.NextGaussian();
                x[1, j] += noise * random.NextGaussian();
            }
        }
        return new LabeledData(x, labels, names);
    }

    private static void CheckSamples(int samples, int minimum, string name = "samples")
    {
        if (samples < minimum)
            throw new ArgumentOutOfRangeException(name, Invariant($"Ask for at least {minimum} samples, not {samples}."));
    }

    private static void CheckNoise(double noise)
    {
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), Invariant($"The noise is a standard deviation: 0 or more, not {noise}."));
    }
}
