using System.Collections;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet;

/// <summary>
/// The weights and biases of an L-layer network: W_l is (n_l × n_{l−1}) and b_l is (n_l × 1),
/// for l = 1 … L. Numbered from 1 as in the equations: <c>parameters.W[1]</c> is the first layer's W.
/// </summary>
public sealed class Parameters : IEnumerable<(Matrix<double> W, Matrix<double> b)>
{
    /// <summary>
    /// Parameters made of the given matrices — used as they are, not copied, when they are dense (a sparse or
    /// diagonal one is copied into a dense matrix, since training writes into it); each W_l's columns must
    /// match W_{l−1}'s rows.
    /// </summary>
    public Parameters(IReadOnlyList<Matrix<double>> weights, IReadOnlyList<Matrix<double>> biases)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (weights.Count == 0)
            throw new ArgumentException("A network needs at least one layer of weights.", nameof(weights));
        if (weights.Count != biases.Count)
            throw new ArgumentException($"There are {weights.Count} weight matrices but {biases.Count} bias vectors; each layer needs one of each.");
        for (int l = 1; l <= weights.Count; l++)
        {
            var w = weights[l - 1];
            var b = biases[l - 1];
            if (b.RowCount != w.RowCount || b.ColumnCount != 1)
                throw new ShapeMismatchException(
                    $"Layer {l}: b is {Shape.Of(b)} but W is {Shape.Of(w)}; b must be ({w.RowCount} × 1), one bias per unit.");
            if (l > 1 && w.ColumnCount != weights[l - 2].RowCount)
                throw new ShapeMismatchException(
                    $"Layer {l}: W is {Shape.Of(w)} but layer {l - 1} has {weights[l - 2].RowCount} units (W{l - 1} is {Shape.Of(weights[l - 2])}); " +
                    $"W{l} needs {weights[l - 2].RowCount} columns, one per unit below it.");
        }
        MemoryBudget.CheckLayerSizes([weights[0].ColumnCount, .. weights.Select(w => w.RowCount)]);   // Count and any copy stay in range
        W = new(weights.Select(w => (Matrix<double>)Shape.Dense(w)).ToArray());
        b = new(biases.Select(b => (Matrix<double>)Shape.Dense(b)).ToArray());
    }

    /// <summary>The weight matrices, by layer number 1 … L.</summary>
    public LayerIndexed<Matrix<double>> W { get; }

    /// <summary>The bias columns, by layer number 1 … L.</summary>
    public LayerIndexed<Matrix<double>> b { get; }

    /// <summary>L, the number of layers with parameters (the input is layer 0 and has none).</summary>
    public int LayerCount => W.Count;

    /// <summary>The layer sizes [n_0, n_1, …, n_L], as passed to <see cref="DeepNN.InitializeParameters"/>.</summary>
    internal int[] LayerDims => [W[1].ColumnCount, .. W.Select(w => w.RowCount)];

    /// <summary>How many numbers training adjusts: Σ_l n_l·n_{l−1} + n_l.</summary>
    public int Count => W.Sum(w => w.RowCount * w.ColumnCount) + b.Sum(b => b.RowCount);

    /// <summary>A deep copy: training the copy leaves these untouched.</summary>
    public Parameters Clone() => new(W.Select(w => w.Clone()).ToArray(), b.Select(b => b.Clone()).ToArray());

    public IEnumerator<(Matrix<double> W, Matrix<double> b)> GetEnumerator() => W.Zip(b).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => Invariant($"Parameters: {LayerCount} layers, {Count:N0} numbers")
        + string.Concat(Enumerable.Range(1, LayerCount).Select(l => $"\n  W{l} {Shape.Of(W[l])}, b{l} {Shape.Of(b[l])}"));
}

/// <summary>A read-only list numbered from 1, as layers are in the equations.</summary>
public class LayerIndexed<T> : IReadOnlyList<T>
{
    private readonly IReadOnlyList<T> _items;

    internal LayerIndexed(IReadOnlyList<T> items) => _items = items;

    /// <summary>The item of layer <paramref name="layer"/>, 1 … L.</summary>
    public T this[int layer]
    {
        get
        {
            if (layer < 1 || layer > _items.Count)
                throw new ArgumentOutOfRangeException(nameof(layer),
                    Invariant($"Layers are numbered 1 … {_items.Count} (layer 0 is the input and has no parameters); {layer} is not one of them."));
            return _items[layer - 1];
        }
    }

    /// <summary>L, the number of layers.</summary>
    public int Count => _items.Count;

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

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
