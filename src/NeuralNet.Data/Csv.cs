using System.Globalization;
using System.IO.Compression;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;
using NeuralNet.Numerics;

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
public static class Csv
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

    private static TextReader OpenText(string path, string shown)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[4];
            int n = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            file.Position = 0;
            Stream stream = file;
            if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
                stream = new CheckedGzipStream(file, shown, MemoryBudget.Bytes);
            else if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && head[3] is >= 1 and <= 4)
                throw new DataFormatException(shown, null, null, "this is an IDX file (the MNIST image/label format), not CSV text. Load it with Idx.LoadImagesAndLabels.");
            else if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
                throw new DataFormatException(shown, null, null, "this is a zip archive, not CSV text. Extract the .csv file from it first.");
            // Strict: bytes that are not UTF-8 stop the reading (NotUtf8 then says where), instead of becoming � in a class name.
            return new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The file is not UTF-8 text: the first byte sequence that is not, where it is (line, byte offset, the text before it
    /// on its line) and what to do. Decoding it anyway would change every accented letter of a class name or header into
    /// �, silently renaming classes (Latin-1's "Café" and "Cafe" would stay apart, but "Café" and "Cafè" would merge).
    /// </summary>
    private static DataFormatException NotUtf8(string path, DecoderFallbackException e)
    {
        int? line;
        long offset;
        byte[] bad;
        string before;
        try { (line, offset, bad, before) = FirstInvalidUtf8(path); }
        catch (DataFormatException damaged) { return damaged; }   // the gzip data is damaged there: that is the error to report
        catch (Exception other) when (other is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new DataFormatException(path, null, null, $"could not read the file: {other.Message}", other);
        }
        string hex = string.Join(" ", bad.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        string latin1 = bad.Length == 1 && bad[0] >= 0xA0 ? $" ('{(char)bad[0]}' in Latin-1)" : "";
        string after = before.Length > 0 ? $", after \"{before}\"," : "";
        return new DataFormatException(path, line, null,
            Invariant($"the text is not UTF-8: at byte offset {offset:N0}{after} comes {hex}{latin1}, which is not a UTF-8 character. The file is in another encoding ") +
            "(Latin-1 or Windows-1252, as older spreadsheets save CSV, most likely); read as UTF-8, its class names and headers would be changed. " +
            "Save it as UTF-8 (a spreadsheet's \"CSV UTF-8\"; or iconv -f latin1 -t utf-8 in.csv > out.csv) and load that.", e);
    }

    /// <summary>Finds the first byte sequence of the (decompressed) file that is not UTF-8: its 1-based line, byte offset, bytes, and up to 30 characters before it on its line.</summary>
    private static (int? Line, long Offset, byte[] Bytes, string Before) FirstInvalidUtf8(string path)
    {
        using var reader = OpenText(path, path);
        Stream stream = ((StreamReader)reader).BaseStream;   // nothing read from it yet: the bytes from the start
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length];
        int line = 1, kept = 0;
        long offset = 0;
        var tail = new StringBuilder();
        bool lastWasCr = false;
        while (true)
        {
            int read = stream.Read(buffer.AsSpan(kept));   // what is there: no further into a damaged file than needed
            int length = kept + read;
            if (length == 0) break;
            var status = System.Text.Unicode.Utf8.ToUtf16(buffer.AsSpan(0, length), chars, out int used, out int written,
                replaceInvalidSequences: false, isFinalBlock: read == 0);
            for (int i = 0; i < written; i++)
            {
                char c = chars[i];
                if (c == '\uFEFF') continue;   // a byte-order mark
                if (c == '\n' || c == '\r')
                {
                    if (!(c == '\n' && lastWasCr)) line++;
                    tail.Clear();
                }
                else
                {
                    tail.Append(c);
                    if (tail.Length > 30) tail.Remove(0, tail.Length - 30);
                }
                lastWasCr = c == '\r';
            }
            offset += used;
            if (status == System.Buffers.OperationStatus.InvalidData || (status == System.Buffers.OperationStatus.NeedMoreData && read == 0))
            {
                int n = 1;
                while (n < 4 && used + n < length && (buffer[used + n] & 0xC0) == 0x80) n++;   // a broken sequence: its lead and continuation bytes
                return (line, offset, buffer.AsSpan(used, Math.Min(n, length - used)).ToArray(), tail.ToString().Trim());
            }
            kept = length - used;   // a sequence cut by the buffer's end: keep it for the next round
            buffer.AsSpan(used, kept).CopyTo(buffer);
            if (read == 0) break;
        }
        return (null, offset, [], "");
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

    /// <summary>The parsed rows: values column-major (one sample after another), the labels as ids into <c>Distinct</c>.</summary>
    private sealed record Table(double[] Values, int Features, int Rows, string[]? FeatureNames,
        int[] LabelIds, List<string> Distinct, List<int> DistinctLine, int LabelColumn, string LabelName);

    private static Table ReadTable(Func<TextReader> open, string name, CsvOptions options, int? expectedFeatures)
    {
        char delimiter = options.Delimiter ?? DetectDelimiter(open, name);
        if (delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"The delimiter cannot be {(delimiter == '"' ? "a double quote" : "a line break")}.", nameof(options));

        using var reader = open();
        var records = new RecordReader(reader, delimiter, name);

        if (!records.Next(out var first, out int firstLine))
            throw new DataFormatException(name, null, null, "the file is empty: it has no lines with data. Check that you gave the right file.");
        bool hasSecond = records.Next(out var second, out int secondLine);

        int columns = first.Count;
        bool hasHeader = options.HasHeader ?? DetectHeader(first, hasSecond ? second : null, options);
        string[] columnNames = hasHeader
            ? first.Select((f, i) => f.Length > 0 ? f : Invariant($"column {i + 1}")).ToArray()
            : Enumerable.Range(1, columns).Select(i => Invariant($"column {i}")).ToArray();
        int label;
        if (expectedFeatures is int wantedFeatures)
        {
            bool named = options.LabelColumnName is not null || options.LabelColumnIndex is not null
                || (hasHeader && columnNames.Count(n => LabelHeaderNames.Contains(n.ToLowerInvariant())) == 1);
            label = named || columns == wantedFeatures + 1 ? FindLabelColumn(name, firstLine, hasHeader, columnNames, first, options) : -1;
            int have = label >= 0 ? columns - 1 : columns;
            if (have != wantedFeatures)
                throw new DataFormatException(name, firstLine, null,
                    Invariant($"the rows have {columns} fields{(label >= 0 ? $" (one of them the label column '{columnNames[label]}')" : "")}, so {have} features, but the model takes {wantedFeatures}. ") +
                    "Give rows with the same feature columns as the training data.");
        }
        else label = FindLabelColumn(name, firstLine, hasHeader, columnNames, first, options);
        int features = label >= 0 ? columns - 1 : columns;
        if (features == 0)
            throw new DataFormatException(name, firstLine, null,
                "this row has only one field, so there are no feature columns beside the labels. " +
                $"Is the delimiter right? This file was read with {Describe(delimiter)}; set CsvOptions.Delimiter if the fields are separated by something else.");

        long maxValues = Math.Min(MemoryBudget.Bytes / sizeof(double), Array.MaxLength);
        // The rows are counted first, in a reading of the text that keeps nothing, so the values are allocated once at
        // their size (a list growing by doubling held up to three times the data while it copied). The budget is checked
        // there, row by row, before anything is allocated.
        int? counted = CountRows(open, delimiter, name, hasHeader, features, maxValues);
        var x = new double[counted is int n ? (long)n * features : Math.Min(1L << 16, maxValues)];
        long filled = 0;
        var labelIds = new int[label < 0 ? 0 : counted ?? 1024];
        var distinct = new List<string>();
        var distinctLine = new List<int>();
        var distinctIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int rows = 0;
        string headerHint = options.HasHeader is null && !hasHeader ? " If that line is a header of column names, set CsvOptions.HasHeader = true." : "";

        void AddRow(List<string> fields, int line)
        {
            if (fields.Count != columns)
            {
                string hint = fields.Count == columns + 1 && fields[^1].Length == 0
                    ? $" The line ends with {Describe(delimiter)}: remove the trailing delimiter."
                    : delimiter == ',' && fields.Count > columns ? " If a number has a decimal comma (1,5), it splits into two fields: write 1.5, or quote the field." : "";
                throw new DataFormatException(name, line, null,
                    Invariant($"this row has {fields.Count} fields, but line {firstLine} has {columns}; every row needs the same number of fields.{hint}"));
            }
            if ((long)(rows + 1) * features > maxValues) throw OverBudget(name, line, rows, features);
            if (filled + features > x.Length) Array.Resize(ref x, (int)Math.Min(Math.Max(2L * x.Length, filled + features), maxValues));   // only when the count failed: the file has an error further on
            if (label >= 0 && rows == labelIds.Length) Array.Resize(ref labelIds, Math.Max(1024, 2 * rows));
            rows++;
            for (int c = 0; c < columns; c++)
            {
                string field = fields[c];
                if (c == label)
                {
                    if (field.Length == 0)
                        throw new DataFormatException(name, line, c + 1, $"the label ('{columnNames[c]}') is empty. Every row needs a label: fill it in or remove the row.");
                    if (!distinctIndex.TryGetValue(field, out int id))
                    {
                        if (distinct.Count > MaxClassIndex)
                            throw new DataFormatException(name, line, c + 1,
                                Invariant($"the label column '{columnNames[c]}' has more than {MaxClassIndex + 1:N0} different values, too many to be classes.") +
                                (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                                    ? " They are numbers: this loader reads class labels, not a measured quantity to predict (regression). Is it really the label column?"
                                    : " Is it really the label column?"));
                        id = distinct.Count;
                        distinctIndex.Add(field, id);
                        distinct.Add(field);
                        distinctLine.Add(line);
                    }
                    labelIds[rows - 1] = id;
                    continue;
                }
                x[filled++] = ParseNumber(field, name, line, c, columnNames[c], line == firstLine ? headerHint : "");
            }
        }

        if (!hasHeader) AddRow(first, firstLine);
        if (hasSecond)
        {
            AddRow(second, secondLine);
            while (records.Next(out var fields, out int line)) AddRow(fields, line);
        }
        if (rows == 0)
            throw new DataFormatException(name, null, null, Invariant($"the file has a header (line {firstLine}) but no data rows below it."));

        if (filled != x.Length) Array.Resize(ref x, (int)filled);   // only when the count and the reading disagree
        if (label >= 0 && rows != labelIds.Length) Array.Resize(ref labelIds, rows);
        string[]? featureNames = hasHeader ? columnNames.Where((_, c) => c != label).ToArray() : null;
        return new Table(x, features, rows, featureNames, labelIds, distinct, distinctLine, label, label >= 0 ? columnNames[label] : "");
    }

    private static DataFormatException OverBudget(string name, int line, int rows, int features) => new(name, line, null,
        Invariant($"the data read so far ({rows:N0} rows × {features:N0} features) already fills the memory budget as doubles. {MemoryBudget.Advice} Or use a part of the file."));

    /// <summary>
    /// The number of data rows (records that are not blank, less the header), read with nothing kept, refusing at the
    /// first row that would not fit the budget; null when the text has an error (the reading that keeps the rows then
    /// reports it, at its place among the other checks).
    /// </summary>
    private static int? CountRows(Func<TextReader> open, char delimiter, string name, bool hasHeader, int features, long maxValues)
    {
        using var reader = open();
        var records = new RecordReader(reader, delimiter, name);
        int rows = 0;
        for (bool header = hasHeader; ; header = false)
        {
            int line;
            try
            {
                if (!records.Skip(out line)) return rows;
            }
            catch (Exception e) when (e is DataFormatException or InvalidDataException or IOException)
            {
                return null;
            }
            if (header) continue;
            if ((long)(rows + 1) * features > maxValues) throw OverBudget(name, line, rows, features);
            rows++;
        }
    }

    private static double ParseNumber(string field, string name, int line, int c, string column, string hint)
    {
        if (field.Length == 0)
            throw new DataFormatException(name, line, c + 1, $"the value of '{column}' is empty. Missing values are not supported: fill in a number or remove the row.");
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (double.IsFinite(value)) return value;
            throw new DataFormatException(name, line, c + 1, $"'{Shorten(field)}' in '{column}' is not a finite number (NaN or too large). Replace it with an ordinary number or remove the row.");
        }
        string why = LooksLikeDecimalComma(field)
            ? " Numbers need a decimal point, not a comma: write 1.5, not 1,5."
            : field.Contains(',') || field.Contains(' ') ? " Numbers cannot contain thousands separators or spaces." : "";
        throw new DataFormatException(name, line, c + 1,
            $"'{Shorten(field)}' in '{column}' is not a number. Every column except the label must hold numbers.{(why.Length > 0 ? why : hint)}");
    }

    private static bool LooksLikeDecimalComma(string s)
    {
        int comma = s.IndexOf(',');
        return comma > 0 && comma == s.LastIndexOf(',') && comma < s.Length - 1
            && double.TryParse(s.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static int FindLabelColumn(string name, int line, bool hasHeader, string[] columnNames, List<string> first, CsvOptions options)
    {
        int columns = columnNames.Length;
        if (options.LabelColumnName is { } wanted)
        {
            if (options.LabelColumnIndex is not null)
                throw new ArgumentException("Give the label column by name or by index, not both.", nameof(options));
            if (!hasHeader)
                throw new DataFormatException(name, line, null,
                    Invariant($"the label column is given by name ('{wanted}'), but line {line} is not a header of column names") +
                    (options.HasHeader is null ? " (it looks like data). Set CsvOptions.HasHeader = true if it is a header, or give LabelColumnIndex instead." : ". Give LabelColumnIndex instead."));
            var exact = Enumerable.Range(0, columns).Where(i => first[i] == wanted.Trim()).ToArray();
            if (exact.Length == 0)
                exact = Enumerable.Range(0, columns).Where(i => string.Equals(first[i], wanted.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
            if (exact.Length == 1) return exact[0];
            if (exact.Length > 1)
                throw new DataFormatException(name, line, exact[1] + 1, $"more than one column is named '{wanted}' (columns {string.Join(", ", exact.Select(i => i + 1))}). Rename one, or give LabelColumnIndex.");
            throw new DataFormatException(name, line, null,
                $"there is no column named '{wanted}'. The columns are: {string.Join(", ", columnNames.Take(30).Select(n => $"'{n}'"))}{(columns > 30 ? ", …" : "")}.");
        }
        if (options.LabelColumnIndex is int index)
        {
            int resolved = index < 0 ? columns + index : index;
            if (resolved < 0 || resolved >= columns)
                throw new DataFormatException(name, line, null,
                    Invariant($"there is no label column {index}: the rows have {columns} fields, so the index must be 0 to {columns - 1} (or −1 to −{columns} counting from the end)."));
            return resolved;
        }
        if (hasHeader)
        {
            var named = Enumerable.Range(0, columns).Where(i => LabelHeaderNames.Contains(first[i].ToLowerInvariant())).ToArray();
            if (named.Length == 1) return named[0];
        }
        return columns - 1;
    }

    private static bool DetectHeader(List<string> first, List<string>? second, CsvOptions options)
    {
        if (options.LabelColumnName is not null) return true;
        // An empty field counts as a number here: headers rarely have empty names, data rows may have gaps.
        bool IsNumber(string s) => s.Length == 0 || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        if (second is not null)
        {
            for (int i = 0; i < Math.Min(first.Count, second.Count); i++)
            {
                if (!IsNumber(first[i]) && IsNumber(second[i])) return true;
                // A column named label, class or target over text labels: numbers alone would not show it (with numeric
                // feature names the header was read as a sample, and "label" became a class).
                if (LabelHeaderNames.Contains(first[i].ToLowerInvariant()) && !string.Equals(first[i], second[i], StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
        int label = options.LabelColumnIndex is int index ? (index < 0 ? first.Count + index : index) : first.Count - 1;
        return first.Where((f, i) => i != label && !IsNumber(f)).Any();
    }

    private static (int[] Labels, IReadOnlyList<string> Names) MapLabels(Table table, string name, IReadOnlyList<string>? given)
    {
        var text = table.Distinct;
        var lines = table.DistinctLine;
        int column = table.LabelColumn;
        string columnName = table.LabelName;
        var ids = table.LabelIds;
        var labels = new int[ids.Length];
        var classOf = new int[text.Count];   // class of each distinct label text
        if (given is not null)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < given.Count; k++)
                if (!index.TryAdd(given[k], k))
                    throw new ArgumentException(Invariant($"CsvOptions.ClassNames names classes {index[given[k]]} and {k} both '{given[k]}'; each class needs its own name."), "options");
            for (int d = 0; d < text.Count; d++)
            {
                if (index.TryGetValue(text[d], out int k)) classOf[d] = k;
                else if (int.TryParse(text[d], NumberStyles.None, CultureInfo.InvariantCulture, out k) && k < given.Count) classOf[d] = k;
                else
                    throw new DataFormatException(name, lines[d], column + 1,
                        Invariant($"the label '{Shorten(text[d])}' is not one of the given class names ({string.Join(", ", given.Take(20))}{(given.Count > 20 ? ", …" : "")}) nor a class index 0 to {given.Count - 1}."));
            }
            for (int j = 0; j < ids.Length; j++) labels[j] = classOf[ids[j]];
            return (labels, given.ToArray());
        }

        bool allNumbers = true, allWhole = true;
        int fraction = -1;
        for (int d = 0; d < text.Count; d++)
        {
            if (!double.TryParse(text[d], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) { allNumbers = allWhole = false; break; }
            if (v < 0 || v != Math.Floor(v) || v > int.MaxValue)
            {
                allWhole = false;
                if (fraction < 0 && v != Math.Floor(v)) fraction = d;
                continue;
            }
            if (v > MaxClassIndex)
                throw new DataFormatException(name, lines[d], column + 1,
                    Invariant($"the label {Shorten(text[d])} is too large to be a class index (at most {MaxClassIndex}). ") +
                    $"Is '{columnName}' really the label column? Set CsvOptions.LabelColumnName or LabelColumnIndex.");
            classOf[d] = (int)v;
        }
        if (allNumbers && fraction >= 0)
            throw new DataFormatException(name, lines[fraction], column + 1,
                $"the label {Shorten(text[fraction])} in '{columnName}' is a number with a fraction: the labels look like a measured quantity (a regression target), " +
                Invariant($"but this loader reads classes — {text.Count:N0} different values would become {text.Count:N0} classes. ") +
                "Give a column of class labels (whole numbers 0, 1, … or names), or check that the label column is the right one.");
        if (allWhole)
        {
            int classes = classOf.Max() + 1;
            var counts = new int[classes];
            foreach (int id in ids) counts[classOf[id]]++;
            if (ClassIndices.Find(counts, text.Count) is { } slip)
            {
                int largest = Array.IndexOf(classOf, classes - 1);
                throw new DataFormatException(name, slip.OneBased ? lines[0] : lines[largest], column + 1,
                    slip.Message($"the labels in '{columnName}'", $"the label {Shorten(text[largest])}", "CsvOptions.ClassNames", $"'{columnName}' is not the label column"));
            }
            for (int j = 0; j < ids.Length; j++) labels[j] = classOf[ids[j]];
            return (labels, Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());
        }

        var names = text.Order(StringComparer.Ordinal).ToArray();
        var lookup = names.Select((n, k) => (n, k)).ToDictionary(p => p.n, p => p.k, StringComparer.Ordinal);
        for (int d = 0; d < text.Count; d++) classOf[d] = lookup[text[d]];
        for (int j = 0; j < ids.Length; j++) labels[j] = classOf[ids[j]];
        return (labels, names);
    }

    private static char DetectDelimiter(Func<TextReader> open, string name)
    {
        // Looks at the first non-blank line, reading at most MaxColumns · 64 characters of it (a huge one-line file is
        // not loaded into one string here; the record reader then refuses it with its own limits).
        using var reader = open();
        int tabs = 0, semicolons = 0, lineNumber = 1, seen = 0;
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) != -1 && seen++ < MaxColumns * 64)
        {
            if (c == 0) throw BinaryFile(name, lineNumber);
            if (c is '\n' or '\r')
            {
                if (any && !quoted) break;
                if (c == '\n') lineNumber++;
                continue;
            }
            if (!char.IsWhiteSpace((char)c)) any = true;
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '\t') tabs++;
            else if (!quoted && c == ';') semicolons++;
        }
        if (tabs > semicolons) return '\t';
        return semicolons > 0 ? ';' : ',';
    }

    private static DataFormatException BinaryFile(string name, int line) =>
        new(name, line, null, "the file contains a NUL character, so it is a binary file, not CSV text. Check that you gave the right file (an IDX file is loaded with Idx.LoadImagesAndLabels).");

    private static string Describe(char delimiter) => delimiter switch
    {
        ',' => "commas (',')",
        ';' => "semicolons (';')",
        '\t' => "tabs",
        _ => $"'{delimiter}'",
    };

    internal static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "…";

    /// <summary>Splits CSV text into records of trimmed fields, tracking the line each record starts on.</summary>
    private sealed class RecordReader(TextReader reader, char delimiter, string name)
    {
        private int _line = 1;
        private readonly StringBuilder _field = new();
        private int _recordChars;
        private List<string>? _fields;   // null while skipping: the fields are not kept
        private int _fieldCount;
        private bool _firstEmpty;

        public bool Next(out List<string> fields, out int startLine)
        {
            while (true)
            {
                startLine = _line;
                fields = _fields = new List<string>();
                if (!ReadRecord()) return false;
                if (!IsBlank) return true;
            }
        }

        /// <summary>Reads past the next record that is not blank, keeping nothing of it (no strings made); false at the end of the text.</summary>
        public bool Skip(out int startLine)
        {
            _fields = null;
            while (true)
            {
                startLine = _line;
                if (!ReadRecord()) return false;
                if (!IsBlank) return true;
            }
        }

        /// <summary>A blank line: one field, empty (after trimming, when it was not quoted).</summary>
        private bool IsBlank => _fieldCount == 1 && _firstEmpty;

        private static bool IsWhiteSpace(StringBuilder text)
        {
            foreach (var chunk in text.GetChunks())
                foreach (char c in chunk.Span)
                    if (!char.IsWhiteSpace(c)) return false;
            return true;
        }

        private void Append(char c)
        {
            if (++_recordChars > MaxRowLength)
                throw new DataFormatException(name, _line, null,
                    Invariant($"this row is longer than {MaxRowLength:N0} characters, more than this loader reads in one row. Are the line breaks missing?"));
            if (_field.Length >= MaxFieldLength)
                throw new DataFormatException(name, _line, _fieldCount + 1,
                    Invariant($"this field is longer than {MaxFieldLength:N0} characters, longer than any number or label. Is the delimiter right, or is a quote never closed?"));
            _field.Append(c);
        }

        private void EndField(bool wasQuoted)
        {
            if (_fieldCount >= MaxColumns)
                throw new DataFormatException(name, _line, null,
                    Invariant($"this row has more than {MaxColumns:N0} fields, more than this loader reads in one row. Is the delimiter right, or are the line breaks missing?"));
            if (_fieldCount == 0) _firstEmpty = wasQuoted ? _field.Length == 0 : IsWhiteSpace(_field);
            _fields?.Add(wasQuoted ? _field.ToString() : _field.ToString().Trim());
            _fieldCount++;
            _field.Clear();
        }

        // Reads one record (into _fields, when kept); false at the end of the text.
        private bool ReadRecord()
        {
            int c = reader.Read();
            if (c == -1) return false;
            _field.Clear();
            _recordChars = 0;
            _fieldCount = 0;
            bool inQuotes = false, afterQuote = false, wasQuoted = false;
            int quoteLine = 0;
            while (true)
            {
                if (c == 0) throw BinaryFile(name, _line);
                if (inQuotes)
                {
                    if (c == -1)
                        throw new DataFormatException(name, quoteLine, _fieldCount + 1,
                            "a quote (\") opened here is never closed. Add the closing quote, or remove the opening one.");
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); _field.Append('"'); }
                        else { inQuotes = false; afterQuote = true; }
                    }
                    else
                    {
                        if (c == '\n') _line++;
                        Append((char)c);
                    }
                }
                else if (c == delimiter || c is '\n' or '\r' or -1)
                {
                    EndField(wasQuoted);
                    afterQuote = wasQuoted = false;
                    if (c == delimiter) { c = reader.Read(); continue; }
                    if (c == '\r' && reader.Peek() == '\n') reader.Read();
                    if (c != -1) _line++;
                    return true;
                }
                else if (c == '"' && !wasQuoted && IsWhiteSpace(_field))
                {
                    inQuotes = wasQuoted = true;
                    quoteLine = _line;
                    _field.Clear();
                }
                else if (afterQuote)
                {
                    if (!char.IsWhiteSpace((char)c))
                        throw new DataFormatException(name, _line, _fieldCount + 1,
                            $"there is text after the closing quote of this field. Put the whole field inside the quotes, and write a quote inside quotes as \"\".");
                }
                else Append((char)c);
                c = reader.Read();
            }
        }
    }
}
