using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Where a classifier's answers go: entry [a, p] counts the samples of actual class a that were
/// predicted as class p. The diagonal holds the right answers; every other entry is one kind of mistake
/// ("a taken for p"), so the matrix shows not just how often a network is wrong but which classes it mixes up.
/// </summary>
/// <example>
/// <code>
/// var confusion = ConfusionMatrix.Of(net, test);          // or new ConfusionMatrix(labels, predictions, names)
/// Console.WriteLine(confusion);                          // a table, actual classes down, predictions across
/// foreach (var c in confusion.MostConfused(3)) Console.WriteLine(c);
/// </code>
/// </example>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;
    private readonly int[] _actual;
    private readonly int[] _predicted;

    /// <summary>Counts the pairs (actual[j], predicted[j]) over all samples j.</summary>
    /// <param name="actual">The true class of each sample, each in [0, number of classes).</param>
    /// <param name="predicted">The predicted class of each sample, in the same order.</param>
    /// <param name="classNames">The name of each class; when null, the classes are named "0", "1", … up to the largest label seen (at most 1,024 classes).</param>
    /// <exception cref="ArgumentException">when the lists differ in length, are empty, or hold a class with no name (without names: a label above 1,023, or only negative ones), or the names are too many for a table in memory.</exception>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
            throw new ArgumentException(
                Invariant($"There must be one prediction per sample: {actual.Count} actual classes but {predicted.Count} predictions."), nameof(predicted));
        if (actual.Count == 0)
            throw new ArgumentException("A confusion matrix of no samples says nothing: give at least one.", nameof(actual));
        classNames ??= NumberedClassNames(actual, predicted);
        if (classNames.Count == 0)
            throw new ArgumentException("Name at least one class.", nameof(classNames));
        int n = classNames.Count;
        CheckTableSize(n);
        _counts = new int[n, n];
        _actual = actual.ToArray();
        _predicted = predicted.ToArray();
        for (int j = 0; j < _actual.Length; j++)
        {
            Check(_actual[j], j, "actual", nameof(actual));
            Check(_predicted[j], j, "predicted", nameof(predicted));
            _counts[_actual[j], _predicted[j]]++;
        }
        ClassNames = classNames.ToArray();

        void Check(int c, int j, string what, string parameter)
        {
            if (c < 0 || c >= n)
                throw new ArgumentException(
                    Invariant($"The {what} class of sample {j} is {c}, but there are {n} classes, numbered 0 to {n - 1}."), parameter);
        }
    }

    /// <summary>
    /// Refuses, before allocating it, a table of <paramref name="n"/> × <paramref name="n"/> counts that would not fit one
    /// array or the memory budget (.NET's own error for it says only "Array dimensions exceeded supported range").
    /// </summary>
    private static void CheckTableSize(int n)
    {
        long counts = MemoryBudget.Multiply(n, n);
        long bytes = MemoryBudget.Multiply(counts, sizeof(int));
        if (counts <= MemoryBudget.MaxElements && bytes <= MemoryBudget.Bytes) return;
        throw new ArgumentException(
            Invariant($"There are {n:N0} class names, so the table would hold {n:N0} × {n:N0} = {counts:N0} counts ({MemoryBudget.Describe(bytes)}), ") +
            (counts > MemoryBudget.MaxElements ? Invariant($"more than one table can hold ({MemoryBudget.MaxElements:N0}). ") : $"more than the memory budget allows. {MemoryBudget.Advice} ") +
            "Give the names of the classes that occur (labels numbered 0, 1, … among them), or group the classes.", "classNames");
    }

    /// <summary>
    /// The most classes the constructor infers from the labels when no class names are given: 1,024 covers the usual
    /// labelled sets (MNIST's 10, CIFAR's 100, ImageNet's 1,000) and keeps the table, one count per pair of classes,
    /// at 1,024² counts (4 MiB); it grows with the square of the largest label. A larger label is likelier a slip
    /// (a pixel value, an id) than a class, and whoever really has more classes can name them.
    /// </summary>
    private const int MaxInferredClasses = 1024;

    /// <summary>
    /// "0", "1", … up to the largest label seen. Checked first, before anything is allocated: a label too large to be
    /// inferred as a class, in sample order, and labels that are all negative (no class to infer). A negative label
    /// beside others is left to the constructor's check, which names it with the inferred number of classes.
    /// </summary>
    private static string[] NumberedClassNames(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        int largest = -1;
        for (int j = 0; j < actual.Count; j++)
        {
            largest = Math.Max(largest, Inferable(actual[j], j, "actual", nameof(actual)));
            largest = Math.Max(largest, Inferable(predicted[j], j, "predicted", nameof(predicted)));
        }
        if (largest < 0)
            throw new ArgumentException(
                Invariant($"The actual class of sample 0 is {actual[0]}, but classes are numbered from 0, and every label here is negative. ") +
                "Map each label to its class's number (0, 1, 2, …) first, with or without class names.", nameof(actual));
        return Enumerable.Range(0, largest + 1).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();

        static int Inferable(int c, int j, string what, string parameter) => c < MaxInferredClasses ? c
            : throw new ArgumentException(
                Invariant($"The {what} class of sample {j} is {c}, but without class names the classes are inferred as 0 to the largest label, ") +
                Invariant($"at most {MaxInferredClasses} of them (0 to {MaxInferredClasses - 1}). If there really are that many classes, pass their names as classNames."),
                parameter);
    }

    /// <summary>The confusion matrix of <paramref name="network"/>'s predictions on <paramref name="data"/>, with its class names.</summary>
    public static ConfusionMatrix Of(Network network, LabeledData data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        return new ConfusionMatrix(data.Labels, network.PredictClasses(data.X), data.ClassNames);
    }

    /// <summary>The name of each class, by index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes: the matrix is ClassCount × ClassCount.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>The number of samples counted.</summary>
    public int Total => _actual.Length;

    /// <summary>The samples predicted right (the sum of the diagonal).</summary>
    public int Correct => Enumerable.Range(0, ClassCount).Sum(c => _counts[c, c]);

    /// <summary>The fraction predicted right: <see cref="Correct"/> / <see cref="Total"/>.</summary>
    public double Accuracy => (double)Correct / Total;

    /// <summary>How many samples really are of class <paramref name="c"/> (row c's sum).</summary>
    public int ActualCount(int c) => Enumerable.Range(0, ClassCount).Sum(p => _counts[CheckClass(c), p]);

    /// <summary>How many samples were predicted as class <paramref name="c"/> (column c's sum).</summary>
    public int PredictedCount(int c) => Enumerable.Range(0, ClassCount).Sum(a => _counts[a, CheckClass(c)]);

    /// <summary>
    /// Recall of class c: of the samples that are c, the fraction predicted as c (the class's own accuracy).
    /// NaN when no sample is of class c.
    /// </summary>
    public double Recall(int c) => ActualCount(c) is var n and > 0 ? (double)_counts[c, c] / n : double.NaN;

    /// <summary>
    /// Precision of class c: of the samples predicted as c, the fraction that really are c.
    /// NaN when nothing was predicted as c.
    /// </summary>
    public double Precision(int c) => PredictedCount(c) is var n and > 0 ? (double)_counts[c, c] / n : double.NaN;

    /// <summary>
    /// The commonest mistakes: off-diagonal entries with a count above zero, largest first (ties: by actual,
    /// then predicted class), at most <paramref name="count"/> of them. "Shirt taken for T-shirt/top" and
    /// "T-shirt/top taken for Shirt" are listed separately.
    /// </summary>
    public IReadOnlyList<Confusion> MostConfused(int count = 5)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), Invariant($"Ask for zero or more confusions, not {count}."));
        var all = new List<Confusion>();
        for (int a = 0; a < ClassCount; a++)
            for (int p = 0; p < ClassCount; p++)
                if (a != p && _counts[a, p] > 0)
                    all.Add(new Confusion(a, p, _counts[a, p], ClassNames[a], ClassNames[p], (double)_counts[a, p] / ActualCount(a)));
        return all.OrderByDescending(c => c.Count).ThenBy(c => c.Actual).ThenBy(c => c.Predicted).Take(count).ToArray();
    }

    /// <summary>The indices of the samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>, in sample order.</summary>
    public int[] Samples(int actual, int predicted)
    {
        CheckClass(actual);
        CheckClass(predicted);
        return Enumerable.Range(0, _actual.Length).Where(j => _actual[j] == actual && _predicted[j] == predicted).ToArray();
    }

    /// <summary>The counts as a (classes × classes) matrix: row = actual class, column = predicted class.</summary>
    public Matrix<double> ToMatrix() => Matrix<double>.Build.Dense(ClassCount, ClassCount, (a, p) => _counts[a, p]);

    /// <summary>
    /// A text table: one row per actual class, one column per predicted class, with each class's recall at
    /// the end of its row, and the accuracy below.
    /// </summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        int nameWidth = Math.Max(ClassNames.Max(s => s.Length), "actual \\ predicted".Length);
        int cell = Math.Max(Total.ToString(inv).Length, 3) + 1;
        var text = new StringBuilder("actual \\ predicted".PadRight(nameWidth));
        for (int p = 0; p < ClassCount; p++) text.Append(p.ToString(inv).PadLeft(cell));
        text.Append("   recall\n");
        for (int a = 0; a < ClassCount; a++)
        {
            text.Append($"{a} {ClassNames[a]}".PadRight(nameWidth));
            for (int p = 0; p < ClassCount; p++) text.Append(_counts[a, p].ToString(inv).PadLeft(cell));
            double recall = Recall(a);
            text.Append(double.IsNaN(recall) ? "        –" : (recall * 100).ToString("0.0", inv).PadLeft(8) + "%").Append('\n');
        }
        text.Append(inv, $"accuracy: {Correct} of {Total} right ({Accuracy * 100:0.0}%)");
        return text.ToString();
    }

    private int CheckClass(int c) => c >= 0 && c < ClassCount ? c
        : throw new ArgumentOutOfRangeException(nameof(c), Invariant($"Class {c} does not exist: the classes are 0 to {ClassCount - 1}."));
}

/// <summary>One kind of mistake: <paramref name="Count"/> samples of class <paramref name="Actual"/> predicted as <paramref name="Predicted"/>.</summary>
/// <param name="Actual">The true class.</param>
/// <param name="Predicted">The class the network chose instead.</param>
/// <param name="Count">How many samples made this mistake.</param>
/// <param name="ActualName">The true class's name.</param>
/// <param name="PredictedName">The chosen class's name.</param>
/// <param name="ShareOfActual">Count as a fraction of all samples of the true class.</param>
public sealed record Confusion(int Actual, int Predicted, int Count, string ActualName, string PredictedName, double ShareOfActual)
{
    /// <inheritdoc />
    public override string ToString() => Invariant(
        $"{ActualName} taken for {PredictedName}: {Count} time{(Count == 1 ? "" : "s")} ({ShareOfActual * 100:0.0}% of the {ActualName} samples)");
}
