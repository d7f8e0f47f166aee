using NeuralNet.Data;

namespace NeuralNet.Cli.Commands;

/// <summary>The data options train and evaluate share, so evaluate can rebuild exactly the split train used.</summary>
internal static class DataOptions
{
    public const string Section = "Data";

    public static OptionSpec[] Specs { get; } =
    [
        new("data", "source",
            "What to learn from: fashion-mnist-subset (shipped: 2,000 training and 500 test images, 10 classes), fashion-mnist (the full 60,000 + 10,000, " +
            "when installed), moons, circles, spirals, xor (synthetic, 2 features), the path of a .csv file (one sample per row, one label column), " +
            "or a folder of IDX files (train-images-idx3-ubyte.gz … t10k-labels-idx1-ubyte.gz).", Section: Section, Short: 'd'),
        new("label-column", "name|index",
            "CSV: the column holding the labels, by header name or 0-based index (-1 = last).", "a column named label, class or target, else the last", Section),
        new("test-data", "file", "CSV: a separate test file with the same columns (instead of holding out --test-fraction).", Section: Section),
        new("test-fraction", "fraction",
            "CSV, synthetic sets and IDX folders without test files: the share of samples held out for testing.", "0.2", Section),
        new("standardize", null, "CSV: rescale each feature to mean 0 and standard deviation 1 (measured on the training part).", Section: Section),
        new("samples", "N", "Synthetic sets: how many samples to draw.", "400 (spirals: 300)", Section),
        new("noise", "x", "Synthetic sets: how much noise to add.", "moons 0.2, circles 0.1, spirals 0.2, xor 0.3", Section),
        new("seed", "N",
            "Seeds everything random: the initial weights, the shuffling, dropout, the test split and synthetic data. The same seed gives the same run.", "1", "Training"),
    ];

    /// <summary>
    /// The data a model was trained on, from its record; options given on the command line replace the recorded ones (and
    /// are then checked). A recorded option that does not read as what it is (a seed that is not a whole number, a test
    /// fraction outside (0, 1), …) is an error naming the model file: taking a default instead would measure another split.
    /// </summary>
    public static DataRequest FromRecord(ModelData record, ParsedOptions o, string modelPath)
    {
        var r = record.Options;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        T? Recorded<T>(string key, string what, Func<string, T?> parse) where T : struct
        {
            if (!r.TryGetValue(key, out var text)) return null;
            return parse(text) ?? throw new ModelFileException(modelPath,
                $"{modelPath}: data.options.{key} is \"{Csv.Shorten(text)}\", not {what}; evaluate would measure other samples than the model's test set. " +
                $"The file was edited by hand or damaged: restore it, train the model again, or give --{key} yourself.");
        }
        double? fraction = Recorded<double>("test-fraction", "a fraction between 0 and 1", t =>
            double.TryParse(t, System.Globalization.NumberStyles.Float, inv, out double f) && f > 0 && f < 1 ? f : null);
        uint? seed = Recorded<uint>("seed", "a seed (a whole number from 0 to 4294967295)", t =>
            uint.TryParse(t, System.Globalization.NumberStyles.None, inv, out uint s) ? s : null);
        int? samples = Recorded<int>("samples", "a number of samples (4 to 1000000)", t =>
            int.TryParse(t, System.Globalization.NumberStyles.None, inv, out int n) && n is >= 4 and <= 1_000_000 ? n : null);
        double? noise = Recorded<double>("noise", "a noise level (0 to 10)", t =>
            double.TryParse(t, System.Globalization.NumberStyles.Float, inv, out double z) && z is >= 0 and <= 10 ? z : null);
        bool? standardize = Recorded<bool>("standardize", "yes", t => t == "yes" ? true : (bool?)null);
        return new DataRequest
        {
            Source = record.Source,
            TestData = o.String("test-data") ?? (r.TryGetValue("test-data", out var testData) ? testData : null),
            LabelColumn = o.String("label-column") ?? (r.TryGetValue("label-column", out var label) ? label : null),
            TestFraction = o.Has("test-fraction") ? o.Double("test-fraction", 0.2, 0, 1, minExclusive: true, maxExclusive: true, example: "0.2") : fraction ?? 0.2,
            Seed = o.Has("seed") ? o.UInt("seed", 1, "42") : seed ?? 1,
            Samples = o.Has("samples") ? o.Int("samples", 400, 4, 1_000_000, "400") : samples,
            Noise = o.Has("noise") ? o.Double("noise", 0.2, 0, 10, example: "0.2") : noise,
            Standardize = o.Flag("standardize") || standardize == true,
            Command = "evaluate",
            Given = Given(o),
        };
    }

    public static DataRequest Read(ParsedOptions o, string command)
    {
        string source = o.String("data")
            ?? throw new UsageException($"Say what to learn from with --data, e.g. --data {DataSources.Subset}, --data moons or --data path/to/file.csv.", command);
        return new DataRequest
        {
            Source = source,
            TestData = o.String("test-data"),
            LabelColumn = o.String("label-column"),
            TestFraction = o.Double("test-fraction", 0.2, 0, 1, minExclusive: true, maxExclusive: true, example: "0.2"),
            Seed = o.UInt("seed", 1, "42"),
            Samples = o.Has("samples") ? o.Int("samples", 400, 4, 1_000_000, "400") : null,
            Noise = o.Has("noise") ? o.Double("noise", 0.2, 0, 10, example: "0.2") : null,
            Standardize = o.Flag("standardize"),
            Command = command,
            Given = Given(o),
        };
    }

    /// <summary>The data options given on the command line.</summary>
    private static HashSet<string> Given(ParsedOptions o) => Specs.Select(s => s.Name).Where(o.Has).ToHashSet(StringComparer.Ordinal);
}
