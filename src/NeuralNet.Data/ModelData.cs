using System.Globalization;
using System.Text;

namespace NeuralNet.Data;

/// <summary>
/// What a saved model needs to be used again, kept beside its parameters in the model file (format 2): the input size
/// and feature names, the scaling applied to the inputs, the class names, and where its data came from and how it was
/// split. The network itself holds none of this; <see cref="ModelFile.Save"/> writes it and <see cref="ModelFile.Read"/> returns it.
/// </summary>
public sealed record ModelData
{
    /// <summary>Features per sample: the network's input size n_0.</summary>
    public required int Features { get; init; }

    /// <summary>The features' names (a CSV file's header), or null when the data has none.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>The class names, by output index.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The standardisation fitted on the training set and applied to every input, or null when the features are used as loaded.</summary>
    public FeatureScaler? Scaling { get; init; }

    /// <summary>The data source as given (a set's name or a file's path).</summary>
    public required string Source { get; init; }

    /// <summary>The options that shaped the data (for the command line: seed, test-fraction, samples, noise, label-column, test-data, standardize).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>How many samples the model was trained on.</summary>
    public int TrainSamples { get; init; }

    /// <summary>How many samples were held out for testing.</summary>
    public int TestSamples { get; init; }

    /// <summary>
    /// What is wrong with the class names for a network with <paramref name="outputs"/> output units, or null when they
    /// fit: one name per unit (two for a single sigmoid unit, which tells two classes apart), or none at all (a model that
    /// predicts numbers, not classes), each name once. A list that does not fit would name the predictions wrongly.
    /// </summary>
    internal string? ClassNamesProblem(int outputs)
    {
        int count = ClassNames.Count;
        int wanted = outputs == 1 ? 2 : outputs;
        if (count != 0 && count != wanted)
            return string.Create(CultureInfo.InvariantCulture,
                $"the data record names {count} classes, but the network has {outputs} output unit{(outputs == 1 ? " (one sigmoid unit tells 2 classes apart)" : "s, one per class")}, so it needs {wanted} class names");
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < count; k++)
            if (!first.TryAdd(ClassNames[k], k))
                return string.Create(CultureInfo.InvariantCulture, $"the data record names class {first[ClassNames[k]]} and class {k} both '{ClassNames[k]}'; each class needs its own name");
        return null;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder().Append(inv, $"ModelData: {Source}, {Features} features, {ClassNames.Count} classes ({string.Join(", ", ClassNames.Take(10))}{(ClassNames.Count > 10 ? ", …" : "")})");
        if (Scaling is not null) text.Append(", standardized");
        if (Options.Count > 0) text.Append("; ").Append(string.Join(", ", Options.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        text.Append(inv, $"; {TrainSamples} training and {TestSamples} test samples");
        return text.ToString();
    }
}
