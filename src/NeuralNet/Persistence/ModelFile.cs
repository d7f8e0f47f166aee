using System.Text.Json;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;

namespace NeuralNet;

/// <summary>
/// Saves a network — layer sizes, activations, cost, every weight and bias, and its training history —
/// as readable JSON, and loads it back so that it predicts bit for bit the same. Doubles are written in
/// their shortest round-trip form, matrices row by row as a student would read them.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    private const string FormatName = "neuralnet-model";

    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="path"/>. The file is written beside the target
    /// under a temporary name and then renamed over it, so a crash mid-way never leaves a half-written model
    /// in place of a good one.
    /// </summary>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                ToJson(network).WriteTo(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Reads a network saved by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFileException">The file is missing, truncated, not a model, from a newer format, or its shapes do not fit.</exception>
    public static Network Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new ModelFileException(path, $"There is no model file at {Path.GetFullPath(path)}.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path,
                $"{path} is not complete, valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message} " +
                "The file may have been truncated or edited by hand; save the model again.", e);
        }
        return FromJson(root, path);
    }

    private static ArgumentException Unsavable(string what) =>
        new($"The network cannot be saved: {what} is not one of the library's (it has no id a model file could store), so it could not be loaded again.");

    private static JsonObject ToJson(Network network)
    {
        var layers = new JsonArray();
        foreach (var layer in network.Layers)
            layers.Add(new JsonObject
            {
                ["activation"] = (layer.Activation.Id ?? throw Unsavable($"layer {layer.Index}'s activation \"{layer.Activation.Name}\"")).ToString(),
                ["W"] = Rows(layer.W),
                ["b"] = Numbers(layer.b.Column(0)),
            });
        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["layerSizes"] = new JsonArray(network.LayerSizes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            ["cost"] = Costs.Key(network.Cost.Id ?? throw Unsavable($"the cost \"{network.Cost.Name}\"")),
            ["layers"] = layers,
        };
        if (network.History is { } h)
            root["history"] = new JsonObject
            {
                ["label"] = h.Label,
                ["learningRate"] = Number(h.LearningRate),
                ["optimizer"] = h.Optimizer,
                ["stopped"] = h.Stopped,
                ["costs"] = Numbers(h.Costs),
                ["accuracies"] = Numbers(h.Accuracies),
                ["validationEpochs"] = new JsonArray(h.ValidationEpochs.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
                ["validationCosts"] = Numbers(h.ValidationCosts),
                ["validationAccuracies"] = Numbers(h.ValidationAccuracies),
            };
        return root;
    }

    /// <summary>A number as JSON: finite ones as numbers, NaN and ±∞ (a diverged network) as the strings "NaN", "Infinity", "-Infinity".</summary>
    private static JsonNode Number(double v) =>
        double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(Number).ToArray());

    private static JsonArray Rows(Matrix<double> m) =>
        new(Enumerable.Range(0, m.RowCount).Select(i => (JsonNode)Numbers(m.Row(i))).ToArray());

    private static Network FromJson(JsonNode? root, string path)
    {
        if (root is not JsonObject obj || obj["format"]?.GetValueKind() != JsonValueKind.String || (string?)obj["format"] != FormatName)
            throw new ModelFileException(path, $"{path} is JSON but not a NeuralNet model (it has no \"format\": \"{FormatName}\").");
        int version = Int(obj, "version", path, "the file");
        if (version > FormatVersion)
            throw new ModelFileException(path,
                $"{path} was written in model format version {version} by a newer NeuralNet; this one reads versions up to {FormatVersion}. Update NeuralNet to load it.");
        if (version < 1)
            throw new ModelFileException(path, $"{path} has format version {version}, which never existed.");

        var sizes = Array(obj, "layerSizes", path, "the file").Select((n, i) => IntValue(n, path, $"layerSizes[{i}]")).ToArray();
        try { Initialization.CheckLayerDims(sizes); }
        catch (ArgumentException e) { throw new ModelFileException(path, $"{path}: {e.Message}", e); }

        var layers = Array(obj, "layers", path, "the file");
        if (layers.Count != sizes.Length - 1)
            throw new ModelFileException(path, $"{path} lists {sizes.Length} layer sizes, so it needs {sizes.Length - 1} layers, but has {layers.Count}.");

        var weights = new Matrix<double>[layers.Count];
        var biases = new Matrix<double>[layers.Count];
        var activations = new Activation[layers.Count];
        for (int l = 1; l <= layers.Count; l++)
        {
            string where = $"layer {l}";
            if (layers[l - 1] is not JsonObject layer)
                throw new ModelFileException(path, $"{path}: {where} is not an object with \"activation\", \"W\" and \"b\".");
            activations[l - 1] = Named(layer, "activation", path, where, Activations.FromName);
            var rows = Array(layer, "W", path, where);
            if (rows.Count != sizes[l])
                throw new ModelFileException(path, $"{path}: {where}'s W has {rows.Count} rows but the layer sizes say {sizes[l]} units: W{l} must be {Shape.Of(sizes[l], sizes[l - 1])}.");
            var w = Matrix<double>.Build.Dense(sizes[l], sizes[l - 1]);
            for (int i = 0; i < rows.Count; i++)
            {
                var row = rows[i] as JsonArray ?? throw new ModelFileException(path, $"{path}: {where}'s W row {i} is not a list of numbers.");
                if (row.Count != sizes[l - 1])
                    throw new ModelFileException(path, $"{path}: {where}'s W row {i} has {row.Count} numbers but the layer below has {sizes[l - 1]} units: W{l} must be {Shape.Of(sizes[l], sizes[l - 1])}.");
                for (int k = 0; k < row.Count; k++) w[i, k] = Number(row[k], path, $"{where}'s W[{i}, {k}]");
            }
            var b = Array(layer, "b", path, where);
            if (b.Count != sizes[l])
                throw new ModelFileException(path, $"{path}: {where}'s b has {b.Count} numbers but the layer has {sizes[l]} units.");
            var bias = Matrix<double>.Build.Dense(sizes[l], 1);
            for (int i = 0; i < b.Count; i++) bias[i, 0] = Number(b[i], path, $"{where}'s b[{i}]");
            weights[l - 1] = w;
            biases[l - 1] = bias;
        }
        var cost = Named(obj, "cost", path, "the file", Costs.FromName);
        Network network;
        try { network = new Network(new Parameters(weights, biases), activations, cost); }
        catch (ArgumentException e) { throw new ModelFileException(path, $"{path}: {e.Message}", e); }
        if (obj["history"] is JsonObject history) network.History = History(history, path);
        return network;
    }

    private static TrainingHistory History(JsonObject h, string path)
    {
        double rate = h["learningRate"] is { } r ? Number(r, path, "history.learningRate") : double.NaN;
        var history = new TrainingHistory(rate, (string?)h["optimizer"] ?? "gradient descent", (string?)h["label"]);
        var costs = Array(h, "costs", path, "history").Select((v, i) => Number(v, path, $"history.costs[{i}]")).ToArray();
        var accuracies = Array(h, "accuracies", path, "history").Select((v, i) => Number(v, path, $"history.accuracies[{i}]")).ToArray();
        if (costs.Length != accuracies.Length)
            throw new ModelFileException(path, $"{path}: the history has {costs.Length} costs but {accuracies.Length} accuracies; they go in pairs.");
        for (int i = 0; i < costs.Length; i++) history.Add(costs[i], accuracies[i]);
        if (h["validationEpochs"] is JsonArray epochs)
        {
            var vc = Array(h, "validationCosts", path, "history");
            var va = Array(h, "validationAccuracies", path, "history");
            if (vc.Count != epochs.Count || va.Count != epochs.Count)
                throw new ModelFileException(path, $"{path}: the history's validation lists have different lengths ({epochs.Count}, {vc.Count}, {va.Count}).");
            for (int i = 0; i < epochs.Count; i++)
                history.AddValidation(IntValue(epochs[i], path, $"history.validationEpochs[{i}]"), Number(vc[i], path, "history.validationCosts"), Number(va[i], path, "history.validationAccuracies"));
        }
        history.Stopped = h["stopped"] is JsonValue s && s.TryGetValue(out bool stopped) && stopped;
        return history;
    }

    private static T Named<T>(JsonObject obj, string key, string path, string where, Func<string, T> lookup)
    {
        if (obj[key] is not JsonValue value || !value.TryGetValue(out string? name))
            throw new ModelFileException(path, $"{path}: {where} has no \"{key}\" name.");
        try { return lookup(name); }
        catch (ArgumentException e) { throw new ModelFileException(path, $"{path}: {where}: {e.Message}", e); }
    }

    private static JsonArray Array(JsonObject obj, string key, string path, string where) =>
        obj[key] as JsonArray ?? throw new ModelFileException(path, $"{path}: {where} has no \"{key}\" list.");

    private static int Int(JsonObject obj, string key, string path, string where) =>
        obj[key] is { } node ? IntValue(node, path, $"{where}'s \"{key}\"") : throw new ModelFileException(path, $"{path}: {where} has no \"{key}\".");

    private static int IntValue(JsonNode? node, string path, string what) =>
        node is JsonValue v && v.TryGetValue(out int i) ? i : throw new ModelFileException(path, $"{path}: {what} should be a whole number but is {node?.ToJsonString() ?? "missing"}.");

    private static double Number(JsonNode? node, string path, string what)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue(out double d)) return d;
            if (v.TryGetValue(out string? s) && s is "NaN" or "Infinity" or "-Infinity")
                return double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new ModelFileException(path, $"{path}: {what} should be a number but is {node?.ToJsonString() ?? "missing"}.");
    }
}

/// <summary>A model file that cannot be loaded; the message says which file and what is wrong with it.</summary>
public sealed class ModelFileException : IOException
{
    public ModelFileException(string filePath, string message, Exception? inner = null) : base(message, inner) => FilePath = filePath;

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }
}
