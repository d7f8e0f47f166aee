using System.Globalization;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

// Reading the fields into a table of numbers: the header, the label column, each number, the memory budget.
public static partial class Csv
{
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
}
