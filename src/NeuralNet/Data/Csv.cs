using System.Globalization;
using System.IO.Compression;
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
public static class Csv
{
    /// <summary>The largest class index a numeric label may have (guards against picking a feature column as the labels).</summary>
    public const int MaxClassIndex = 65_535;

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
    public static LabeledData Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string shown = path;
        if (!File.Exists(path))
        {
            string full = SafeFullPath(path);
            if (Directory.Exists(path))
                throw new DataFormatException(shown, null, null, $"this is a folder, not a file ({full}). Give the path of the .csv file inside it.");
            throw new DataFormatException(shown, null, null,
                $"file not found (looked for {full}; the current directory is {Directory.GetCurrentDirectory()}). Check the name and the folder.",
                new FileNotFoundException(null, full));
        }
        try
        {
            return Read(() => OpenText(path, shown), shown, options ?? new CsvOptions());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataFormatException(shown, null, null, $"could not read the file: {e.Message}", e);
        }
    }

    /// <summary>Reads CSV text already in memory, as <see cref="Load"/> reads a file; <paramref name="sourceName"/> names it in error messages.</summary>
    public static LabeledData Parse(string text, CsvOptions? options = null, string sourceName = "(text)")
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(() => new StringReader(text), sourceName, options ?? new CsvOptions());
    }

    internal static string SafeFullPath(string path)
    {
        try { return Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return path; }
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
                stream = new GZipStream(file, CompressionMode.Decompress);
            else if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && head[3] is >= 1 and <= 4)
                throw new DataFormatException(shown, null, null, "this is an IDX file (the MNIST image/label format), not CSV text. Load it with Idx.LoadImagesAndLabels.");
            else if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
                throw new DataFormatException(shown, null, null, "this is a zip archive, not CSV text. Extract the .csv file from it first.");
            return new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static LabeledData Read(Func<TextReader> open, string name, CsvOptions options)
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
            ? first.Select((f, i) => f.Length > 0 ? f : $"column {i + 1}").ToArray()
            : Enumerable.Range(1, columns).Select(i => $"column {i}").ToArray();
        int label = FindLabelColumn(name, firstLine, hasHeader, columnNames, first, options);
        int features = columns - 1;
        if (features == 0)
            throw new DataFormatException(name, firstLine, null,
                "this row has only one field, so there are no feature columns beside the labels. " +
                $"Is the delimiter right? This file was read with {Describe(delimiter)}; set CsvOptions.Delimiter if the fields are separated by something else.");

        var x = new List<double>();
        var labelText = new List<string>();
        var labelLine = new List<int>();
        string headerHint = options.HasHeader is null && !hasHeader ? " If that line is a header of column names, set CsvOptions.HasHeader = true." : "";

        void AddRow(List<string> fields, int line)
        {
            if (fields.Count != columns)
            {
                string hint = fields.Count == columns + 1 && fields[^1].Length == 0
                    ? $" The line ends with {Describe(delimiter)}: remove the trailing delimiter."
                    : delimiter == ',' && fields.Count > columns ? " If a number has a decimal comma (1,5), it splits into two fields: write 1.5, or quote the field." : "";
                throw new DataFormatException(name, line, null,
                    $"this row has {fields.Count} fields, but line {firstLine} has {columns}; every row needs the same number of fields.{hint}");
            }
            for (int c = 0; c < columns; c++)
            {
                string field = fields[c];
                if (c == label)
                {
                    if (field.Length == 0)
                        throw new DataFormatException(name, line, c + 1, $"the label ('{columnNames[c]}') is empty. Every row needs a label: fill it in or remove the row.");
                    labelText.Add(field);
                    labelLine.Add(line);
                    continue;
                }
                x.Add(ParseNumber(field, name, line, c, columnNames[c], line == firstLine ? headerHint : ""));
            }
        }

        if (!hasHeader) AddRow(first, firstLine);
        if (hasSecond)
        {
            AddRow(second, secondLine);
            while (records.Next(out var fields, out int line)) AddRow(fields, line);
        }
        if (labelText.Count == 0)
            throw new DataFormatException(name, null, null, $"the file has a header (line {firstLine}) but no data rows below it.");

        var (labels, classNames) = MapLabels(labelText, labelLine, name, label, columnNames[label], options.ClassNames);
        var matrix = Matrix<double>.Build.Dense(features, labels.Length, x.ToArray());
        return new LabeledData(matrix, labels, classNames);
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
                    $"the label column is given by name ('{wanted}'), but line {line} is not a header of column names" +
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
                    $"there is no label column {index}: the rows have {columns} fields, so the index must be 0 to {columns - 1} (or −1 to −{columns} counting from the end).");
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
                if (!IsNumber(first[i]) && IsNumber(second[i])) return true;
            return false;
        }
        int label = options.LabelColumnIndex is int index ? (index < 0 ? first.Count + index : index) : first.Count - 1;
        return first.Where((f, i) => i != label && !IsNumber(f)).Any();
    }

    private static (int[] Labels, IReadOnlyList<string> Names) MapLabels(
        List<string> text, List<int> lines, string name, int column, string columnName, IReadOnlyList<string>? given)
    {
        var labels = new int[text.Count];
        if (given is not null)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < given.Count; k++) index.TryAdd(given[k], k);
            for (int j = 0; j < text.Count; j++)
            {
                if (index.TryGetValue(text[j], out int k)) labels[j] = k;
                else if (int.TryParse(text[j], NumberStyles.None, CultureInfo.InvariantCulture, out k) && k < given.Count) labels[j] = k;
                else
                    throw new DataFormatException(name, lines[j], column + 1,
                        $"the label '{Shorten(text[j])}' is not one of the given class names ({string.Join(", ", given.Take(20))}{(given.Count > 20 ? ", …" : "")}) nor a class index 0 to {given.Count - 1}.");
            }
            return (labels, given.ToArray());
        }

        bool allWhole = true;
        for (int j = 0; j < text.Count && allWhole; j++)
        {
            if (double.TryParse(text[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                && v >= 0 && v == Math.Floor(v) && v <= int.MaxValue)
            {
                if (v > MaxClassIndex)
                    throw new DataFormatException(name, lines[j], column + 1,
                        $"the label {Shorten(text[j])} is too large to be a class index (at most {MaxClassIndex}). " +
                        $"Is '{columnName}' really the label column? Set CsvOptions.LabelColumnName or LabelColumnIndex.");
                labels[j] = (int)v;
            }
            else allWhole = false;
        }
        if (allWhole)
        {
            int classes = labels.Max() + 1;
            return (labels, Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());
        }

        var names = text.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length > MaxClassIndex + 1)
            throw new DataFormatException(name, null, column + 1,
                $"the label column '{columnName}' has {names.Length} different values, too many to be classes. Is it really the label column?");
        var lookup = names.Select((n, k) => (n, k)).ToDictionary(p => p.n, p => p.k, StringComparer.Ordinal);
        for (int j = 0; j < text.Count; j++) labels[j] = lookup[text[j]];
        return (labels, names);
    }

    private static char DetectDelimiter(Func<TextReader> open, string name)
    {
        using var reader = open();
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Contains('\0'))
                throw BinaryFile(name, lineNumber);
            if (line.Trim().Length > 0) break;
            if (lineNumber > 1_000_000) break;
        }
        if (line is null) return ',';
        int tabs = 0, semicolons = 0;
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (!quoted && ch == '\t') tabs++;
            else if (!quoted && ch == ';') semicolons++;
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

        public bool Next(out List<string> fields, out int startLine)
        {
            while (true)
            {
                startLine = _line;
                fields = new List<string>();
                bool any = ReadRecord(fields);
                if (!any) return false;
                if (fields.Count == 1 && fields[0].Length == 0) continue;   // a blank line
                return true;
            }
        }

        // Reads one record into fields; false at the end of the text.
        private bool ReadRecord(List<string> fields)
        {
            int c = reader.Read();
            if (c == -1) return false;
            _field.Clear();
            bool inQuotes = false, afterQuote = false, wasQuoted = false;
            int quoteLine = 0;
            while (true)
            {
                if (c == 0) throw BinaryFile(name, _line);
                if (inQuotes)
                {
                    if (c == -1)
                        throw new DataFormatException(name, quoteLine, fields.Count + 1,
                            "a quote (\") opened here is never closed. Add the closing quote, or remove the opening one.");
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); _field.Append('"'); }
                        else { inQuotes = false; afterQuote = true; }
                    }
                    else
                    {
                        if (c == '\n') _line++;
                        _field.Append((char)c);
                    }
                }
                else if (c == delimiter || c is '\n' or '\r' or -1)
                {
                    fields.Add(wasQuoted ? _field.ToString() : _field.ToString().Trim());
                    _field.Clear();
                    afterQuote = wasQuoted = false;
                    if (c == delimiter) { c = reader.Read(); continue; }
                    if (c == '\r' && reader.Peek() == '\n') reader.Read();
                    if (c != -1) _line++;
                    return true;
                }
                else if (c == '"' && !wasQuoted && _field.ToString().Trim().Length == 0)
                {
                    inQuotes = wasQuoted = true;
                    quoteLine = _line;
                    _field.Clear();
                }
                else if (afterQuote)
                {
                    if (!char.IsWhiteSpace((char)c))
                        throw new DataFormatException(name, _line, fields.Count + 1,
                            $"there is text after the closing quote of this field. Put the whole field inside the quotes, and write a quote inside quotes as \"\".");
                }
                else _field.Append((char)c);
                c = reader.Read();
            }
        }
    }
}
