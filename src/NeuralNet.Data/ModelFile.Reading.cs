using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Training;

namespace NeuralNet.Data;

// Reading a model file: every field checked, and every problem named with the file and the place in it.
public static partial class ModelFile
{
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
