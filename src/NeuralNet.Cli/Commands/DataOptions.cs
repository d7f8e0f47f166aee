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

    /// <summary>The data a model was trained on, from its record; options given on the command line replace the recorded ones (and are then checked).</summary>
    public static DataRequest FromRecord(ModelData record, ParsedOptions o)
    {
        var r = record.Options;
        string? Recorded(string key) => r.TryGetValue(key, out var v) ? v : null;
        double fraction = double.TryParse(Recorded("test-fraction"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double f) ? f : 0.2;
        uint seed = uint.TryParse(Recorded("seed"), out uint s) ? s : 1;
        int? samples = int.TryParse(Recorded("samples"), out int n) ? n : null;
        double? noise = double.TryParse(Recorded("noise"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double z) ? z : null;
        return new DataRequest
        {
            Source = record.Source,
            TestData = o.String("test-data") ?? Recorded("test-data"),
            LabelColumn = o.String("label-column") ?? Recorded("label-column"),
            TestFraction = o.Has("test-fraction") ? o.Double("test-fraction", 0.2, 0, 1, minExclusive: true, maxExclusive: true, example: "0.2") : fraction,
            Seed = o.Has("seed") ? (uint)o.Int("seed", 1, 0, int.MaxValue, "42") : seed,
            Samples = o.Has("samples") ? o.Int("samples", 400, 4, 1_000_000, "400") : samples,
            Noise = o.Has("noise") ? o.Double("noise", 0.2, 0, 10, example: "0.2") : noise,
            Standardize = o.Flag("standardize") || Recorded("standardize") == "yes",
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
            Seed = (uint)o.Int("seed", 1, 0, int.MaxValue, "42"),
            Samples = o.Has("samples") ? o.Int("samples", 400, 4, 1_000_000, "400") : null,
            Noise = o.Has("noise") ? o.Double("noise", 0.2, 0, 10, example: "0.2") : null,
            Standardize = o.Flag("standardize"),
        };
    }
}
