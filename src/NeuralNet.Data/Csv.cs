using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>How <see cref="Csv.Load"/> reads a file. Every option has a sensible default.</summary>
public sealed record CsvOptions
{
    /// <summary>
    /// Whether line 1 is a header of column names. Null (the default) detects it: line 1 is a header
    /// when one of its fields is not a number while the same field on the next line is (or, for a
    /// file of one row, when a feature field on it is not a number).
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>The name (in the header) of the column holding the labels. Needs a header.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>
    /// The 0-based index of the label column; negative counts from the end (−1 is the last column).
    /// When neither this nor <see cref="LabelColumnName"/> is set, the label column is the one whose
    /// header is "label", "class" or "target" (any case) if there is one, and otherwise the last column.
    /// </summary>
    public int? LabelColumnIndex { get; init; }

    /// <summary>
    /// The character between fields. Null (the default) detects it from the first line:
    /// a tab if there are more tabs than semicolons, else ';' if there is a semicolon, else ','.
    /// </summary>
    public char? Delimiter { get; init; }

    /// <summary>
    /// The class names, in class-index order. Give them to fix the numbering, for example so that a
    /// training file and a test file agree even when one lacks a class. Each label must then be one of
    /// these names or a class index 0 … n−1. Null (the default) derives the classes from the labels:
    /// see <see cref="Csv.Load"/>.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}

/// <summary>Loads labelled data from CSV (comma-separated values) text files.</summary>
/// <remarks>
/// In five files: the public loaders (here), the text and its encoding (Csv.Text.cs), the table of fields and numbers
/// (Csv.Table.cs), the labels and their classes (Csv.Labels.cs), the records and their delimiter (Csv.Records.cs).
/// </remarks>
public static partial class Csv
{
    /// <summary>The largest class index a numeric label may have (guards against picking a feature column as the labels).</summary>
    internal const int MaxClassIndex = 65_535;

    /// <summary>The most fields a row may have (MNIST as CSV has 785); a longer row is refused before it is stored.</summary>
    internal const int MaxColumns = 100_000;

    /// <summary>The most characters one field may have; a longer one is refused as soon as it is seen.</summary>
    internal const int MaxFieldLength = 10_000;

    /// <summary>The most characters one row (record) may have: 16 Mi, over 20 times a row of MNIST as CSV.</summary>
    internal const int MaxRowLength = 1 << 24;

    private static readonly string[] LabelHeaderNames = ["label", "class", "target"];

    /// <summary>
    /// Loads a CSV file of numeric features and one label column into a <see cref="LabeledData"/>,
    /// one row of the file per sample (column of <c>X</c>).
    /// </summary>
    /// <remarks>
    /// <para>Numbers are read the same way on every computer (invariant culture): a dot for the
    /// decimal point, an optional exponent (<c>1.5e-3</c>); no thousands separators; NaN and
    /// infinities are refused, and so are empty fields (there is no missing-value handling).</para>
    /// <para>Fields may be quoted with double quotes, which may contain the delimiter, line breaks and
    /// doubled quotes (<c>""</c>). Spaces around fields are ignored. Blank lines are skipped.
    /// A UTF-8 or UTF-16 byte-order mark is understood, and a gzip-compressed file is read as is.</para>
    /// <para>Labels: when every label is a whole number ≥ 0, it is the class index and the classes are
    /// named "0", "1", … up to the largest. Otherwise every label is a class name, and the classes are
    /// numbered in sorted (ordinal) order of their names — the same numbering whatever the row order.
    /// <see cref="CsvOptions.ClassNames"/> overrides both.</para>
    /// <para>Lines and columns in error messages count from 1; a column is a field number.</para>
    /// </remarks>
    /// <exception cref="DataFormatException">when the file is missing, unreadable or not such a CSV file; the message says where and what to change.</exception>
    public static LabeledData Load(string path, CsvOptions? options = null) => LoadFile(path, options, null);

    private static LabeledData LoadFile(string path, CsvOptions? options, Action<Table>? onTable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckReadable(path);
        try
        {
            return Read(() => OpenText(path, path), path, options ?? new CsvOptions(), onTable);
        }
        catch (DecoderFallbackException e)
        {
            throw NotUtf8(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataFormatException(path, null, null, $"could not read the file: {e.Message}", e);
        }
    }

    /// <summary>Refuses, before opening it, a path that is missing, a folder, or a device, pipe or socket.</summary>
    private static void CheckReadable(string path) =>
        SafeFile.CheckReadable(path, "the .csv file", (message, inner) => new DataFormatException(path, null, null, message, inner));

    /// <summary>As <see cref="Load"/>, also returning the feature columns' names from the header (null when the file has none).</summary>
    public static (LabeledData Data, IReadOnlyList<string>? FeatureNames) LoadWithHeader(string path, CsvOptions? options = null)
    {
        IReadOnlyList<string>? names = null;
        var data = LoadFile(path, options, table => names = table.FeatureNames);
        return (data, names);
    }

    /// <summary>Reads CSV text already in memory, as <see cref="Load"/> reads a file; <paramref name="sourceName"/> names it in error messages.</summary>
    public static LabeledData Parse(string text, CsvOptions? options = null, string sourceName = "(text)")
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(() => new StringReader(text), sourceName, options ?? new CsvOptions());
    }

    private static LabeledData Read(Func<TextReader> open, string name, CsvOptions options, Action<Table>? onTable = null)
    {
        var table = ReadTable(open, name, options, expectedFeatures: null);
        onTable?.Invoke(table);
        var (labels, classNames) = MapLabels(table, name, options.ClassNames);
        var matrix = Matrix<double>.Build.Dense(table.Features, table.Rows, table.Values);
        return new LabeledData(matrix, labels, classNames);
    }

    /// <summary>
    /// Loads a CSV file of features only — new samples to score with a trained model. A label column is left out when
    /// <see cref="CsvOptions.LabelColumnName"/> or <see cref="CsvOptions.LabelColumnIndex"/> names it, when the header names
    /// one "label", "class" or "target", or when the rows have exactly one field more than <paramref name="features"/> (then the last).
    /// </summary>
    /// <param name="path">The file (gzip-compressed or not).</param>
    /// <param name="features">The number of features the rows must have.</param>
    /// <param name="options">As for <see cref="Load"/>; <see cref="CsvOptions.ClassNames"/> is not used.</param>
    /// <returns>X, (features × samples), and the feature columns' header names (null without a header).</returns>
    /// <exception cref="DataFormatException">when the file is missing, not such a CSV file, or has another number of features.</exception>
    public static (Matrix<double> X, IReadOnlyList<string>? FeatureNames) LoadFeatures(string path, int features, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        CheckReadable(path);
        try
        {
            var table = ReadTable(() => OpenText(path, path), path, options ?? new CsvOptions(), features);
            return (Matrix<double>.Build.Dense(table.Features, table.Rows, table.Values), table.FeatureNames);
        }
        catch (DecoderFallbackException e)
        {
            throw NotUtf8(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataFormatException(path, null, null, $"could not read the file: {e.Message}", e);
        }
    }
}
