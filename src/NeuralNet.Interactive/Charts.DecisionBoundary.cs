using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

public static partial class Charts
{
    // ---------------------------------------------------------------- decision boundary

    /// <summary>
    /// What a 2-input classifier decides everywhere in the plane: the predicted probability of class 1
    /// over a grid (resolution × resolution points around the data), the 0.5 contour (the decision
    /// boundary), and the samples coloured by their class. With several output units (softmax) the
    /// background is the predicted class instead.
    /// </summary>
    /// <param name="network">A network with 2 inputs.</param>
    /// <param name="X">The samples, (2 × m).</param>
    /// <param name="Y">Their labels: (1 × m) of 0/1, or one-hot (classes × m). Null to draw the points uncoloured.</param>
    /// <param name="resolution">Grid points along each axis.</param>
    /// <param name="padding">Margin around the data, as a fraction of its range.</param>
    /// <param name="title">The chart's title; by default it gives the accuracy.</param>
    public static GenericChart DecisionBoundary(Network network, Matrix<double> X, Matrix<double>? Y = null,
        int resolution = 100, double padding = 0.1, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.LayerSizes[0] != 2)
            throw new ArgumentException(
                $"A decision boundary is drawn in the plane, so the network needs 2 inputs; it has {network.LayerSizes[0]}.", nameof(network));
        return DecisionBoundary(network.PredictProbabilities, X, Y, resolution, padding, title);
    }

    /// <summary>
    /// The decision boundary of any model of the plane, given as the function from points (2 × n, one per column) to its
    /// probabilities (one row per class, one column per point): a network of your own, for one.
    /// </summary>
    internal static GenericChart DecisionBoundary(Func<Matrix<double>, Matrix<double>> probabilities, Matrix<double> X, Matrix<double>? Y = null,
        int resolution = 100, double padding = 0.1, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(X);
        PlaneGrid.CheckSamples(X);
        if (resolution is < 2 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(resolution), $"Use between 2 and 1000 grid points per axis, not {resolution}.");

        var grid = new PlaneGrid(X, resolution, padding, decimals: null, "a decision boundary");
        var (gx, gy) = (grid.Xs, grid.Ys);
        var al = probabilities(grid.Points);
        int units = al.RowCount;
        bool binary = units == 1;
        var z = binary ? grid.Surface(al, 0) : grid.Surface(Metrics.Classes(al));

        var traces = new List<PlotlyTrace>();
        if (binary)
        {
            traces.Add(new ContourTrace
            {
                X = gx, Y = gy, Z = z, Name = "P(class 1)",
                ColorScale = Figure.Probability, ZMin = 0.0, ZMax = 1.0, Opacity = 0.75,
                Contours = new Contours { Start = 0.0, End = 1.0, Size = 0.1 },
                Line = new Line { Width = 0.5 },
                ColorBar = new ColorBar { Title = new Title("P(y = 1)") },
                HoverTemplate = "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<br>P(y = 1) = %{z:.3f}<extra></extra>",
            });
            // Lines only (coloring "none"): no colour scale, so no colour bar.
            traces.Add(new ContourTrace
            {
                X = gx, Y = gy, Z = z, Name = "boundary P = 0.5", HoverInfo = "skip",
                Contours = new Contours { Start = 0.5, End = 0.5, Size = 1.0, Coloring = "none" },
                Line = new Line { Width = 3, Color = "black" },
            });
        }
        else
        {
            // A band of the class's colour per class c: c ± 0.5 on the scale from −0.5 to units − 0.5.
            var scale = new ColorScale(Enumerable.Range(0, units).SelectMany(c => new[]
            {
                ((double)c / units, Figure.Palette[c % Figure.Palette.Length]),
                ((double)(c + 1) / units, Figure.Palette[c % Figure.Palette.Length]),
            }).ToArray());
            traces.Add(new HeatmapTrace
            {
                X = gx, Y = gy, Z = z, Name = "predicted class",
                ColorScale = scale, ZMin = -0.5, ZMax = units - 0.5, Opacity = 0.35, ShowScale = false,
                HoverTemplate = "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<br>predicted class %{z}<extra></extra>",
            });
        }

        if (Y is null)
        {
            traces.Add(Points(X, Enumerable.Range(0, X.ColumnCount), "samples", "#333333"));
        }
        else
        {
            if (Y.ColumnCount != X.ColumnCount)
                throw new ShapeMismatchException($"Y {Shape.Of(Y)} must have one column per sample of X {Shape.Of(X)}.");
            var labels = Metrics.Classes(Y);   // a 0/1 row by the 0.5 threshold, one-hot columns by their 1
            string[] binaryColors = ["#2166ac", "#b2182b"];
            foreach (int c in labels.Distinct().Order())
            {
                var columns = Enumerable.Range(0, labels.Length).Where(j => labels[j] == c);
                string color = Y.RowCount == 1 ? binaryColors[c] : Figure.Palette[c % Figure.Palette.Length];
                traces.Add(Points(X, columns, $"class {c}", color));
            }
        }

        string heading = title ?? (Y is not null && Y.RowCount == units
            ? $"Decision boundary — training accuracy {HtmlText.Percent(Metrics.Accuracy(probabilities(X), Y))}"
            : "Decision boundary");
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(heading),
            XAxes = [new Axis { Title = new Title("x₁"), Range = [grid.X0, grid.X1], Constrain = "domain" }],
            YAxes = [new Axis { Title = new Title("x₂"), Range = [grid.Y0, grid.Y1], ScaleAnchor = "x", Constrain = "domain" }],
            Legend = new Legend { Orientation = "h", Y = -0.15 },
            Width = 650, Height = 600,
        });
    }

    private static ScatterTrace Points(Matrix<double> X, IEnumerable<int> columns, string name, string color)
    {
        var js = columns.ToArray();
        return new ScatterTrace
        {
            X = js.Select(j => X[0, j]).ToArray(), Y = js.Select(j => X[1, j]).ToArray(), Mode = "markers", Name = name,
            Marker = new Marker { Color = color, Size = 7, Line = new Line { Color = "white", Width = 1 } },
            HoverTemplate = $"{name}<br>x₁ = %{{x:.3f}}<br>x₂ = %{{y:.3f}}<extra></extra>",
        };
    }
}
