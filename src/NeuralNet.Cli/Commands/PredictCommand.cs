using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using static System.FormattableString;

namespace NeuralNet.Cli.Commands;

/// <summary><c>predict</c>: scores new samples (rows of a CSV file, or the images of an IDX file) with a saved model, applying its recorded scaling.</summary>
public static class PredictCommand
{
    private const string Section = "Prediction";

    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("data", "file",
            "The samples to score: a .csv file (one sample per row, the same feature columns as in training; a label column is left out " +
            "if there is one) or an IDX images file (…-images-idx3-ubyte[.gz]; pixels scaled to [0, 1] as in training).", Section: Section, Short: 'd'),
        new("label-column", "name|index", "CSV: a column to leave out (the labels), by header name or 0-based index.",
            "a column named label, class or target, or the last when there is one field more than the model's features", Section),
        new("out", "file.csv", "Also write every prediction to this CSV file: row, class, and one probability per class.", Section: Section, Short: 'o'),
        new("show", "N", "How many predictions to print.", "20", Section),
    ];

    public static int Run(string[] args, CliContext context)
    {
        var o = ParsedOptions.Parse("predict", args, Specs);
        if (o.Help)
        {
            Help.Command(context.Out,
                "Score new samples with a saved model: the predicted class and the probability of each class, for every row.",
                $"{CliApp.Name} predict <model.json> --data <rows.csv|images-idx3-ubyte.gz> [--out predictions.csv]",
                Specs,
                [
                    "The model's record (written by train) supplies the class names and the standardisation (--standardize) used in training, " +
                    "which is applied to the new rows; rows with another number of features, or other column names, are refused.",
                    "A model with one sigmoid output gives p(class 1) = a and p(class 0) = 1 − a.",
                    "Exit codes: 0 done, 1 bad data or model file, 2 bad command line.",
                ],
                [
                    ($"{CliApp.Name} predict iris.json --data new-flowers.csv --out predictions.csv", "a model trained on a CSV file, on new rows"),
                    ($"{CliApp.Name} predict fashion.json --data assets/fashion-mnist/t10k-images-idx3-ubyte.gz --show 5", "Fashion-MNIST images"),
                ]);
            return CliApp.ExitCodes.Ok;
        }
        string modelPath = EvaluateCommand.ModelArgument(o, "predict");
        string dataPath = o.String("data") ?? throw new UsageException("Give the samples to score with --data, e.g. --data new-rows.csv.", "predict");
        string? outPath = o.String("out");
        int show = o.Int("show", 20, 0, int.MaxValue, "20");
        string? outFull = null;
        if (outPath is not null)
            outFull = SafeFile.CheckWritable(outPath, outPath, "predictions.csv", "a .csv file", (message, _) => new UsageException($"--out {outPath}: {message}", "predict"));

        var saved = ModelFile.Read(modelPath);
        var network = saved.Network;
        var record = saved.Data;
        int features = network.LayerSizes[0];
        int outputs = network.LayerSizes[^1];
        int classes = outputs == 1 ? 2 : outputs;
        IReadOnlyList<string> classNames = record?.ClassNames is { } recorded && recorded.Count == classes
            ? recorded
            : Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();

        var x = LoadRows(dataPath, features, o.String("label-column"), record);
        if (record?.Scaling is { } scaler) x = scaler.Apply(x);
        var a = network.PredictProbabilities(x);
        var probabilities = Matrix<double>.Build.Dense(classes, x.ColumnCount, (k, j) => outputs == 1 ? (k == 1 ? a[0, j] : 1 - a[0, j]) : a[k, j]);

        var console = context.Out;
        if (record is null)
            console.Line($"Note: {modelPath} (model format {saved.Version}) records no data: no scaling is applied and the classes are numbered 0 … {classes - 1}.");
        console.Line($"Model: {Path.GetFullPath(modelPath)} ({string.Join(" → ", network.LayerSizes)}){(record?.Scaling is null ? "" : ", standardizing the inputs as in training")}");
        console.Line(Invariant($"Data:  {dataPath}, {x.ColumnCount:N0} sample{(x.ColumnCount == 1 ? "" : "s")}"));
        int width = Math.Min(24, classNames.Max(n => n.Length));
        for (int j = 0; j < Math.Min(show, x.ColumnCount); j++)
        {
            var order = Enumerable.Range(0, classes).OrderByDescending(k => probabilities[k, j]).ToArray();
            string runnerUp = classes > 1 ? $"   next: {classNames[order[1]]} {Percent(probabilities[order[1], j])}" : "";
            console.Line($"row {(j + 1).ToString(CultureInfo.InvariantCulture).PadLeft(x.ColumnCount.ToString(CultureInfo.InvariantCulture).Length)}: " +
                $"{classNames[order[0]].PadRight(width)} {Percent(probabilities[order[0], j])}{runnerUp}");
        }
        if (x.ColumnCount > show)
            console.Line(Invariant($"… and {x.ColumnCount - show:N0} more{(outFull is null ? "; write them all with --out predictions.csv" : "")}."));
        if (outFull is not null)
        {
            WriteCsv(outFull, probabilities, classNames);
            console.Line($"Predictions: {outFull}");
        }
        return CliApp.ExitCodes.Ok;
    }

    private static Matrix<double> LoadRows(string path, int features, string? labelColumn, ModelData? record)
    {
        if (Directory.Exists(path))
            throw new UsageException($"--data {path} is a folder; predict scores one file of rows (.csv) or of images (IDX).", "predict");
        // Before IsIdx opens it: a pipe would block the open without end.
        SafeFile.CheckReadable(path, "a .csv file or an IDX images file", (message, inner) => new DataFormatException(path, null, null, message, inner));
        if (IsIdx(path))
        {
            if (labelColumn is not null)
                throw new UsageException($"--label-column does nothing for {path}: it is an IDX images file, whose labels (if any) are in a file of their own. Leave it out.", "predict");
            var images = Idx.LoadImages(path);
            if (images.RowCount != features)
                throw new DataFormatException(path, null, null, $"its images have {images.RowCount} pixels each, but the model takes {features} features.");
            return images;
        }
        var (x, names) = Csv.LoadFeatures(path, features, DataSources.CsvOptionsFor(labelColumn));
        if (record?.FeatureNames is { } trained && names is not null && !trained.SequenceEqual(names))
        {
            int k = Enumerable.Range(0, trained.Count).First(i => trained[i] != names[i]);
            throw new DataFormatException(path, 1, null,
                $"feature column {k + 1} is '{names[k]}', but the model was trained with '{trained[k]}' there. Give the columns in the training file's order: {string.Join(", ", trained.Take(12))}{(trained.Count > 12 ? ", …" : "")}.");
        }
        return x;
    }

    /// <summary>True for an IDX file: raw (00 00 08 …) or gzip-compressed with "idx" or "ubyte" in its name. Only for a path <see cref="SafeFile.CheckReadable(string, string, Func{string, Exception?, Exception})"/> accepted.</summary>
    private static bool IsIdx(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> head = stackalloc byte[4];
        int n = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
            return !path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase) && (path.Contains("idx", StringComparison.OrdinalIgnoreCase) || path.Contains("ubyte", StringComparison.OrdinalIgnoreCase));
        return n == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
    }

    private static void WriteCsv(string full, Matrix<double> p, IReadOnlyList<string> classNames)
    {
        var text = new StringBuilder();
        text.Append("row,class");
        foreach (string name in classNames) text.Append(",\"p(").Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append(")\"");
        text.Append('\n');
        for (int j = 0; j < p.ColumnCount; j++)
        {
            int best = 0;
            for (int k = 1; k < p.RowCount; k++) if (p[k, j] > p[best, j]) best = k;
            text.Append(j + 1).Append(",\"").Append(classNames[best].Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            for (int k = 0; k < p.RowCount; k++) text.Append(',').Append(p[k, j].ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        SafeFile.WriteAtomically(full, text.ToString(), (stream, csv) => stream.Write(new UTF8Encoding(false).GetBytes(csv)),
            (reason, e) => new IOException($"could not write the predictions to {full}: {reason} The previous file there, if any, is unchanged.", e));
    }

    private static string Percent(double p) => (p * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
