using System.Globalization;
using static System.FormattableString;

namespace NeuralNet.Data;

// Turning the label column into class indices and class names.
public static partial class Csv
{
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
}
