using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;
using NeuralNet.Numerics;

namespace NeuralNet;

/// <summary>
/// How a network's first weights are drawn: W_l = randn(n_l, n_{l−1})·scale_l, b_l = 0, with one
/// NumPy-compatible generator seeded once and drawn from layer 1 to L (so a seed gives NumPy's numbers).
/// </summary>
public sealed class Initialization
{
    private readonly Func<int, double> _scale;

    private Initialization(string name, uint seed, Func<int, double> scaleForFanIn, string rule)
    {
        Name = name;
        Seed = seed;
        _scale = scaleForFanIn;
        Rule = rule;
    }

    /// <summary>"original", "he" or "xavier".</summary>
    public string Name { get; }

    /// <summary>The generator's seed.</summary>
    internal uint Seed { get; }

    /// <summary>The scale rule, for display.</summary>
    internal string Rule { get; }

    /// <summary>The original's: randn·<paramref name="scale"/> (0.1) whatever the layer's size.</summary>
    public static Initialization Original(uint seed = 3, double scale = 0.1)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), Invariant($"The initial weight scale must be a positive number, not {scale}."));
        return new Initialization("original", seed, _ => scale, Invariant($"W = randn·{scale}"));
    }

    /// <summary>He: randn·√(2/n_{l−1}), which keeps the spread of ReLU activations steady from layer to layer.</summary>
    public static Initialization He(uint seed = 3) =>
        new("he", seed, fanIn => Math.Sqrt(2.0 / fanIn), "W = randn·√(2/n_prev)");

    /// <summary>Xavier: randn·√(1/n_{l−1}), suited to tanh and sigmoid layers.</summary>
    public static Initialization Xavier(uint seed = 3) =>
        new("xavier", seed, fanIn => Math.Sqrt(1.0 / fanIn), "W = randn·√(1/n_prev)");

    /// <summary>The initialisation called <paramref name="name"/> ("original", "he", "xavier").</summary>
    public static Initialization FromName(string name, uint seed = 3) => name.Trim().ToLowerInvariant() switch
    {
        "original" => Original(seed),
        "he" => He(seed),
        "xavier" or "glorot" => Xavier(seed),
        _ => throw new ArgumentException($"Unknown initialisation \"{name}\". Known: original, he, xavier.", nameof(name)),
    };

    /// <summary>Fresh parameters for layer sizes [n_0, n_1, …, n_L].</summary>
    public Parameters Create(IReadOnlyList<int> layerDims)
    {
        MemoryBudget.CheckLayerSizes(layerDims);
        var rng = new NumPyRandom(Seed);
        var weights = new Matrix<double>[layerDims.Count - 1];
        var biases = new Matrix<double>[layerDims.Count - 1];
        for (int l = 1; l < layerDims.Count; l++)
        {
            weights[l - 1] = rng.Randn(layerDims[l], layerDims[l - 1]) * _scale(layerDims[l - 1]);
            biases[l - 1] = Matrix<double>.Build.Dense(layerDims[l], 1);
        }
        return new Parameters(weights, biases);
    }


    /// <inheritdoc />
    public override string ToString() => $"{Name} initialisation ({Rule}, b = 0, seed {Seed})";
}
