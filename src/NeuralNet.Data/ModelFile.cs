using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;
using NeuralNet.Numerics;

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
public static class ModelFile
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

    // ---- reading ----

    private static SavedModel FromJson(JsonElement root, string path, long fileLength)
    {
        var obj = root.ValueKind == JsonValueKind.Object ? Properties(root, path, "the file") : new();
        if (!obj.TryGetValue("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            throw Error(path, $"{path} is JSON but not a NeuralNet model (it has no \"format\": \"{FormatName}\").");
        int version = Int(obj, "version", path, "the file");
        if (version > FormatVersion)
            throw Error(path,
                $"{path} was written in model format version {version} by a newer NeuralNet; this one reads versions up to {FormatVersion}. Update NeuralNet to load it.");
        if (version < 1)
            throw Error(path, $"{path} has format version {version}, which never existed.");

        var sizeList = List(obj, "layerSizes", path, "the file");
        if (sizeList.GetArrayLength() > 10_000)
            throw Error(path, $"{path}: \"layerSizes\" lists {sizeList.GetArrayLength():N0} layers; that is not a network this library can build.");
        var sizes = sizeList.EnumerateArray().Select((n, i) => IntValue(n, path, $"layerSizes[{i}]")).ToArray();
        long parameters;
        try
        {
            parameters = MemoryBudget.CheckLayerSizes(sizes);   // also: at least two sizes, each positive
        }
        catch (ArgumentException e) { throw Error(path, $"{path}: {e.Message}", e); }
        // Each number takes at least two characters ("0,"), so a file shorter than that cannot hold them: it is damaged,
        // and nothing is allocated for what it claims.
        if (MemoryBudget.Multiply(parameters, 2) > fileLength)
            throw Error(path,
                $"{path} declares layer sizes [{string.Join(", ", sizes)}], which need {parameters:N0} numbers, but the file is only {fileLength:N0} bytes long. The \"layerSizes\" or the file is damaged; save the model again.");

        var layers = List(obj, "layers", path, "the file");
        if (layers.GetArrayLength() != sizes.Length - 1)
            throw Error(path, $"{path} lists {sizes.Length} layer sizes, so it needs {sizes.Length - 1} layers, but has {layers.GetArrayLength()}.");

        var weights = new Matrix<double>[sizes.Length - 1];
        var biases = new Matrix<double>[sizes.Length - 1];
        var activations = new Activation[sizes.Length - 1];
        foreach (var (index, layerElement) in layers.EnumerateArray().Index())
        {
            int l = index + 1;
            string where = $"layer {l}";
            var layer = Properties(layerElement, path, where, "with \"activation\", \"W\" and \"b\"");
            activations[l - 1] = Named(layer, "activation", path, where, Activations.FromName);
            var rows = List(layer, "W", path, where);
            if (rows.GetArrayLength() != sizes[l])
                throw Error(path, $"{path}: {where}'s W has {rows.GetArrayLength()} rows but the layer sizes say {sizes[l]} units: W{l} must be {Shape.Of(sizes[l], sizes[l - 1])}.");
            var w = Matrix<double>.Build.Dense(sizes[l], sizes[l - 1]);
            foreach (var (i, row) in rows.EnumerateArray().Index())
            {
                if (row.ValueKind != JsonValueKind.Array)
                    throw Error(path, $"{path}: {where}'s W row {i} is not a list of numbers.");
                if (row.GetArrayLength() != sizes[l - 1])
                    throw Error(path, $"{path}: {where}'s W row {i} has {row.GetArrayLength()} numbers but the layer below has {sizes[l - 1]} units: W{l} must be {Shape.Of(sizes[l], sizes[l - 1])}.");
                foreach (var (k, v) in row.EnumerateArray().Index())
                    w[i, k] = Weight(v, path, $"{where}'s W[{i}, {k}]");
            }
            var b = List(layer, "b", path, where);
            if (b.GetArrayLength() != sizes[l])
                throw Error(path, $"{path}: {where}'s b has {b.GetArrayLength()} numbers but the layer has {sizes[l]} units.");
            weights[l - 1] = w;
            biases[l - 1] = Matrix<double>.Build.Dense(sizes[l], 1, b.EnumerateArray().Select((v, r) => Weight(v, path, $"{where}'s b[{r}]")).ToArray());
        }
        var cost = Named(obj, "cost", path, "the file", Costs.FromName);
        Network network;
        try { network = new Network(new Parameters(weights, biases), activations, cost); }
        catch (ArgumentException e) { throw Error(path, $"{path}: {e.Message}", e); }
        TrainingHistory? trained = obj.TryGetValue("history", out var history) && history.ValueKind != JsonValueKind.Null ? History(history, path) : null;
        ModelData? data = null;
        if (obj.TryGetValue("data", out var record))
        {
            if (version < 2)
                throw Error(path, $"{path} has format version {version} but a \"data\" record, which came with version 2; the file was edited by hand.");
            data = Data(record, path, sizes[0]);
            if (data.ClassNamesProblem(sizes[^1]) is { } problem)
                throw Error(path, $"{path}: {problem}. The file was edited by hand or damaged: restore it, or train the model again.");
        }
        return new SavedModel(network, trained, data, version);
    }

    private static ModelData Data(JsonElement element, string path, int inputs)
    {
        var d = Properties(element, path, "data");
        int features = Int(d, "features", path, "data");
        if (features != inputs)
            throw Error(path, $"{path}: the data record says {features} features, but the network's first layer takes {inputs} inputs.");
        string[]? featureNames = d.ContainsKey("featureNames") ? StringList(d, "featureNames", path) : null;
        if (featureNames is not null && featureNames.Length != features)
            throw Error(path, $"{path}: data.featureNames has {featureNames.Length} names for {features} features.");
        var classes = StringList(d, "classes", path);
        FeatureScaler? scaling = null;
        if (d.TryGetValue("scaling", out var s))
        {
            var sp = Properties(s, path, "data.scaling", "with \"mean\" and \"std\"");
            var mean = Numbers(sp, "mean", path, "data.scaling");
            var std = Numbers(sp, "std", path, "data.scaling");
            try { scaling = FeatureScaler.From(mean, std); }
            catch (ArgumentException e) { throw Error(path, $"{path}: data.scaling: {e.Message}", e); }
            if (mean.Length != features)
                throw Error(path, $"{path}: data.scaling has {mean.Length} means for {features} features.");
        }
        var options = d.TryGetValue("options", out var o)
            ? Properties(o, path, "data.options").ToDictionary(p => p.Key, p => Text(p.Value, path, $"data.options.{p.Key}"), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        string source = d.TryGetValue("source", out var src) && src.ValueKind == JsonValueKind.String ? src.GetString()! : throw Error(path, $"{path}: data has no \"source\".");
        return new ModelData
        {
            Features = features,
            FeatureNames = featureNames,
            ClassNames = classes,
            Scaling = scaling,
            Source = source,
            Options = options,
            TrainSamples = d.ContainsKey("trainSamples") ? Count(d, "trainSamples", path) : 0,
            TestSamples = d.ContainsKey("testSamples") ? Count(d, "testSamples", path) : 0,
        };
    }

    /// <summary>
    /// The training history. Every part present is read or refused, never dropped: a chart or <c>info</c> built from a
    /// history that silently lost its validation figures would tell a different story than the run did.
    /// </summary>
    private static TrainingHistory History(JsonElement element, string path)
    {
        var h = Properties(element, path, "history", "with \"costs\" and \"accuracies\"");
        double rate = h.TryGetValue("learningRate", out var r) ? Number(r, path, "history.learningRate") : double.NaN;
        string? TextOrNull(string key) => !h.TryGetValue(key, out var v) || v.ValueKind == JsonValueKind.Null ? null : Text(v, path, $"history.{key}");
        int steps = h.ContainsKey("stepsPerEpoch") ? Int(h, "stepsPerEpoch", path, "history") : 1;   // absent: full batch
        if (steps < 1)
            throw Error(path, $"{path}: history.stepsPerEpoch is {steps}; an epoch takes at least one step.");
        var history = new TrainingHistory(rate, TextOrNull("optimizer") ?? "gradient descent", TextOrNull("label")) { StepsPerEpoch = steps };
        var costs = Numbers(h, "costs", path, "history");
        var accuracies = Numbers(h, "accuracies", path, "history");
        if (costs.Length != accuracies.Length)
            throw Error(path, $"{path}: the history has {costs.Length} costs but {accuracies.Length} accuracies; they go in pairs.");
        for (int i = 0; i < costs.Length; i++) history.Add(costs[i], accuracies[i]);
        string[] validation = ["validationEpochs", "validationCosts", "validationAccuracies"];
        var given = validation.Where(h.ContainsKey).ToArray();
        if (given.Length is > 0 and < 3)
            throw Error(path,
                $"{path}: the history has {string.Join(" and ", given.Select(k => $"\"{k}\""))} but not {string.Join(" and ", validation.Except(given).Select(k => $"\"{k}\""))}; the validation figures go together (all three lists, or none).");
        if (given.Length == 3)
        {
            var e = List(h, "validationEpochs", path, "history").EnumerateArray().ToArray();
            var vc = Numbers(h, "validationCosts", path, "history");
            var va = Numbers(h, "validationAccuracies", path, "history");
            if (vc.Length != e.Length || va.Length != e.Length)
                throw Error(path, $"{path}: the history's validation lists have different lengths ({e.Length}, {vc.Length}, {va.Length}).");
            for (int i = 0; i < e.Length; i++)
            {
                int epoch = IntValue(e[i], path, $"history.validationEpochs[{i}]");
                if (epoch < 1 || epoch > costs.Length)
                    throw Error(path, $"{path}: history.validationEpochs[{i}] is {epoch}, but the history has epochs 1 to {costs.Length}; a validation figure belongs to one of them.");
                history.AddValidation(epoch, vc[i], va[i]);
            }
        }
        if (h.TryGetValue("stopped", out var s) && s.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Error(path, $"{path}: history.stopped should be true or false but is {Csv.Shorten(s.GetRawText())}.");
        history.Stopped = s.ValueKind == JsonValueKind.True;
        return history;
    }

    /// <summary>An object's properties by name; a name written twice is an error (JSON readers disagree on which one wins).</summary>
    private static Dictionary<string, JsonElement> Properties(JsonElement obj, string path, string where, string? keys = null)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw Error(path, $"{path}: {where} is not an object{(keys is null ? "" : " " + keys)}.");
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
            if (!result.TryAdd(p.Name, p.Value))
                throw Error(path,
                    $"{path}: {where} has the key \"{p.Name}\" twice; each key may appear once. The file was merged or edited by hand: keep one of them, or save the model again.");
        return result;
    }

    private static T Named<T>(Dictionary<string, JsonElement> obj, string key, string path, string where, Func<string, T> lookup)
    {
        if (!obj.TryGetValue(key, out var value) || value.ValueKind != JsonValueKind.String)
            throw Error(path, $"{path}: {where} has no \"{key}\" name.");
        try { return lookup(value.GetString()!); }
        catch (ArgumentException e) { throw Error(path, $"{path}: {where}: {e.Message}", e); }
    }

    private static JsonElement List(Dictionary<string, JsonElement> obj, string key, string path, string where) =>
        !obj.TryGetValue(key, out var v) ? throw Error(path, $"{path}: {where} has no \"{key}\" list.")
        : v.ValueKind == JsonValueKind.Array ? v
        : throw Error(path, $"{path}: {where}'s \"{key}\" should be a list but is {Csv.Shorten(v.GetRawText())}.");

    private static double[] Numbers(Dictionary<string, JsonElement> obj, string key, string path, string where) =>
        List(obj, key, path, where).EnumerateArray().Select((v, i) => Number(v, path, $"{where}.{key}[{i}]")).ToArray();

    private static string[] StringList(Dictionary<string, JsonElement> obj, string key, string path) =>
        List(obj, key, path, "data").EnumerateArray().Select((v, i) => Text(v, path, $"data.{key}[{i}]")).ToArray();

    private static int Int(Dictionary<string, JsonElement> obj, string key, string path, string where) =>
        obj.TryGetValue(key, out var node) ? IntValue(node, path, $"{where}'s \"{key}\"") : throw Error(path, $"{path}: {where} has no \"{key}\".");

    private static int Count(Dictionary<string, JsonElement> d, string key, string path)
    {
        int n = Int(d, key, path, "data");
        return n >= 0 ? n : throw Error(path, $"{path}: data.{key} is {n}; a number of samples is 0 or more.");
    }

    private static int IntValue(JsonElement node, string path, string what) =>
        node.ValueKind == JsonValueKind.Number && node.TryGetInt32(out int i) ? i
            : throw Error(path, $"{path}: {what} should be a whole number but is {Csv.Shorten(node.GetRawText())}.");

    private static string Text(JsonElement node, string path, string what) =>
        node.ValueKind == JsonValueKind.String ? node.GetString()! : throw Error(path, $"{path}: {what} should be text.");

    /// <summary>
    /// A weight or bias: a finite number. NaN or ±∞ (a diverged training's, or a number beyond ±1.8e308 such as 1e400)
    /// would make every prediction NaN — the same class for every sample — so it is refused, naming the entry.
    /// </summary>
    private static double Weight(JsonElement node, string path, string what)
    {
        double d = Number(node, path, what);
        if (double.IsFinite(d)) return d;
        string raw = Csv.Shorten(node.GetRawText());
        string written = node.ValueKind == JsonValueKind.Number ? $"{raw}, beyond the largest number a double holds (about 1.8e308), so it reads as {d}" : d.ToString(CultureInfo.InvariantCulture);
        throw Error(path,
            $"{path}: {what} is {written}; a weight must be a finite number, or every prediction is NaN. The model's training diverged, or the file was edited: train the model again (with a smaller learning rate if it diverged) or restore the file.");
    }

    private static double Number(JsonElement node, string path, string what)
    {
        if (node.ValueKind == JsonValueKind.Number && node.TryGetDouble(out double d)) return d;
        if (node.ValueKind == JsonValueKind.String && node.GetString() is "NaN" or "Infinity" or "-Infinity")
            return double.Parse(node.GetString()!, CultureInfo.InvariantCulture);
        throw Error(path, $"{path}: {what} should be a number but is {Csv.Shorten(node.GetRawText())}.");
    }
}

/// <summary>A model file that cannot be loaded or saved; the message says which file and what is wrong with it.</summary>
public sealed class ModelFileException(string filePath, string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>The file that was being read or written.</summary>
    public string FilePath { get; } = filePath;
}
