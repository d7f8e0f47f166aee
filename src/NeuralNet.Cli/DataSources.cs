using System.Globalization;
using NeuralNet.Data;

namespace NeuralNet.Cli;

/// <summary>How to get the data: the <c>--data</c> source and the options that shape it.</summary>
public sealed record DataRequest
{
    public required string Source { get; init; }
    public string? TestData { get; init; }
    public string? LabelColumn { get; init; }
    public double TestFraction { get; init; } = 0.2;
    public uint Seed { get; init; } = 1;
    public int? Samples { get; init; }
    public double? Noise { get; init; }
    public bool Standardize { get; init; }

    /// <summary>The command asking ("train", "evaluate"), for messages.</summary>
    public string Command { get; init; } = "train";

    /// <summary>The data options given on the command line (not those read from a model's record): each must do something for the source.</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();
}

/// <summary>A training and a test set, and where they came from.</summary>
public sealed record LoadedData(LabeledData Train, LabeledData Test, string Description)
{
    /// <summary>The standardisation applied (fitted on the training part), or null.</summary>
    public FeatureScaler? Scaler { get; init; }

    /// <summary>A CSV file's feature column names, or null.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>The source as recorded in a model: a set's canonical name, or a file's or folder's full path.</summary>
    public string Source { get; init; } = "";

    /// <summary>The data options that shaped these sets (only those that matter for this source), as a model records them.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>What a model trained on this data records about it.</summary>
    public ModelData Record() => new()
    {
        Features = Features,
        FeatureNames = FeatureNames,
        ClassNames = ClassNames,
        Scaling = Scaler,
        Source = Source,
        Options = Options,
        TrainSamples = Train.Count,
        TestSamples = Test.Count,
    };

    public int Features => Train.Features;
    public int Classes => Math.Max(Train.ClassCount, Test.ClassCount);
    public IReadOnlyList<string> ClassNames => Train.ClassCount >= Test.ClassCount ? Train.ClassNames : Test.ClassNames;
}

/// <summary>Resolves <c>--data</c>: a shipped or synthetic set by name, a CSV file, or a folder of IDX files.</summary>
public static class DataSources
{
    public const string Subset = "fashion-mnist-subset";
    public const string Full = "fashion-mnist";

    /// <summary>The names <c>--data</c> understands besides paths.</summary>
    public static IReadOnlyList<string> Names { get; } = [Subset, Full, "moons", "circles", "spirals", "xor"];

    /// <summary>Loads the data; bad files raise <see cref="DataFormatException"/>, bad options <see cref="UsageException"/>.</summary>
    /// <param name="request">The data options.</param>
    /// <param name="scaler">A scaler to apply instead of fitting one (a saved model's), when --standardize is given.</param>
    /// <param name="classNames">Class names to number CSV labels by (a saved model's), or null.</param>
    public static LoadedData Load(DataRequest request, FeatureScaler? scaler = null, IReadOnlyList<string>? classNames = null)
    {
        var data = LoadUnrecorded(request, scaler, classNames);
        return data with { Source = CanonicalSource(request.Source), Options = OptionsOf(request, data) };
    }

    /// <summary>A set's name as the loader knows it ("moons", "fashion-mnist-subset"), or a path made full.</summary>
    public static string CanonicalSource(string source)
    {
        if (File.Exists(source) || Directory.Exists(source)) return Path.GetFullPath(source);
        string key = source.Trim().ToLowerInvariant().Replace('_', '-');
        return key switch
        {
            "fashion-subset" or "subset" => Subset,
            "fashion-mnist-full" => Full,
            _ when Names.Contains(key) => key,
            _ => source,
        };
    }

