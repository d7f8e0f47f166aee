using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Whole-number labels read as class indices 0 … largest (CSV label columns, IDX label files): the two slips that make
/// classes with no sample, found the same way for every format. Labels that look 1-based (when every other class
/// occurs at least 3 times, a missing class 0 is no accident of a small file), and one wrong, huge label (many more
/// empty classes than labels that occur) would train a network with outputs for classes that do not exist.
/// </summary>
internal static class ClassIndices
{
    /// <summary>
    /// The slip in labels whose class k has <paramref name="counts"/>[k] samples (classes = counts.Length), or null.
    /// <paramref name="distinct"/> is how many different labels occur (a CSV may write one class as "1" and "01").
    /// </summary>
    public static Slip? Find(int[] counts, int distinct)
    {
        int classes = counts.Length;
        var missing = Enumerable.Range(0, classes).Where(k => counts[k] == 0).ToArray();
        if (missing.Length == 0) return null;
        if (missing is [0] && classes >= 3 && counts.Skip(1).All(c => c >= 3)) return new Slip(true, classes, distinct, missing);
        if (missing.Length > Math.Max(100, 10 * distinct)) return new Slip(false, classes, distinct, missing);
        return null;
    }

    /// <summary>A slip: 1-based labels, or (<see cref="OneBased"/> false) one huge label that makes <see cref="Classes"/> classes.</summary>
    public sealed record Slip(bool OneBased, int Classes, int Distinct, int[] Missing)
    {
        /// <summary>
        /// The sentence for the user. <paramref name="labels"/> names them ("the labels in 'label'"), <paramref name="largest"/>
        /// the largest one and where it is, <paramref name="classNames"/> how to give class names, and <paramref name="notLabels"/>
        /// the other likely cause of a huge label ("'label' is not the label column").
        /// </summary>
        public string Message(string labels, string largest, string classNames, string notLabels)
        {
            if (OneBased)
                return Invariant($"{labels} run from 1 to {Classes - 1} and none is 0: they look 1-based. Class indices start at 0, so class 0 would be empty. ") +
                    $"Subtract 1 from every label, or give the class names ({classNames}).";
            string list = string.Join(", ", Missing.Take(10)) + (Missing.Length > 10 ? Invariant($", … ({Missing.Length:N0} in all)") : "");
            return Invariant($"{largest} would make {Classes:N0} classes (0 to {Classes - 1}), but only {Distinct} different labels occur; ") +
                Invariant($"{Missing.Length:N0} classes would have no sample (e.g. {list}). One label is probably wrong, or {notLabels}.");
        }
    }
}
