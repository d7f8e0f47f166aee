using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// A labelled data set in the column convention used throughout NeuralNet: <see cref="X"/> is
/// (features × samples), one sample per <em>column</em>, and <see cref="Labels"/>[j] is the class
/// index (0, 1, …) of column j. <see cref="ClassNames"/>[k] is the name of class k.
/// </summary>
/// <remarks>
/// The object does not copy what it is given: treat <see cref="X"/> and <see cref="Labels"/> as
/// read-only, and use <see cref="Select"/> and the other methods, which all
/// return new data sets.
/// </remarks>
public sealed class LabeledData
{
    /// <summary>Wraps a (features × samples) matrix and one class index per column.</summary>
    /// <param name="x">The data, one sample per column.</param>
    /// <param name="labels">One class index per column of <paramref name="x"/>, each in [0, number of classes).</param>
    /// <param name="classNames">The name of each class; when null, the classes are named "0", "1", … up to the largest label.</param>
    /// <exception cref="ArgumentException">when the sizes disagree, a label has no class, or two classes have the same name.</exception>
    public LabeledData(Matrix<double> x, int[] labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != x.ColumnCount)
            throw new ArgumentException(
                Invariant($"There must be one label per sample (column of X): X has {x.ColumnCount} columns but there are {labels.Length} labels."),
                nameof(labels));
        if (classNames is null)
        {
            int classes = labels.Length == 0 ? 0 : labels.Max() + 1;
            classNames = Enumerable.Range(0, Math.Max(classes, 0)).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            classNames = classNames.ToArray();
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < classNames.Count; k++)
                if (!first.TryAdd(classNames[k] ?? throw new ArgumentException(Invariant($"Class {k}'s name is null."), nameof(classNames)), k))
                    throw new ArgumentException(
                        Invariant($"Classes {first[classNames[k]]} and {k} are both named '{classNames[k]}': each class needs its own name, or their samples could not be told apart by name."),
                        nameof(classNames));
        }
        for (int j = 0; j < labels.Length; j++)
            if (labels[j] < 0 || labels[j] >= classNames.Count)
                throw new ArgumentException(
                    Invariant($"Label {labels[j]} of sample {j} is not a class index: there are {classNames.Count} classes, numbered 0 to {classNames.Count - 1}."),
                    nameof(labels));
        Checks.Finite(x, "X");
        X = x;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>The data, (features × samples): column j is sample j.</summary>
    public Matrix<double> X { get; }

    /// <summary>The class index of each sample (column of <see cref="X"/>).</summary>
    public int[] Labels { get; }

    /// <summary>The name of each class: <c>ClassNames[Labels[j]]</c> names sample j's class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of samples (columns of <see cref="X"/>).</summary>
    public int Count => X.ColumnCount;

    /// <summary>The number of features (rows of <see cref="X"/>).</summary>
    public int Features => X.RowCount;

    /// <summary>The number of classes (<see cref="ClassNames"/>.Count).</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>How many samples each class has: element k counts class k.</summary>
    internal int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>
    /// The labels as a (classes × samples) matrix of 0s and 1s: column j has a single 1, in row
    /// <c>Labels[j]</c>. This is the target for a softmax output layer.
    /// </summary>
    public Matrix<double> OneHot()
    {
        var y = Matrix<double>.Build.Dense(ClassCount, Count);
        for (int j = 0; j < Count; j++) y[Labels[j], j] = 1.0;
        return y;
    }

    /// <summary>
    /// The labels as a (1 × samples) row of 0s and 1s: 1 where the sample is of
    /// <paramref name="positiveClass"/>, 0 otherwise. This is the target <c>Y</c> for a single
    /// sigmoid output (binary classification). For two-class data, <c>BinaryRow(1)</c> is the usual choice.
    /// </summary>
    public Matrix<double> BinaryRow(int positiveClass = 1)
    {
        CheckClass(positiveClass, nameof(positiveClass));
        var y = Matrix<double>.Build.Dense(1, Count);
        for (int j = 0; j < Count; j++) y[0, j] = Labels[j] == positiveClass ? 1.0 : 0.0;
        return y;
    }

    /// <summary>
    /// The samples at the given column indices, in that order (an index may repeat).
    /// Class names are kept, so the class indices mean the same in the result.
    /// </summary>
    public LabeledData Select(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException("Select needs at least one column: a data set cannot be empty.", nameof(columns));
        int rows = Features;
        double[] source = X.AsColumnMajorArray() ?? X.ToColumnMajorArray();
        var target = new double[checked(rows * columns.Count)];
        var labels = new int[columns.Count];
        for (int k = 0; k < columns.Count; k++)
        {
            int j = columns[k];
            if (j < 0 || j >= Count)
                throw new ArgumentOutOfRangeException(nameof(columns), Invariant($"Column {j} (at position {k}) is outside the data set, which has columns 0 to {Count - 1}."));
            Array.Copy(source, (long)j * rows, target, (long)k * rows, rows);
            labels[k] = Labels[j];
        }
        return new LabeledData(Matrix<double>.Build.Dense(rows, columns.Count, target), labels, ClassNames);
    }

    /// <summary>
    /// Only the samples of the given classes, relabelled 0, 1, … in the order the classes are given
    /// (so <c>OnlyClasses(0, 6)</c> on Fashion-MNIST gives T-shirt/top = 0 and Shirt = 1, ready for
    /// <c>BinaryRow(1)</c>). Samples keep their order.
    /// </summary>
    public LabeledData OnlyClasses(params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0)
            throw new ArgumentException("Name at least one class to keep.", nameof(classes));
        var newIndex = new Dictionary<int, int>();
        foreach (int c in classes)
        {
            CheckClass(c, nameof(classes));
            if (!newIndex.TryAdd(c, newIndex.Count))
                throw new ArgumentException(Invariant($"Class {c} is named twice."), nameof(classes));
        }
        var keep = Enumerable.Range(0, Count).Where(j => newIndex.ContainsKey(Labels[j])).ToArray();
        if (keep.Length == 0)
            throw new ArgumentException($"No sample belongs to class(es) {string.Join(", ", classes)}.", nameof(classes));
        var picked = Select(keep);
        var labels = picked.Labels.Select(l => newIndex[l]).ToArray();
        return new LabeledData(picked.X, labels, classes.Select(c => ClassNames[c]).ToArray());
    }

    /// <summary>
    /// Splits the samples into a training and a test set the way the original Python project did:
    /// the column indices 0 … m−1 are shuffled (<c>np.random.shuffle</c>), the first
    /// <c>int(m · (1 − testFraction))</c> shuffled columns become the training set and the rest the test set.
    /// </summary>
    /// <param name="testFraction">The share of samples for the test set, strictly between 0 and 1 (for example 0.2).</param>
    /// <param name="seed">
    /// Seeds a fresh <see cref="NumPyRandom"/> (as <c>random_state</c> did), so the same seed gives the same split.
    /// Null gives a different split on each call.
    /// </param>
    public (LabeledData Train, LabeledData Test) TrainTestSplit(double testFraction, uint? seed = null) =>
        TrainTestSplit(testFraction, new NumPyRandom(seed ?? (uint)System.Random.Shared.NextInt64(0, 1L << 32)));

    /// <summary>
    /// As <see cref="TrainTestSplit(double, uint?)"/>, but drawing from a generator you already have, so the
    /// split continues its stream (as the original did when called without <c>random_state</c>).
    /// </summary>
    internal (LabeledData Train, LabeledData Test) TrainTestSplit(double testFraction, NumPyRandom random)
    {
        var (train, test) = DataSplit.SplitIndices(Count, testFraction, random);
        return (Select(train), Select(test));
    }

    /// <summary>The same samples with their features replaced (same number of columns), for example after your own preprocessing.</summary>
    internal LabeledData WithX(Matrix<double> x) => new(x, Labels, ClassNames);

    /// <summary>
    /// Describes the data set, for example
    /// <c>LabeledData: 2000 samples × 784 features, 10 classes (T-shirt/top: 200, Trouser: 200, …)</c>.
    /// </summary>
    public override string ToString()
    {
        var counts = ClassCounts();
        var text = new StringBuilder();
        text.Append(Invariant($"LabeledData: {Count} samples × {Features} features, {ClassCount} classes ("));
        for (int k = 0; k < ClassCount; k++)
        {
            if (k > 0) text.Append(", ");
            if (k == 12 && ClassCount > 13)
            {
                text.Append(Invariant($"… {ClassCount - 12} more"));
                break;
            }
            text.Append(Invariant($"{ClassNames[k]}: {counts[k]}"));
        }
        return text.Append(')').ToString();
    }

    private void CheckClass(int c, string parameter)
    {
        if (c < 0 || c >= ClassCount)
            throw new ArgumentOutOfRangeException(parameter, Invariant($"Class {c} does not exist: the classes are 0 to {ClassCount - 1} ({string.Join(", ", ClassNames.Take(12))}{(ClassCount > 12 ? ", …" : "")})."));
    }
}
