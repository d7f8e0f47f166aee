using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Data;

/// <summary>A network read from a model file, with the record of the data it was trained on (null for files that have none).</summary>
/// <param name="Network">The network, predicting bit for bit as when it was saved.</param>
/// <param name="History">The training history saved with it (null when there is none).</param>
/// <param name="Data">What the model needs to be used again: input size, scaling, class names, source and split.</param>
/// <param name="Version">The file's format version (1 files have no data record).</param>
public sealed record SavedModel(Network Network, TrainingHistory? History, ModelData? Data, int Version);

/// <summary>
/// Saves a network — layer sizes, activations, cost, every weight and bias, its training history and (format 2)
/// a record of its data — as readable JSON, and loads it back so that it predicts bit for bit the same. Doubles
/// are written in their shortest round-trip form, matrices row by row as a student would read them.
/// </summary>
/// <remarks>
/// <para>Reading checks sizes before allocating: the layer sizes must fit the memory budget
/// (<see cref="MemoryBudget"/>) and the file must be long enough to hold the numbers it declares; a file larger than
/// <see cref="MaxFileBytes"/> is refused before it is read. A key written twice is an error naming the file, and so is a
/// weight or bias that is not a finite number (NaN, ±∞, or beyond ±1.8e308 like 1e400): such a network predicts NaN,
/// the same class for every sample. Saving refuses a network with such weights (a diverged one) for the same reason.</para>
/// <para>Saving writes a temporary file beside the target and renames it over the target, so a crash, Ctrl+C or kill
/// mid-way leaves the previous file as it was. If the target is a symbolic link, the file it points to is replaced and
/// the link kept. A folder, a device or other non-regular file, or a file the user cannot write, at the target is refused
/// (see <see cref="CheckWritable"/>). The new file keeps the previous one's permissions, but it is a new file: other hard
/// links to the previous file keep the old model. Temporary files left by a killed save are removed by the next save to
/// the same path.</para>
/// </remarks>
public static partial class ModelFile
{
    /// <summary>The format version this library writes and the newest it reads. Version 2 added the "data" record; version 1 files still load.</summary>
    internal const int FormatVersion = 2;

    /// <summary>The largest model file read (1 GiB, about 50 million parameters).</summary>
    internal const long MaxFileBytes = 1L << 30;

    private const string FormatName = "neuralnet-model";

