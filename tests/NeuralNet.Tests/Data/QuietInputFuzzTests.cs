using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;
using NeuralNet.Training;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Issue 22's seeded fuzz: model files with edited entries, CSV files with labels and headers in many spellings and
/// encodings, IDX files with edited headers and labels. Each case is either refused with the format's own exception or
/// accepted — and then nothing non-finite is in the model, and no class carries another name than the file gives it.
/// A failure names the seed and case; the counts are written to the test output.
/// </summary>
public sealed class QuietInputFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Counts(string What)
    {
        public int Run, Refused, Accepted;

        public override string ToString() => FormattableString.Invariant($"{What}: {Run} cases, {Refused} refused, {Accepted} accepted");
    }

    // ---- model files ----

    private static readonly string[] OddNumbers =
        ["1e400", "-1e400", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e308", "-1.7976931348623157e308", "4e-324", "-0", "0", "-1", "99999999999",
         "2147483648", "0.5", "null", "true", "\"x\"", "[]", "{}", "\"1e400\""];

    private static readonly string[] OddTexts = ["", " ", "Café", "cat", "dog", "relu", "softmax", "leaky_relu(NaN)", "leaky_relu(2)", "\u00e9", "x\u0301", "🐱", "a\"b"];

    /// <summary>Every leaf (number, text, true/false, null) of the document, with the node holding it and its key or index.</summary>
    private static List<(JsonNode Parent, string? Key, int Index)> Leaves(JsonNode root)
    {
        var leaves = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject o)
                foreach (var (key, child) in o.ToArray())
                {
                    if (child is JsonObject or JsonArray) Walk(child);
                    else leaves.Add((o, key, -1));
                }
            else if (node is JsonArray a)
                for (int i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonObject or JsonArray) Walk(a[i]!);
                    else leaves.Add((a, null, i));
                }
        }
        Walk(root);
        return leaves;
    }

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (key is not null) parent[key] = value;
        else parent.AsArray()[index] = value;
    }

    /// <summary>One seeded edit of a saved model's JSON; <paramref name="what"/> says which.</summary>
    private static string Mutate(string json, NumPyRandom random, out string what)
    {
        var root = JsonNode.Parse(json)!;
        var leaves = Leaves(root);
        int Pick(int n) => (int)random.RandInt(0, n);
        const string Mark = "@@odd@@";
        switch (Pick(6))
        {
            case 0 or 1:   // a leaf becomes an odd number, a non-number or a string
            {
                var (parent, key, index) = leaves[Pick(leaves.Count)];
                string odd = OddNumbers[Pick(OddNumbers.Length)];
                Set(parent, key, index, Mark);
                what = $"{parent.GetPath()}{(key is null ? $"[{index}]" : "." + key)} = {odd}";
                return root.ToJsonString().Replace($"\"{Mark}\"", odd, StringComparison.Ordinal);
            }
            case 2:   // a text leaf becomes another text
            {
                var texts = leaves.Where(l => (l.Key is null ? l.Parent.AsArray()[l.Index] : l.Parent[l.Key]) is JsonValue v && v.TryGetValue<string>(out _)).ToList();
                var (parent, key, index) = texts[Pick(texts.Count)];
                string text = OddTexts[Pick(OddTexts.Length)];
                Set(parent, key, index, text);
                what = $"{parent.GetPath()}{(key is null ? $"[{index}]" : "." + key)} = \"{text}\"";
                return root.ToJsonString();
            }
            case 3:   // a class name becomes another one, possibly one already there
            {
                var classes = root["data"]!["classes"]!.AsArray();
                int k = Pick(classes.Count);
                string text = Pick(2) == 0 ? classes[Pick(classes.Count)]!.GetValue<string>() : OddTexts[Pick(OddTexts.Length)];
                classes[k] = text;
                what = $"data.classes[{k}] = \"{text}\"";
                return root.ToJsonString();
            }
            case 4:   // a key is removed
            {
                var objects = new List<JsonObject>();
                void Collect(JsonNode? n)
                {
                    if (n is JsonObject o) { objects.Add(o); foreach (var (_, c) in o) Collect(c); }
                    else if (n is JsonArray a) foreach (var c in a) Collect(c);
                }
                Collect(root);
                var obj = objects[Pick(objects.Count)];
                if (obj.Count == 0) { what = "nothing"; return json; }
                string key = obj.ElementAt(Pick(obj.Count)).Key;
                obj.Remove(key);
                what = $"{obj.GetPath()}.{key} removed";
                return root.ToJsonString();
            }
            default:   // a list loses or gains an element
            {
                var lists = new List<JsonArray>();
                void Collect(JsonNode? n)
                {
                    if (n is JsonObject o) foreach (var (_, c) in o) Collect(c);
                    else if (n is JsonArray a) { lists.Add(a); foreach (var c in a) Collect(c); }
                }
                Collect(root);
                var list = lists[Pick(lists.Count)];
                if (list.Count > 0 && Pick(2) == 0)
                {
                    list.RemoveAt(Pick(list.Count));
                    what = $"{list.GetPath()} lost an element";
                }
                else
                {
                    list.Add(list.Count > 0 ? list[0]?.DeepClone() : 1.0);
                    what = $"{list.GetPath()} gained an element";
                }
                return root.ToJsonString();
            }
        }
    }

    [Fact]
    public void Seeded_edits_of_model_files_never_give_a_non_finite_model_or_renamed_classes()
    {
        var (x, y) = TrainingTests.Moons(40, 0.2, seed: 3);
        var net = new Network([2, 3, 1], initialization: Initialization.He(seed: 1));
        new Trainer(net).Train(x, y, new TrainingOptions { Epochs = 6, Optimizer = new Sgd(0.3), ValidationX = x, ValidationY = y, ReportEvery = 2 });
        var record = new ModelData
        {
            Features = 2, FeatureNames = ["x", "y"], ClassNames = ["inner", "outer"], Source = "/data/points.csv",
            Scaling = FeatureScaler.Fit(new LabeledData(x, Enumerable.Range(0, 40).Select(j => (int)y[0, j]).ToArray())),
            Options = new Dictionary<string, string> { ["seed"] = "1", ["standardize"] = "yes" }, TrainSamples = 40, TestSamples = 10,
        };
        string path = _temp.File("fuzz.json");
        ModelFile.Save(net, path, record);
        string json = File.ReadAllText(path);
        var probe = Matrix<double>.Build.Dense(2, 3, (i, j) => 0.25 * (i - j));

        var counts = new Counts("model files");
        var random = new NumPyRandom(2222);
        for (int n = 0; n < 500; n++)
        {
            string edited = Mutate(json, random, out string what);
            string description = $"seed 2222, case {n}: {what}";
            File.WriteAllText(path, edited);
            counts.Run++;
            SavedModel saved;
            try { saved = ModelFile.Read(path); }
            catch (ModelFileException) { counts.Refused++; continue; }
            catch (Exception e) { Assert.Fail($"{description}: threw {e.GetType().Name} instead of ModelFileException: {e.Message}"); return; }
            counts.Accepted++;
            var model = saved.Network;
            Assert.True(model.NonFiniteParameter() is null, $"{description}: accepted with {model.NonFiniteParameter()}");
            if (saved.Data is { } data)
            {
                Assert.Equal(model.LayerSizes[0], data.Features);
                if (data.Scaling is { } s)
                    Assert.True(s.Mean.Concat(s.Std).All(double.IsFinite) && s.Std.All(v => v > 0), $"{description}: accepted a scaling that is not finite");
                var written = JsonNode.Parse(edited)!["data"]!["classes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
                Assert.True(written.SequenceEqual(data.ClassNames), $"{description}: the classes read are not the file's");
                Assert.True(data.ClassNames.Count is 0 or 2 && data.ClassNames.Distinct().Count() == data.ClassNames.Count,
                    $"{description}: accepted class names [{string.Join(", ", data.ClassNames)}] for one sigmoid unit");
            }
            try
            {
                var p = model.PredictProbabilities(probe);
                Assert.True(p.Enumerate().All(double.IsFinite), $"{description}: a prediction is not finite");
            }
            catch (InvalidOperationException e) when (e.Message.Contains("overflowed", StringComparison.Ordinal)) { }   // finite weights near 1e308: refused, named
        }
        output.WriteLine(counts.ToString());
        Assert.True(counts.Refused > 100 && counts.Accepted > 50, counts.ToString());
    }

    // ---- CSV: labels and headers in many spellings and encodings ----

    private static readonly string[] Labels =
        ["cat", "dog", "Café", "naïve", "Crème brûlée", "日本", "🐱", "x\u0301", "A", "a", " spaced ", "with, comma", "with \"quote\"", "Ω", "ß", "0", "1", "2", "01", "2.0"];

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n']) >= 0 || field != field.Trim() ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    [Fact]
    public void Seeded_csv_files_in_many_encodings_never_rename_a_class_or_a_column()
    {
        var counts = new Counts("CSV files");
        var random = new NumPyRandom(2223);
        int Pick(int n) => (int)random.RandInt(0, n);
        string[] encodings = ["utf-8", "utf-8 with BOM", "latin-1", "windows-1252 bytes", "utf-16 with BOM"];
        for (int n = 0; n < 400; n++)
        {
            int rows = 2 + Pick(12), features = 1 + Pick(3);
            var pool = Enumerable.Range(0, 2 + Pick(4)).Select(_ => Labels[Pick(Labels.Length)]).Distinct().ToArray();
            string[] header = [.. Enumerable.Range(0, features).Select(k => Pick(3) == 0 ? Labels[Pick(Labels.Length)] + k.ToString(CultureInfo.InvariantCulture) : $"f{k}"), "label"];
            var labels = Enumerable.Range(0, rows).Select(_ => pool[Pick(pool.Length)]).ToArray();
            var text = new StringBuilder(string.Join(',', header.Select(Quote)) + "\n");
            for (int j = 0; j < rows; j++)
                text.Append(string.Concat(Enumerable.Range(0, features).Select(k => FormattableString.Invariant($"{j * 0.5 + k},")))).Append(Quote(labels[j])).Append('\n');
            string encoding = encodings[Pick(encodings.Length)];
            byte[] bytes = encoding switch
            {
                "utf-8 with BOM" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text.ToString())],
                "latin-1" => Encoding.Latin1.GetBytes(text.ToString()),   // what Latin-1 cannot hold becomes '?'
                "windows-1252 bytes" => Encoding.UTF8.GetBytes(text.ToString()).Select(b => b == 0xC3 ? (byte)0x80 : b).ToArray(),   // broken sequences
                "utf-16 with BOM" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text.ToString())],
                _ => Encoding.UTF8.GetBytes(text.ToString()),
            };
            bool brokenUtf8 = encoding == "windows-1252 bytes" && bytes.Contains((byte)0x80);
            bool gzip = Pick(3) == 0;
            if (gzip) bytes = Pick(2) == 0 ? TempFolder.Gzip(bytes) : [.. TempFolder.Gzip(bytes[..(bytes.Length / 2)]), .. TempFolder.Gzip(bytes[(bytes.Length / 2)..])];
            string path = _temp.WriteBytes($"fuzz-{n}.csv", bytes);
            string description = $"seed 2223, case {n}: {encoding}{(gzip ? ", gzip" : "")}, labels [{string.Join(" | ", pool)}]";
            // What the file says: the labels and column names as its encoding holds them (Latin-1 writes '?' for what it lacks).
            Func<string, string> asWritten = encoding == "latin-1" ? t => Encoding.Latin1.GetString(Encoding.Latin1.GetBytes(t)) : t => t;
            bool latin1BeyondAscii = encoding == "latin-1" && Encoding.Latin1.GetBytes(text.ToString()).Any(b => b >= 0x80);

            counts.Run++;
            (LabeledData Data, IReadOnlyList<string>? Names) loaded;
            try { loaded = Csv.LoadWithHeader(path); }
            catch (DataFormatException) { counts.Refused++; continue; }
            catch (Exception e) { Assert.Fail($"{description}: threw {e.GetType().Name} instead of DataFormatException: {e.Message}"); return; }
            counts.Accepted++;
            Assert.False(latin1BeyondAscii, $"{description}: a Latin-1 file with letters beyond ASCII was accepted");
            Assert.False(brokenUtf8, $"{description}: bytes that are not UTF-8 were accepted");
            var (data, names) = loaded;
            Assert.Equal(rows, data.Count);
            string Field(string t) => t.Trim() == t || Quote(t) != t ? asWritten(t) : asWritten(t).Trim();   // unquoted fields are trimmed
            string[] expected = labels.Select(Field).ToArray();
            bool numeric = expected.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && v == Math.Floor(v));
            for (int j = 0; j < rows; j++)
            {
                if (numeric) Assert.True(data.Labels[j] == (int)double.Parse(expected[j], CultureInfo.InvariantCulture), $"{description}: row {j}'s class is {data.Labels[j]}, the file says {expected[j]}");
                else Assert.True(data.ClassNames[data.Labels[j]] == expected[j], $"{description}: row {j}'s class is '{data.ClassNames[data.Labels[j]]}', the file says '{expected[j]}'");
            }
            Assert.True(names is not null && names.SequenceEqual(header[..^1].Select(Field)),
                $"{description}: the columns read [{string.Join(" | ", names ?? [])}] are not the file's [{string.Join(" | ", header[..^1])}]");
        }
        output.WriteLine(counts.ToString());
        Assert.True(counts.Refused > 50 && counts.Accepted > 100, counts.ToString());
    }

    // ---- IDX: headers and labels ----

    [Fact]
    public void Seeded_idx_headers_and_labels_never_give_other_classes_or_values_than_the_file_holds()
    {
        var counts = new Counts("IDX files");
        var random = new NumPyRandom(2224);
        int Pick(int n) => (int)random.RandInt(0, n);
        for (int n = 0; n < 400; n++)
        {
            int count = 2 + Pick(30), side = 1 + Pick(4);
            byte[] pixels = Enumerable.Range(0, count * side * side).Select(_ => (byte)Pick(256)).ToArray();
            byte[] labels = Pick(6) switch
            {
                0 => Enumerable.Range(0, count).Select(j => (byte)(1 + j % 5)).ToArray(),                    // 1-based
                1 => [.. Enumerable.Range(0, count - 1).Select(j => (byte)(j % 3)), (byte)(150 + Pick(100))],   // one huge label
                2 => Enumerable.Repeat((byte)Pick(10), count).ToArray(),                                      // one class
                _ => Enumerable.Range(0, count).Select(_ => (byte)Pick(1 + Pick(12))).ToArray(),
            };
            int[] imageDims = [count, side, side], labelDims = [count];
            string what = "valid";
            switch (Pick(8))
            {
                case 0: imageDims[Pick(3)] += Pick(2) == 0 ? 1 : -1; what = "an image dimension off by one"; break;
                case 1: labelDims[0] += 1; what = "a label count off by one"; break;
                case 2: imageDims[Pick(3)] = int.MaxValue - Pick(4); what = "a huge image dimension"; break;
                case 3: imageDims[Pick(3)] = 0; what = "a zero image dimension"; break;
            }
            byte type = Pick(10) == 0 ? (byte)(0x09 + Pick(6)) : (byte)0x08;
            byte[] images = TempFolder.Idx(imageDims, pixels, type), labelBytes = TempFolder.Idx(labelDims, labels);
            if (Pick(10) == 0) { images[Pick(2)] = (byte)(1 + Pick(255)); what += ", images' magic damaged"; }
            if (Pick(4) == 0) images = [.. TempFolder.Gzip(images[..(images.Length / 3)]), .. TempFolder.Gzip(images[(images.Length / 3)..])];
            string imagesPath = _temp.WriteBytes($"fuzz-images-{n}", images), labelsPath = _temp.WriteBytes($"fuzz-labels-{n}", labelBytes);
            string description = $"seed 2224, case {n}: {what}, type {type:x2}, labels [{string.Join(",", labels.Take(12))}…]";

            counts.Run++;
            LabeledData data;
            try { data = Idx.LoadImagesAndLabels(imagesPath, labelsPath); }
            catch (DataFormatException) { counts.Refused++; continue; }
            catch (Exception e) { Assert.Fail($"{description}: threw {e.GetType().Name} instead of DataFormatException: {e.Message}"); return; }
            counts.Accepted++;
            Assert.True(what == "valid" && type == 0x08, $"{description}: a damaged header was accepted");
            Assert.Equal(count, data.Count);
            Assert.Equal(side * side, data.Features);
            Assert.True(data.X.Enumerate().All(v => v is >= 0 and <= 1), $"{description}: a pixel outside [0, 1]");
            Assert.Equal(pixels[^1] / 255.0, data.X[side * side - 1, count - 1]);
            for (int j = 0; j < count; j++)
                Assert.True(data.ClassNames[data.Labels[j]] == labels[j].ToString(CultureInfo.InvariantCulture), $"{description}: sample {j}'s class is renamed");
            Assert.Equal(labels.Max() + 1, data.ClassCount);
            Assert.False(labels.Min() == 1 && labels.Distinct().Count() >= 2 && Enumerable.Range(1, labels.Max()).All(k => labels.Count(l => l == k) >= 3),
                $"{description}: 1-based labels were accepted");
            Assert.False(data.ClassCount - labels.Distinct().Count() > Math.Max(100, 10 * labels.Distinct().Count()), $"{description}: one huge label was accepted");
        }
        output.WriteLine(counts.ToString());
        Assert.True(counts.Refused > 50 && counts.Accepted > 50, counts.ToString());
    }
}