    /// <summary>The options that shaped <paramref name="data"/>: only those that matter for its kind of source.</summary>
    private static Dictionary<string, string> OptionsOf(DataRequest r, LoadedData data)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        string key = CanonicalSource(r.Source);
        bool synthetic = key is "moons" or "circles" or "spirals" or "xor";
        bool split = synthetic || data.Description.Contains("held out", StringComparison.Ordinal);
        if (split)
        {
            o["seed"] = r.Seed.ToString(CultureInfo.InvariantCulture);
            o["test-fraction"] = ParsedOptions.Fmt(r.TestFraction);
        }
        if (synthetic)
        {
            if (r.Samples is int n) o["samples"] = n.ToString(CultureInfo.InvariantCulture);
            if (r.Noise is double noise) o["noise"] = ParsedOptions.Fmt(noise);
        }
        if (r.LabelColumn is not null) o["label-column"] = r.LabelColumn;
        if (r.TestData is not null) o["test-data"] = Path.GetFullPath(r.TestData);
        if (data.Scaler is not null) o["standardize"] = "yes";
        return o;
    }

    private static LoadedData LoadUnrecorded(DataRequest request, FeatureScaler? scaler, IReadOnlyList<string>? classNames)
    {
        string source = request.Source;
        string key = source.Trim().ToLowerInvariant().Replace('_', '-');
        bool isPath = File.Exists(source) || Directory.Exists(source);
        if (!isPath)
        {
            switch (key)
            {
                case Subset or "fashion-subset" or "subset":
                    NoTestData(request, key);
                    NotForImages(request, Subset, ownTestSet: true);
                    var (train, test) = FashionMnist.LoadSubset();
                    return new LoadedData(train, test, "Fashion-MNIST subset (shipped; its own test set)");
                case Full or "fashion-mnist-full":
                    NoTestData(request, key);
                    NotForImages(request, Full, ownTestSet: true);
                    var (ftrain, ftest) = FashionMnist.LoadFull();
                    return new LoadedData(ftrain, ftest, "Fashion-MNIST (full; its own test set)");
                case "moons" or "circles" or "spirals" or "xor":
                    NoTestData(request, key);
                    Unused(request, key, "it is a CSV file's option, and a synthetic set's two features are made on one scale, its labels built in", "label-column", "standardize");
                    return Split(Synthetic(key, request), request, $"{key} (synthetic, seed {request.Seed})");
            }
            if (!source.Contains('/') && !source.Contains('\\') && !source.Contains('.'))
            {
                string near = Names.OrderBy(n => ParsedOptions.Levenshtein(key, n)).First();
                string hint = ParsedOptions.Levenshtein(key, near) <= 3 ? $" Did you mean {near}?" : "";
                throw new UsageException(
                    $"--data \"{source}\" is neither a known data set nor an existing file or folder.{hint} " +
                    $"Known sets: {string.Join(", ", Names)}; or give the path of a .csv file or of a folder of IDX files.", "train");
            }
            // A path that does not exist: let the CSV loader say so, with the full path and the current folder.
        }
        if (Directory.Exists(source))
            return IdxFolder(source, request, classNames);
        return CsvFile(source, request, scaler, classNames);
    }

    private static void NoTestData(DataRequest request, string name)
    {
        if (request.TestData is not null)
            throw new UsageException($"--test-data goes with a CSV file; {name} has its own test set.", request.Command);
    }

    /// <summary>
    /// Refuses the first of <paramref name="options"/> given on the command line: it would do nothing for
    /// <paramref name="source"/> (<paramref name="why"/>), and an option ignored without a word lets the user believe
    /// the run is what they asked for.
    /// </summary>
    private static void Unused(DataRequest request, string source, string why, params string[] options)
    {
        foreach (string option in options)
            if (request.Given.Contains(option))
                throw new UsageException($"--{option} does nothing for {source}: {why}. Leave it out.", request.Command);
    }

    /// <summary>The options that do nothing for a set of images (a named set or an IDX folder); with its own test set, also the split's.</summary>
    private static void NotForImages(DataRequest request, string source, bool ownTestSet)
    {
        Unused(request, source, "it is a CSV file's option, and these are images whose pixels are already scaled to [0, 1] (labels in their own files)", "standardize", "label-column");
        Unused(request, source, "it is a synthetic set's option (moons, circles, spirals, xor)", "samples", "noise");
        if (ownTestSet)
        {
            Unused(request, source, "it has its own test set, so no test samples are held out", "test-fraction");
            if (request.Command != "train")
                Unused(request, source, "it has its own test set, so no split is drawn (in train the seed also draws the weights)", "seed");
        }
    }

    private static LabeledData Synthetic(string name, DataRequest r) => name switch
    {
        "moons" => SyntheticData.Moons(r.Samples ?? 400, r.Noise ?? 0.2, r.Seed),
        "circles" => SyntheticData.Circles(r.Samples ?? 400, r.Noise ?? 0.1, 0.5, r.Seed),
        "spirals" => SyntheticData.Spirals(Math.Max(1, (r.Samples ?? 300) / 3), 3, r.Noise ?? 0.2, r.Seed),
        "xor" => SyntheticData.Xor(r.Samples ?? 400, r.Noise ?? 0.3, r.Seed),
        _ => throw new UsageException($"Unknown synthetic set {name}.", "train"),
    };

    private static LoadedData CsvFile(string path, DataRequest request, FeatureScaler? scaler, IReadOnlyList<string>? classNames)
    {
        Unused(request, "a CSV file", "it is a synthetic set's option (moons, circles, spirals, xor)", "samples", "noise");
        if (request.TestData is not null)
        {
            Unused(request, $"{path} with --test-data", "the test samples come from the --test-data file, so none are held out", "test-fraction");
            if (request.Command != "train")
                Unused(request, $"{path} with --test-data", "the test samples come from the --test-data file, so no split is drawn (in train the seed also draws the weights)", "seed");
        }
        var options = CsvOptionsFor(request.LabelColumn) with { ClassNames = classNames };
        var (data, featureNames) = Csv.LoadWithHeader(path, options);
        if (request.TestData is null)
            return Scaled(Split(data, request, $"{path} (CSV)") with { FeatureNames = featureNames }, request, scaler);
        var test = Csv.Load(request.TestData, options with { ClassNames = data.ClassNames });
        if (test.Features != data.Features)
        {
            throw new DataFormatException(request.TestData, null, null,
                $"it has {test.Features} feature columns but the training file {path} has {data.Features}; they must have the same columns.");
        }

        return Scaled(new LoadedData(data, test, $"{path} (CSV), tested on {request.TestData}") { FeatureNames = featureNames }, request, scaler);
    }

    /// <summary>--label-column as a CSV option: a 0-based index (negative counts from the end) or a header name.</summary>
    public static CsvOptions CsvOptionsFor(string? labelColumn)
    {
        if (labelColumn is null) return new CsvOptions();
        if (int.TryParse(labelColumn, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
            return new CsvOptions { LabelColumnIndex = index };
        return new CsvOptions { LabelColumnName = labelColumn };
    }

    private static LoadedData Scaled(LoadedData data, DataRequest request, FeatureScaler? given)
    {
        if (!request.Standardize) return data;
        var scaler = given ?? FeatureScaler.Fit(data.Train);
        string how = given is null ? ", standardized" : ", standardized with the model's training means and deviations";
        return data with { Train = scaler.Apply(data.Train), Test = scaler.Apply(data.Test), Description = data.Description + how, Scaler = scaler };
    }

    private static LoadedData Split(LabeledData data, DataRequest request, string description)
    {
        if (data.Count < 2)
            throw new UsageException($"The data has {data.Count} sample{(data.Count == 1 ? "" : "s")}; training and testing need at least 2.", "train");
        var (train, test) = data.TrainTestSplit(request.TestFraction, request.Seed);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new UsageException(
                $"--test-fraction {ParsedOptions.Fmt(request.TestFraction)} of {data.Count} samples leaves {(train.Count == 0 ? "no training" : "no test")} samples; choose a fraction that leaves some of each.", "train");
        }

        return new LoadedData(train, test, $"{description}, {ParsedOptions.Fmt(request.TestFraction * 100)}% held out for testing");
    }

    /// <summary>
    /// A folder of IDX files: a training pair (images and labels with "train" in their names) and, if there is
    /// one, a test pair ("t10k" or "test"); without a test pair the training set is split by --test-fraction.
    /// </summary>
    private static LoadedData IdxFolder(string folder, DataRequest request, IReadOnlyList<string>? classNames)
    {
        if (request.TestData is not null)
            throw new UsageException("--test-data goes with a CSV file; a folder of IDX files holds its own test files (t10k-…).", request.Command);
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.Contains("idx", StringComparison.OrdinalIgnoreCase) || n.Contains("ubyte", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToArray();
        static bool IsImages(string n) => n.Contains("images", StringComparison.OrdinalIgnoreCase) || n.Contains("idx3", StringComparison.OrdinalIgnoreCase);
        static bool IsLabels(string n) => n.Contains("labels", StringComparison.OrdinalIgnoreCase) || n.Contains("idx1", StringComparison.OrdinalIgnoreCase);
        static bool IsTest(string n) => n.Contains("t10k", StringComparison.OrdinalIgnoreCase) || n.Contains("test", StringComparison.OrdinalIgnoreCase);
        static bool IsTrain(string n) => n.Contains("train", StringComparison.OrdinalIgnoreCase);

        string? One(Func<string, bool> kind, Func<string, bool> set, string what)
        {
            var matches = files.Where(n => kind(n) && set(n)).ToArray();
            if (matches.Length > 1)
            {
                // The same file gzipped and not: take the gzipped one.
                var gz = matches.Where(n => n.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)).ToArray();
                if (gz.Length == 1) return Path.Combine(folder, gz[0]);
                throw new DataFormatException(folder, null, null, $"there are several {what} files ({string.Join(", ", matches)}); keep one.");
            }
            return matches.Length == 1 ? Path.Combine(folder, matches[0]) : null;
        }

        string? trainImages = One(IsImages, IsTrain, "training images");
        string? trainLabels = One(IsLabels, IsTrain, "training labels");
        string? testImages = One(IsImages, IsTest, "test images");
        string? testLabels = One(IsLabels, IsTest, "test labels");
        NotForImages(request, $"the IDX folder {folder}", ownTestSet: testImages is not null && testLabels is not null);
        if (trainImages is null || trainLabels is null)
        {
            throw new DataFormatException(folder, null, null,
                "this folder has no IDX training pair: it needs an images file and a labels file with \"train\" in their names " +
                "(e.g. train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz), and may have a test pair (t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz). " +
                $"Found: {(files.Length == 0 ? "no IDX files" : string.Join(", ", files))}.");
        }

        // Known class names (a model's) go to the loader, so a label beyond them is named with its file and byte.
        var train = Idx.LoadImagesAndLabels(trainImages, trainLabels, classNames);
        IReadOnlyList<string>? names = classNames;
        if (names is null && folder.Contains("fashion", StringComparison.OrdinalIgnoreCase) && train.Features == FashionMnist.Pixels && train.ClassCount <= 10)
            names = FashionMnist.ClassNames;
        if (testImages is not null && testLabels is not null)
        {
            var test = Idx.LoadImagesAndLabels(testImages, testLabels, names);
            if (names is null && Array.FindIndex(test.Labels, l => l >= train.ClassCount) is var beyond and >= 0)
            {
                throw new DataFormatException(testLabels, null, null,
                    $"label {beyond} (byte offset {8 + beyond}) is {test.Labels[beyond]}, a class no training label has (the training labels in {trainLabels} run from 0 to {train.ClassCount - 1}): " +
                    "the network would have an output for it that training never taught, and could not predict it. Check that both pairs come from the same data set.");
            }
            if (test.Features != train.Features)
            {
                throw new DataFormatException(testImages, null, null,
                    $"its images have {test.Features} pixels but the training images ({trainImages}) have {train.Features}; they must be the same size.");
            }

            int classes = Math.Max(train.ClassCount, test.ClassCount);
            names ??= Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
            return new LoadedData(new LabeledData(train.X, train.Labels, names), new LabeledData(test.X, test.Labels, names),
                $"{folder} (IDX; its own test set)");
        }
        if (names is not null) train = new LabeledData(train.X, train.Labels, names);
        return Split(train, request, $"{folder} (IDX, no test files)");
    }
}
