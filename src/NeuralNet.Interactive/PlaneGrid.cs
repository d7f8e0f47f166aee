using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Interactive;

/// <summary>
/// A square grid over the input plane of a 2-input model, around its samples: <see cref="Resolution"/> points along
/// each axis, from a little below the samples' lowest coordinate to a little above their highest. The model runs on
/// <see cref="Points"/> in one pass, and <see cref="Surface(Matrix{double}, int)"/> lays a row of its answer back out
/// over the plane, as a heatmap's or a contour's z: the background of <see cref="Charts.DecisionBoundary(Network, Matrix{double}, Matrix{double}?, int, double, string?)"/>
/// and each panel of <see cref="NetworkCharts.HiddenUnits"/>.
/// </summary>
internal sealed class PlaneGrid
{
    /// <summary>Throws unless X holds points of the plane: (2 × m), one column per sample.</summary>
    public static void CheckSamples(Matrix<double> X)
    {
        if (X.RowCount != 2)
            throw new ShapeMismatchException($"X must be (2 × m), one column per sample; it is {Shape.Of(X)}.{(X.ColumnCount == 2 ? " Try X.Transpose()." : "")}");
    }

    /// <summary>
    /// The grid around the samples X (2 × m): each axis spans the samples' range widened on both sides by
    /// <paramref name="padding"/> times that range (by 1 when the range is 0).
    /// </summary>
    /// <param name="X">The samples, (2 × m).</param>
    /// <param name="resolution">Points along each axis.</param>
    /// <param name="padding">The margin on each side, as a fraction of the samples' range.</param>
    /// <param name="decimals">The grid's coordinates rounded to this many decimals (a smaller page), or null to keep them whole.</param>
    /// <param name="drawing">What needs the grid, for the error about a coordinate that is not finite ("a decision boundary").</param>
    public PlaneGrid(Matrix<double> X, int resolution, double padding, int? decimals, string drawing)
    {
        Resolution = resolution;
        (X0, X1) = Range(X.Row(0), 0, padding, drawing);
        (Y0, Y1) = Range(X.Row(1), 1, padding, drawing);
        Xs = Axis(X0, X1, resolution, decimals);
        Ys = Axis(Y0, Y1, resolution, decimals);
        var (xs, ys) = (Xs, Ys);
        Points = Matrix<double>.Build.Dense(2, resolution * resolution, (r, c) => r == 0 ? xs[c % resolution] : ys[c / resolution]);
    }

    /// <summary>Points along each axis.</summary>
    public int Resolution { get; }

    /// <summary>The span of the first coordinate, x₁.</summary>
    public double X0 { get; }
    public double X1 { get; }

    /// <summary>The span of the second coordinate, x₂.</summary>
    public double Y0 { get; }
    public double Y1 { get; }

    /// <summary>The grid's x₁ and x₂ coordinates, lowest first.</summary>
    public double[] Xs { get; }
    public double[] Ys { get; }

    /// <summary>Every grid point as a column of one (2 × resolution²) matrix: point k·resolution + i is (Xs[i], Ys[k]).</summary>
    public Matrix<double> Points { get; }

    /// <summary>Row <paramref name="row"/> of a model's answer on <see cref="Points"/>, over the plane (z[k][i] at (Xs[i], Ys[k])), to 4 decimals: a smaller page, the same picture.</summary>
    public double[][] Surface(Matrix<double> values, int row) => Surface(p => Math.Round(values[row, p], 4));

    /// <summary>A class per grid point, over the plane.</summary>
    public double[][] Surface(int[] classes) => Surface(p => classes[p]);

    private double[][] Surface(Func<int, double> at)
    {
        var z = new double[Resolution][];
        for (int k = 0; k < Resolution; k++)
        {
            z[k] = new double[Resolution];
            for (int i = 0; i < Resolution; i++)
                z[k][i] = at(k * Resolution + i);
        }
        return z;
    }

    private static (double Low, double High) Range(Vector<double> values, int row, double padding, string drawing)
    {
        // Every value is looked at, not only Minimum and Maximum, which pass over a NaN that is not the first: the chart
        // would be drawn around the other samples with that one missing.
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int j = 0; j < values.Count; j++)
        {
            double v = values[j];
            if (!double.IsFinite(v))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"X[{row}, {j}] (x{(row == 0 ? "₁" : "₂")} of sample {j}) is {v}: {drawing} needs finite coordinates. Find where it came from (a missing value, a division by zero) and fix or remove that sample."), "X");
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        double pad = hi - lo < 1e-9 ? 1 : (hi - lo) * padding;
        return (lo - pad, hi + pad);
    }

    private static double[] Axis(double low, double high, int resolution, int? decimals) =>
        Enumerable.Range(0, resolution).Select(i => low + (high - low) * i / (resolution - 1))
            .Select(v => decimals is { } d ? Math.Round(v, d) : v).ToArray();
}
