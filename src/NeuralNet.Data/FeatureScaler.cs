using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Standardizes features: subtracts each feature's mean and divides by its standard deviation, with
/// both measured on the <em>training</em> set only and then applied unchanged to the test set
/// (measuring them on the test set would leak information about it into training).
/// </summary>
/// <example>
/// <code>
/// var scaler = FeatureScaler.Fit(train);
/// train = scaler.Apply(train);
/// test = scaler.Apply(test);
/// </code>
/// </example>
public sealed class FeatureScaler
{
    private FeatureScaler(double[] mean, double[] std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>The mean of each feature over the data the scaler was fitted on.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>
    /// The (population) standard deviation of each feature; a feature that never changes gets 1,
    /// so it becomes 0 after scaling instead of a division by zero.
    /// </summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Measures each feature's mean and standard deviation over the samples of <paramref name="data"/>.</summary>
    public static FeatureScaler Fit(LabeledData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var x = data.X;
        var mean = new double[x.RowCount];
        var std = new double[x.RowCount];
        for (int i = 0; i < x.RowCount; i++)
        {
            var row = x.Row(i);
            double m = row.Sum() / row.Count;
            double variance = row.Select(v => (v - m) * (v - m)).Sum() / row.Count;
            double deviation = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
            if (!double.IsFinite(m) || !double.IsFinite(variance)) (m, deviation) = Scaled(row, i);
            mean[i] = m;
            std[i] = deviation;
        }
        return new FeatureScaler(mean, std);
    }

    /// <summary>
    /// Mean and variance of values so large that their sum or squares overflow a double (|x| near 1e154 and beyond, which
    /// a CSV file may hold): computed on the values divided by the largest |x|. Without it the deviation was ∞ and the
    /// feature became 0 for every sample, without a word.
    /// </summary>
    private static (double Mean, double Std) Scaled(Vector<double> row, int feature)
    {
        double s = row.AbsoluteMaximum();
        double m = row.Select(v => v / s).Sum() / row.Count;
        double relative = Math.Sqrt(row.Select(v => (v / s - m) * (v / s - m)).Sum() / row.Count);
        double deviation = s * relative;
        if (!double.IsFinite(deviation))
            throw new ArgumentException(Invariant($"The values of feature {feature + 1} spread wider than a double can hold (the largest |x| is {s:G4}); rescale that feature first."), nameof(row));
        return (s * m, relative > 1e-12 ? deviation : 1.0);
    }

    /// <summary>A scaler with the given means and standard deviations (as a model file stores them).</summary>
    /// <exception cref="ArgumentException">when the lists differ in length, a mean is not finite or a deviation is not positive and finite.</exception>
    public static FeatureScaler From(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != std.Count)
            throw new ArgumentException(Invariant($"There are {mean.Count} means but {std.Count} standard deviations; one of each per feature."), nameof(std));
        for (int i = 0; i < mean.Count; i++)
        {
            if (!double.IsFinite(mean[i]))
                throw new ArgumentException(Invariant($"The mean of feature {i + 1} is {mean[i]}, not a finite number."), nameof(mean));
            if (!(std[i] > 0) || !double.IsFinite(std[i]))
                throw new ArgumentException(Invariant($"The standard deviation of feature {i + 1} is {std[i]}; it must be a positive finite number."), nameof(std));
        }
        return new FeatureScaler(mean.ToArray(), std.ToArray());
    }

    /// <summary>Standardizes the columns of <paramref name="x"/> (features × samples): (x − mean) / std.</summary>
    public Matrix<double> Apply(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.RowCount != Mean.Count)
            throw new ArgumentException(Invariant($"This scaler was fitted on {Mean.Count} features, but the data has {x.RowCount}."), nameof(x));
        return Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => (x[i, j] - Mean[i]) / Std[i]);
    }

    /// <summary>True when <paramref name="other"/> has the same means and deviations, bit for bit.</summary>
    public bool SameAs(FeatureScaler? other) =>
        other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc />
    public override string ToString() => Invariant($"FeatureScaler: {Mean.Count} features, (x − mean) / std");

    /// <summary>A copy of <paramref name="data"/> with every feature standardized: (x − mean) / std.</summary>
    public LabeledData Apply(LabeledData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != Mean.Count)
            throw new ArgumentException(Invariant($"This scaler was fitted on {Mean.Count} features, but the data has {data.Features}."), nameof(data));
        var x = Matrix<double>.Build.Dense(data.Features, data.Count, (i, j) => (data.X[i, j] - Mean[i]) / Std[i]);
        return data.WithX(x);
    }
}