    /// <summary>
    /// Writes <paramref name="network"/> (and <paramref name="data"/>, if given) to <paramref name="path"/>. The file is
    /// written beside the target under a temporary name and then renamed over it, so a crash mid-way never leaves a
    /// half-written model in place of a good one; the temporary file is removed on every failure. The new file keeps the
    /// previous one's permissions; other hard links to the previous file keep the old model.
    /// </summary>
    /// <returns>The full path of the file written (a symbolic link's target when <paramref name="path"/> is a link).</returns>
    /// <exception cref="ModelFileException">when the target is a folder, a device, or in a place that cannot be written.</exception>
    /// <exception cref="ArgumentException">when a weight or bias is NaN or ±∞ (a diverged network), or the data record does not fit the network.</exception>
    public static string Save(Network network, string path, ModelData? data = null, TrainingHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        network.CheckNotTrainingElsewhere("save it");
        if (data is not null && data.Features != network.LayerSizes[0])
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The data record says {data.Features} features, but the network takes {network.LayerSizes[0]} inputs."), nameof(data));
        if (data?.ClassNamesProblem(network.LayerSizes[^1]) is { } classes)
            throw new ArgumentException($"The data record does not fit the network: {classes}.", nameof(data));
        if (data is not null && (data.TrainSamples < 0 || data.TestSamples < 0))
            throw new ArgumentException("The data record's sample counts cannot be negative.", nameof(data));
        if (network.NonFiniteParameter() is var (name, value))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The network cannot be saved: {name} is {value}, and a model file holds finite weights only (it could not be loaded again). ") +
                "Its training diverged: re-create the network (or load the last good model) and train it with a smaller learning rate.", nameof(network));
        string full = CheckWritable(path);
        SafeFile.WriteAtomically(full, Contents(network, data, history), (stream, contents) => JsonSerializer.Serialize(stream, contents, WriteOptions),
            (reason, e) => Error(path, $"could not save the model to {full}: {reason} The previous file there, if any, is unchanged.", e));
        return full;
    }

    /// <summary>
    /// Checks, before any work, that a model can be saved at <paramref name="path"/>: not a folder, not a device, pipe
    /// or socket, not a file the user cannot write (read-only), its folder creatable and writable. A symbolic link is
    /// followed: the file it points to is what will be replaced. Returns the full path that <see cref="Save"/> will write.
    /// </summary>
    /// <exception cref="ModelFileException">saying what is wrong with the path.</exception>
    public static string CheckWritable(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return SafeFile.CheckWritable(path, path, "model.json", "a .json file", (message, inner) => new ModelFileException(path, message, inner));
    }

    /// <summary>Reads a network and the record of its data (null in format-1 files and in files saved without one).</summary>
    /// <exception cref="ModelFileException">The file is missing, truncated, not a model, from a newer format, too large, or its shapes do not fit.</exception>
    public static SavedModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SafeFile.CheckReadable(path, (problem, full) => problem switch
        {
            FileProblem.Folder => Error(path, $"{path} is a folder, not a model file."),
            FileProblem.Missing => Error(path, $"There is no model file at {full}."),
            _ => Error(path, $"{path} is not a regular file (a device, pipe or socket); give the path of a saved model."),
        });
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (!stream.CanSeek)
                throw Error(path, $"{path} is not a regular file (a device, pipe or socket); give the path of a saved model.");
            long length = stream.Length;
            if (length > MaxFileBytes)
                throw Error(path,
                    $"{path} is {length:N0} bytes, larger than the {MaxFileBytes:N0} bytes (1 GiB) a model file may be; it is not a model saved by NeuralNet, or its network is too large to load.");
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
            return FromJson(document.RootElement, path, length);
        }
        catch (JsonException e)
        {
            throw Error(path,
                $"{path} is not complete, valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message} The file may have been truncated or edited by hand; save the model again.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not ModelFileException)
        {
            throw Error(path, $"{path} could not be read: {e.Message}", e);
        }
    }

    /// <summary>An error about the file at <paramref name="path"/>; its numbers are written the same in every culture.</summary>
    private static ModelFileException Error(string path, FormattableString message, Exception? inner = null) =>
        new(path, message.ToString(CultureInfo.InvariantCulture), inner);

    // ---- writing ----

    // The serializer writes the file as the reader expects it: NaN and ±∞ (in a history: an unknown learning rate, a
    // validation cost of log 0; weights are finite, Save refuses others) as the strings "NaN", "Infinity", "-Infinity",
    // absent parts (no history, no data record) left out.
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static ArgumentException Unsavable(string what) =>
        new($"The network cannot be saved: {what} is not one of the library's (it has no id a model file could store), so it could not be loaded again.");

    /// <summary>The file's contents, key by key as it is written; matrices row by row, streamed from the network's own.</summary>
    private static object Contents(Network network, ModelData? data, TrainingHistory? history) => new
    {
        format = FormatName,
        version = FormatVersion,
        layerSizes = network.LayerSizes,
        cost = network.Cost.Key ?? throw Unsavable($"the cost \"{network.Cost.Name}\""),
        layers = network.Layers.Select(layer => new
        {
            activation = layer.Activation.Key ?? throw Unsavable($"layer {layer.Index}'s activation \"{layer.Activation.Name}\""),
            W = Enumerable.Range(0, layer.Units).Select(i => Enumerable.Range(0, layer.Inputs).Select(k => layer.W[i, k])),
            b = layer.b.Column(0),
        }),   // lazy, like W: each layer is read as it is written
        history = history is not { } h ? null : new
        {
            label = h.Label,
            learningRate = h.LearningRate,
            optimizer = h.Optimizer,
            stepsPerEpoch = h.StepsPerEpoch == 1 ? (int?)null : h.StepsPerEpoch,   // written for mini-batch runs only
            stopped = h.Stopped,
            costs = h.Costs,
            accuracies = h.Accuracies,
            validationEpochs = h.ValidationEpochs,
            validationCosts = h.ValidationCosts,
            validationAccuracies = h.ValidationAccuracies,
        },
        data = data is null ? null : new
        {
            features = data.Features,
            featureNames = data.FeatureNames,
            classes = data.ClassNames,
            scaling = data.Scaling is not { } s ? null : new { mean = s.Mean, std = s.Std },
            source = data.Source,
            options = new SortedDictionary<string, string>(data.Options.ToDictionary(), StringComparer.Ordinal),
            trainSamples = data.TrainSamples,
            testSamples = data.TestSamples,
        },
    };
}

/// <summary>A model file that cannot be loaded or saved; the message says which file and what is wrong with it.</summary>
public sealed class ModelFileException(string filePath, string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>The file that was being read or written.</summary>
    public string FilePath { get; } = filePath;
}
