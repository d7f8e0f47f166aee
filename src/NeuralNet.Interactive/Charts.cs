using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// Plotly charts of training and of what a network has learned. Each returns a Plotly.NET
/// <see cref="GenericChart"/>: the last expression of a notebook cell displays it, and
/// <see cref="ToHtmlFile"/> saves it as a standalone page.
/// </summary>
public static class Charts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // ---------------------------------------------------------------- training curves

    /// <summary>
    /// The cost J of one or several runs overlaid (their labels in the legend), validation dashed with
    /// markers. The x axis says what one unit is: an iteration (one full-batch step) or an epoch of N steps.
    /// </summary>
    public static GenericChart Cost(params TrainingHistory[] histories) => Curves(histories, Metric.Cost);

    /// <summary>The cost of several runs overlaid.</summary>
    public static GenericChart Cost(IEnumerable<TrainingHistory> histories) => Cost(histories.ToArray());

    /// <summary>
    /// The accuracy of one or several runs overlaid, validation dashed. The y axis is zoomed to the
    /// values drawn (from a round tenth below the lowest to 1), so small differences stay visible.
    /// </summary>
    public static GenericChart Accuracy(params TrainingHistory[] histories) => Curves(histories, Metric.Accuracy);

    /// <summary>The accuracy of several runs overlaid.</summary>
    public static GenericChart Accuracy(IEnumerable<TrainingHistory> histories) => Accuracy(histories.ToArray());

    /// <summary>
    /// Cost and accuracy of one or several runs in two stacked panels that share the x axis: the cost on
    /// top, the accuracy below (its axis zoomed to the values drawn). A colour per run (one run: training
    /// blue, validation orange); validation dashed with markers.
    /// </summary>
    public static GenericChart CostAndAccuracy(params TrainingHistory[] histories) => Stacked(histories, null, null);

    /// <summary>What a live chart shows at a report: the run so far (and earlier runs), over the whole epoch range.</summary>
    internal static GenericChart LiveCurves(TrainingProgress p, TrainingHistory[] compareWith)
    {
        string unit = p.History.StepsPerEpoch == 1 ? "iteration" : "epoch";
        string title = string.Create(Invariant, $"Training — {unit} {p.Epoch:N0} / {p.Epochs:N0}") + $" · cost {HtmlText.Number(p.Cost)} · accuracy {HtmlText.Percent(p.Accuracy)}"
            + (p.ValidationAccuracy is { } va ? $" · validation accuracy {HtmlText.Percent(va)}" : "");
        int epochs = compareWith.Select(h => h.Epochs).Append(p.Epochs).Max();
        // The live run first, the runs it is compared with dotted over it: a run that equals the live one still shows.
        return Stacked([p.History, .. compareWith], title, epochs, dotted: compareWith.Length);
    }

    /// <summary>
    /// One run's cost and accuracy, stacked on a shared x axis and titled with its learning rate. (The
    /// original's <c>plot_history</c> drew loss, accuracy and both together side by side; two panels over
    /// one x axis show the same, and show which accuracy belongs to which cost.)
    /// </summary>
    public static GenericChart Training(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        string label = history.Label != $"α = {history.LearningRate}" ? $" ({history.Label})" : "";
        return Stacked([history], $"Loss and accuracy — learning rate α = {history.LearningRate.ToString(Invariant)}{label}", null);
    }

    /// <summary>
    /// Small multiples: one panel per run, each with its training accuracy (solid) and validation accuracy
    /// (dashed, markers), all panels on the same zoomed y axis — so the gap between training and validation
    /// can be compared run by run instead of being lost among overlaid lines.
    /// </summary>
    public static GenericChart AccuracyPanels(params TrainingHistory[] histories)
    {
        Check(histories);
        int n = histories.Length, columns = n == 1 ? 1 : 2, rows = (n + columns - 1) / columns;
        var range = AccuracyRange(histories);
        var traces = new List<PlotlyTrace>();
        var xAxes = new List<Axis>();
        var yAxes = new List<Axis>();
        var annotations = new List<Annotation>();
        const double hGap = 0.08, vGap = 0.12;
        double w = (1 - hGap * (columns - 1)) / columns, h = (1 - vGap * (rows - 1)) / rows;
        for (int i = 0; i < n; i++)
        {
            int r = i / columns, c = i % columns;
            string xa = Figure.AxisId("x", i), ya = Figure.AxisId("y", i);
            var run = histories[i];
            traces.Add(new ScatterTrace
            {
                X = Enumerable.Range(1, run.Epochs).ToArray(), Y = Figure.Finite(run.Accuracies), Mode = "lines",
                Name = "training", LegendGroup = "training", ShowLegend = i == 0,
                Line = new Line { Color = Figure.Palette[0], Width = 2 }, XAxis = xa, YAxis = ya,
            });
            if (run.ValidationEpochs.Count > 0)
                traces.Add(new ScatterTrace
                {
                    X = run.ValidationEpochs.ToArray(), Y = Figure.Finite(run.ValidationAccuracies), Mode = "lines+markers",
                    Name = "validation", LegendGroup = "validation", ShowLegend = i == 0,
                    Line = new Line { Color = Figure.Palette[1], Width = 2, Dash = "dash" }, Marker = new Marker { Size = 5 },
                    XAxis = xa, YAxis = ya,
                });
            double x0 = c * (w + hGap), y1 = 1 - r * (h + vGap), y0 = y1 - h;
            xAxes.Add(new Axis
            {
                Title = r == rows - 1 || i + columns >= n ? new Title(XTitle([run])) : null,
                Domain = new Domain(x0, x0 + w), Anchor = ya, Range = [1.0, Math.Max(2, run.Epochs)],
            });
            yAxes.Add(new Axis { Title = c == 0 ? new Title("accuracy") : null, Domain = new Domain(y0, y1), Anchor = xa, Range = range });
            annotations.Add(new Annotation
            {
                Text = $"<b>{HtmlText.Escape(run.Label)}</b>", X = x0 + w / 2, Y = y1, XRef = "paper", YRef = "paper",
                XAnchor = "center", YAnchor = "bottom", ShowArrow = false,
            });
        }
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title($"Training and validation accuracy, run by run — {Rates(histories)}"),
            XAxes = xAxes, YAxes = yAxes, Annotations = annotations,
            Legend = new Legend { Orientation = "h", X = 0.5, XAnchor = "center", Y = -0.12 / rows },
            Margin = new Margin { T = 90 },
            Width = columns == 1 ? 700 : 950, Height = 130 + rows * 300,
        });
    }

    /// <summary>The small multiples of several runs.</summary>
    public static GenericChart AccuracyPanels(IEnumerable<TrainingHistory> histories) => AccuracyPanels(histories.ToArray());

    /// <summary>Cost over accuracy on one x axis; the last <paramref name="dotted"/> runs (the ones a live run is compared with) drawn dotted.</summary>
    private static GenericChart Stacked(TrainingHistory[] histories, string? title, int? epochs, int dotted = 0)
    {
        Check(histories);
        var traces = new List<PlotlyTrace>();
        for (int i = 0; i < histories.Length; i++)
        {
            string? dash = i >= histories.Length - dotted ? "dot" : null;
            traces.AddRange(TracesOf(histories[i], Metric.Cost, i, histories.Length, "x", "y", legend: true, dash));
            traces.AddRange(TracesOf(histories[i], Metric.Accuracy, i, histories.Length, "x", "y2", legend: false, dash));
        }
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(title ?? $"Cost and accuracy — {Rates(histories)}"),
            XAxes = [new Axis { Title = new Title(XTitle(histories)), Anchor = "y2", Range = epochs is { } n ? [1.0, Math.Max(2, n)] : null }],
            YAxes =
            [
                new Axis { Title = new Title("cost J"), Domain = new Domain(0.53, 1.0), Anchor = "x" },
                new Axis { Title = new Title("accuracy"), Domain = new Domain(0.0, 0.45), Anchor = "x", Range = AccuracyRange(histories) },
            ],
            Legend = new Legend { Orientation = "h", X = 0.5, XAnchor = "center", Y = -0.15 },
            Width = 800, Height = 600,
        });
    }

    private enum Metric { Cost, Accuracy }

    private static GenericChart Curves(TrainingHistory[] histories, Metric metric)
    {
        Check(histories);
        var traces = histories.SelectMany((h, i) => TracesOf(h, metric, i, histories.Length, "x", "y", legend: true)).ToList();
        string what = metric == Metric.Cost ? "Cost" : "Accuracy";
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title($"{what} — {Rates(histories)}"),
            XAxes = [new Axis { Title = new Title(XTitle(histories)) }],
            YAxes = [new Axis { Title = new Title(metric == Metric.Cost ? "cost J" : "accuracy"), Range = metric == Metric.Accuracy ? AccuracyRange(histories) : null }],
            Width = 800, Height = 450,
        });
    }

    /// <summary>
    /// What one unit of the x axis is. Full batch: an iteration is one gradient step on all samples (and one
    /// epoch). Mini-batches: an epoch is one pass over the data, made of several steps — the axis says how many.
    /// </summary>
    internal static string XTitle(IReadOnlyCollection<TrainingHistory> histories)
    {
        var steps = histories.Select(h => h.StepsPerEpoch).Distinct().Order().ToArray();
        if (steps is [1]) return "iteration (one gradient step on all the training samples)";
        if (steps is [var s]) return string.Create(Invariant, $"epoch (one pass over the training samples: {s:N0} mini-batch steps)");
        return "epoch (one pass over the training samples: " + string.Join(" or ", steps.Select(s => s.ToString("N0", Invariant))) + " steps, by run)";
    }

    /// <summary>An accuracy axis zoomed to the values drawn: from a round tenth below the lowest to just above 1.</summary>
    internal static double[] AccuracyRange(IEnumerable<TrainingHistory> histories)
    {
        double low = histories.SelectMany(h => h.Accuracies.Concat(h.ValidationAccuracies)).Where(double.IsFinite).DefaultIfEmpty(0).Min();
        return [Math.Max(0, Math.Floor(low * 10 - 1e-9) / 10), 1.01];
    }

    /// <summary>
    /// A run's training curve and, when it has one, its validation curve with markers (dashed). One run:
    /// training blue, validation orange. Several: a colour per run, validation dashed in the same colour.
    /// </summary>
    private static IEnumerable<PlotlyTrace> TracesOf(TrainingHistory h, Metric metric, int index, int runs, string xAxis, string yAxis, bool legend, string? dash = null)
    {
        string color = Figure.Palette[index % Figure.Palette.Length];
        string validationColor = runs == 1 ? Figure.Palette[1] : color;
        string name = runs == 1 ? "training" : h.Label;
        string what = metric == Metric.Cost ? "cost" : "accuracy";
        string unit = h.StepsPerEpoch == 1 ? "iteration" : "epoch";
        var y = metric == Metric.Cost ? h.Costs : h.Accuracies;
        yield return new ScatterTrace
        {
            X = Enumerable.Range(1, h.Epochs).ToArray(), Y = Figure.Finite(y), Mode = "lines",
            Name = name, LegendGroup = name, ShowLegend = legend,
            HoverTemplate = $"{HtmlText.Escape(name)}<br>{unit} %{{x}}: {what} %{{y:.4f}}<extra></extra>",
            Line = new Line { Color = color, Width = dash is null ? 2 : 3, Dash = dash },
            XAxis = xAxis, YAxis = yAxis,
        };
        if (h.ValidationEpochs.Count == 0) yield break;
        var vy = metric == Metric.Cost ? h.ValidationCosts : h.ValidationAccuracies;
        string vname = runs == 1 ? "validation" : h.Label + " validation";
        yield return new ScatterTrace
        {
            X = h.ValidationEpochs.ToArray(), Y = Figure.Finite(vy), Mode = "lines+markers",
            Name = vname, LegendGroup = vname, ShowLegend = legend,
            HoverTemplate = $"{HtmlText.Escape(vname)}<br>{unit} %{{x}}: {what} %{{y:.4f}}<extra></extra>",
            Line = new Line { Color = validationColor, Width = 2, Dash = "dash" },
            Marker = new Marker { Size = 5 },
            XAxis = xAxis, YAxis = yAxis,
        };
    }

    private static string Rates(TrainingHistory[] histories)
    {
        var rates = histories.Select(h => h.LearningRate).Distinct().Select(r => r.ToString(Invariant)).ToArray();
        return (rates.Length == 1 ? "learning rate α = " : "learning rates α = ") + string.Join(", ", rates);
    }

    private static void Check(TrainingHistory[] histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        if (histories.Length == 0) throw new ArgumentException("Give at least one training history to plot.", nameof(histories));
        if (histories.Any(h => h is null)) throw new ArgumentException("One of the training histories is null.", nameof(histories));
    }

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
        if (X.RowCount != 2)
            throw new ShapeMismatchException($"X must be (2 × m), one column per sample; it is {Shape.Of(X)}.{(X.ColumnCount == 2 ? " Try X.Transpose()." : "")}");
        if (resolution is < 2 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(resolution), $"Use between 2 and 1000 grid points per axis, not {resolution}.");

        var (x0, x1) = Range(X.Row(0), padding);
        var (y0, y1) = Range(X.Row(1), padding);
        var gx = Enumerable.Range(0, resolution).Select(i => x0 + (x1 - x0) * i / (resolution - 1)).ToArray();
        var gy = Enumerable.Range(0, resolution).Select(i => y0 + (y1 - y0) * i / (resolution - 1)).ToArray();
        var grid = Matrix<double>.Build.Dense(2, resolution * resolution, (r, c) => r == 0 ? gx[c % resolution] : gy[c / resolution]);
        var al = probabilities(grid);
        int units = al.RowCount;
        bool binary = units == 1;
        var classes = binary ? null : Metrics.Classes(al);
        var z = new double[resolution][];
        for (int k = 0; k < resolution; k++)
        {
            z[k] = new double[resolution];
            for (int i = 0; i < resolution; i++)
                z[k][i] = binary ? Math.Round(al[0, k * resolution + i], 4) : classes![k * resolution + i];   // 4 decimals: a smaller page, the same picture
        }

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
            XAxes = [new Axis { Title = new Title("x₁"), Range = [x0, x1], Constrain = "domain" }],
            YAxes = [new Axis { Title = new Title("x₂"), Range = [y0, y1], ScaleAnchor = "x", Constrain = "domain" }],
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

    private static (double Low, double High) Range(Vector<double> values, double padding)
    {
        double lo = values.Minimum(), hi = values.Maximum();
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
            throw new ArgumentException("X contains NaN or infinite values; a decision boundary needs finite coordinates.");
        double pad = Math.Max(hi - lo, 1e-9) * padding;
        if (hi - lo < 1e-9) pad = 1;
        return (lo - pad, hi + pad);
    }

    // ---------------------------------------------------------------- matrices and images

    /// <summary>
    /// A matrix as a heatmap, row 0 at the top as it is printed: negative blue, zero white, positive red
    /// (the colour scale is centred at 0). Rows and columns are numbered from 0, as in the matrix, with a
    /// tick on whole numbers only. The title gives the name (or <paramref name="title"/>) and the shape.
    /// </summary>
    /// <param name="matrix">The matrix to draw.</param>
    /// <param name="name">Its name, shown on hover as name[row, column].</param>
    /// <param name="title">The chart's title before the shape; the name unless given.</param>
    /// <param name="rowTitle">What a row is (the y axis' title).</param>
    /// <param name="columnTitle">What a column is (the x axis' title).</param>
    public static GenericChart Heatmap(Matrix<double> matrix, string name = "Matrix", string? title = null,
        string rowTitle = "row", string columnTitle = "column")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var z = Enumerable.Range(0, matrix.RowCount).Select(i => Figure.Finite(matrix.Row(i))).ToArray();
        double maxAbs = matrix.Enumerate().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        if (maxAbs == 0) maxAbs = 1;
        int cellPx = Math.Clamp(600 / Math.Max(1, Math.Max(matrix.RowCount, matrix.ColumnCount)), 2, 40);
        int width = Math.Clamp(matrix.ColumnCount * cellPx + 220, 380, 1000);
        int height = Math.Clamp(matrix.RowCount * cellPx + 160, 260, 800);
        // From −max|value| to +max|value|: 0 is the scale's middle, white.
        var trace = new HeatmapTrace
        {
            Z = z, Name = name, ColorScale = Figure.Diverging, ZMin = -maxAbs, ZMax = maxAbs,
            HoverTemplate = $"{name}[%{{y}}, %{{x}}] = %{{z:.4g}}<extra></extra>",
        };
        return Figure.Chart([trace], new ChartLayout
        {
            Title = new Title($"{title ?? name} {Shape.Of(matrix)}"),
            XAxes = [WholeTicks(matrix.ColumnCount) with { Title = new Title(columnTitle), Constrain = "domain" }],
            YAxes = [WholeTicks(matrix.RowCount) with { Title = new Title(rowTitle), AutoRange = "reversed", Constrain = "domain" }],
            Width = width, Height = height,
        });
    }

    /// <summary>An axis with ticks at 0, k, 2k, … only (about ten of them): a heatmap's cells sit on whole numbers.</summary>
    private static Axis WholeTicks(int count) =>
        new() { TickMode = "linear", Tick0 = 0, DTick = Math.Max(1, (int)Math.Ceiling(count / 10.0)), ShowGrid = false, ZeroLine = false };

    /// <summary>
    /// Layer <paramref name="layer"/>'s weights W_l as a heatmap: row i holds unit i's weights, column j the
    /// weight from unit j of the layer below (input j for layer 1).
    /// </summary>
    public static GenericChart Weights(Network network, int layer)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Heatmap(network.Layers[layer].W, $"W{layer}", rowTitle: $"unit i of layer {layer}", columnTitle: ColumnTitle(layer));
    }

    /// <summary>Layer l's gradient dW_l as a heatmap, same layout as <see cref="Weights"/>.</summary>
    public static GenericChart Gradient(Gradients gradients, int layer)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        return Heatmap(gradients[layer].dW, $"dW{layer}", rowTitle: $"unit i of layer {layer}", columnTitle: ColumnTitle(layer));
    }

    private static string ColumnTitle(int layer) => layer == 1 ? "input j" : $"unit j of layer {layer - 1}";


    /// <summary>
    /// The width and height of a picture of <paramref name="pixels"/> values: the given ones, or the side of a
    /// square when none is given. <paramref name="what"/> names the values in the error (e.g. "X is 784 × 10: its 784 rows").
    /// </summary>
    internal static (int Width, int Height) PictureSize(int pixels, int width, int height, string what, string paramName)
    {
        if (width <= 0 || height <= 0)
        {
            int side = (int)Math.Round(Math.Sqrt(pixels));
            if (side * side != pixels)
                throw new ArgumentException($"{what} are not a square number of pixels: give width and height.", paramName);
            return (side, side);
        }
        if ((long)width * height != pixels)
            throw new ShapeMismatchException($"Pictures of {width} × {height} pixels need {(long)width * height} values, but {what} are {pixels}.");
        return (width, height);
    }

    /// <summary>
    /// The grid that <see cref="Images"/> and <see cref="NetworkCharts.WeightImages(Matrix{double}, string, int, int, int, int, string?)"/>
    /// draw as one heatmap: <paramref name="Count"/> pictures of <paramref name="Width"/> × <paramref name="Height"/> pixels
    /// in <paramref name="Columns"/> columns, 2 empty pixels between them and a caption strip above each.
    /// </summary>
    internal sealed record Mosaic(int Count, int Columns, int Width, int Height)
    {
        private const int Gap = 2;

        public int Rows => (Count + Columns - 1) / Columns;
        public int CaptionRows => Math.Max(4, Height / 4);
        public int CellWidth => Width + Gap;
        public int CellHeight => Height + Gap + CaptionRows;

        /// <summary>The whole mosaic, every pixel empty (null: drawn transparent) until a picture is written in.</summary>
        public T[][] Grid<T>() => Enumerable.Range(0, Rows * CellHeight).Select(_ => new T[Columns * CellWidth]).ToArray();

        /// <summary>Where picture <paramref name="k"/>'s top-left pixel goes (row, column).</summary>
        public (int Top, int Left) Corner(int k) => (k / Columns * CellHeight + CaptionRows, k % Columns * CellWidth);

        /// <summary>Picture <paramref name="k"/>'s caption, centred in the strip above it.</summary>
        public Annotation Caption(int k, string text, double fontSize)
        {
            var (top, left) = Corner(k);
            return new Annotation
            {
                Text = text, X = left + (Width - 1) / 2.0, Y = top - 0.5,
                XRef = "x", YRef = "y", XAnchor = "center", YAnchor = "bottom", ShowArrow = false, Font = new Font { Size = fontSize },
            };
        }

        /// <summary>Screen pixels per picture pixel for a mosaic about <paramref name="screenWidth"/> pixels wide, at least <paramref name="least"/> and at most 8.</summary>
        public int Zoom(int screenWidth, int least) => Math.Clamp(screenWidth / (Columns * CellWidth), least, 8);

        /// <summary>The mosaic's size on screen at <paramref name="zoom"/>, before margins.</summary>
        public (int Width, int Height) OnScreen(int zoom) => (Columns * CellWidth * zoom, Rows * CellHeight * zoom);
    }

    /// <summary>Room for plotly.js's toolbar (its mode bar) above a figure's plot area, in screen pixels.</summary>
    private const int ToolbarHeight = 36;

    /// <summary>
    /// Images stored as the columns of X (each column is an image, row-major: pixel (r, c) at index
    /// r·width + c, as NumPy's reshape gives), drawn in grey in a grid with a caption above each.
    /// </summary>
    /// <param name="X">(width·height × m), e.g. (784 × m) for 28 × 28 Fashion-MNIST.</param>
    /// <param name="count">How many images, from <paramref name="start"/> on.</param>
    /// <param name="columns">Images per row of the grid.</param>
    /// <param name="captions">A caption per shown image (e.g. the label or "pred: Bag ✓"); default "#j".</param>
    /// <param name="width">Pixels per image row; with <paramref name="height"/> 0 both are √(rows of X).</param>
    /// <param name="height">Pixel rows per image.</param>
    /// <param name="start">The first column of X to show.</param>
    /// <param name="title">The chart's title.</param>
    public static GenericChart Images(Matrix<double> X, int count = 16, int columns = 8, IReadOnlyList<string>? captions = null,
        int width = 0, int height = 0, int start = 0, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(X);
        (width, height) = PictureSize(X.RowCount, width, height, $"X is {Shape.Of(X)}: its {X.RowCount} rows", nameof(X));
        if (start < 0 || start >= X.ColumnCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"X has columns 0 … {X.ColumnCount - 1}; {start} is not one of them.");
        count = Math.Min(count, X.ColumnCount - start);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "Show at least one image.");
        if (captions is not null && captions.Count < count)
            throw new ArgumentException($"{count} images need {count} captions; {captions.Count} were given.", nameof(captions));
        var mosaic = new Mosaic(count, Math.Clamp(columns, 1, count), width, height);
        var z = mosaic.Grid<double?>();
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        var annotations = new List<Annotation>();
        for (int k = 0; k < count; k++)
        {
            int j = start + k;
            var (top, left) = mosaic.Corner(k);
            for (int pr = 0; pr < height; pr++)
                for (int pc = 0; pc < width; pc++)
                {
                    double v = X[pr * width + pc, j];
                    if (!double.IsFinite(v)) continue;
                    z[top + pr][left + pc] = v;
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
            annotations.Add(mosaic.Caption(k, captions?[k] ?? $"#{j}", fontSize: 12));
        }
        if (!(hi > lo)) (lo, hi) = (lo is double.PositiveInfinity ? 0 : lo, lo is double.PositiveInfinity ? 1 : lo + 1);
        var trace = new HeatmapTrace
        {
            Z = z, Name = "images", ColorScale = new ColorScale((0.0, "#000000"), (1.0, "#ffffff")), ZMin = lo, ZMax = hi,
            ShowScale = false, HoverOnGaps = false, HoverTemplate = "pixel value %{z:.3g}<extra></extra>",
        };
        var (screenWidth, screenHeight) = mosaic.OnScreen(mosaic.Zoom(1100, least: 1));   // one image alone is drawn 8× (224 px for 28 × 28)
        // The top margin holds the title, or else the toolbar plotly.js shows at the top right on hover, which would
        // otherwise cover the captions of the last pictures of the first row.
        int above = title is null ? ToolbarHeight : 50;
        return Figure.Chart([trace], new ChartLayout
        {
            Title = title is null ? null : new Title(title),
            XAxes = [Figure.HiddenAxis with { Constrain = "domain" }],
            YAxes = [Figure.HiddenAxis with { AutoRange = "reversed", ScaleAnchor = "x" }],
            Annotations = annotations,
            PlotBgColor = "rgba(0,0,0,0)",
            Margin = new Margin { L = 10, R = 10, T = above, B = 10 },
            Width = screenWidth + 20, Height = screenHeight + above + 10,
        });
    }

    // ---------------------------------------------------------------- HTML

    /// <summary>
    /// The chart as a notebook shows it in HTML (a div and its script, see <see cref="ChartOutput.Html"/>):
    /// it draws once the page has plotly.js, which the notebook's setup cell puts there.
    /// </summary>
    public static string ToHtml(GenericChart chart) => ChartOutput.Html(chart);

    /// <summary>
    /// Writes the chart as a complete standalone HTML page. With <paramref name="embedPlotlyJs"/> (the
    /// default) the page carries plotly.js itself (about 3.6 MB, the copy Plotly.NET ships), so it opens
    /// without internet; without it, it loads plotly.js from its CDN (a small file that needs internet).
    /// The page is written as model files are (the core's SafeFile): beside the target under a temporary name, then renamed
    /// over it, so an error or a kill mid-way leaves the previous page whole; the new file keeps the previous one's
    /// permissions; a symbolic link is followed (the file it points to is replaced). Returns the full path written.
    /// </summary>
    /// <exception cref="IOException">when the path is a folder, a device, a read-only file or an unwritable place, or writing fails; the message says which.</exception>
    public static string ToHtmlFile(GenericChart chart, string path, bool embedPlotlyJs = true, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = NeuralNet.Data.SafeFile.CheckWritable(path, path, "chart.html", "an .html file", (message, inner) => new IOException(message, inner));
        string page = ToHtmlPage(chart, embedPlotlyJs, title);
        NeuralNet.Data.SafeFile.WriteAtomically(full, page, (stream, text) => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)),
            (reason, e) => new IOException($"could not write the chart to {full}: {reason} The previous file there, if any, is unchanged.", e));
        return full;
    }

    /// <summary>The standalone page <see cref="ToHtmlFile"/> writes, as a string.</summary>
    public static string ToHtmlPage(GenericChart chart, bool embedPlotlyJs = true, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var reference = embedPlotlyJs
            ? PlotlyJSReference.Full
            : PlotlyJSReference.NewCDN($"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min.js");
        var options = DisplayOptions.init(null, null, null, null, null, null, Microsoft.FSharp.Core.FSharpOption<PlotlyJSReference>.Some(reference));
        var page = GenericChart.toEmbeddedHTML(GenericChart.addDisplayOptions(options, chart));
        // The page must say it is UTF-8, or α, ‖·‖ and ₁ show as mojibake when opened from disk.
        string head = "<meta charset=\"utf-8\"><title>" + HtmlText.Escape(title ?? TitleOf(chart) ?? "NeuralNet chart") + "</title>";
        int at = page.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return at >= 0 ? page.Insert(at + "<head>".Length, head) : "<!DOCTYPE html>" + head + page;
    }

    private static string? TitleOf(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        return layout.TryGetPropertyValue("title") is { } t && t.Value is DynamicObj.DynamicObj title
            && title.TryGetPropertyValue("text") is { } text ? text.Value as string : null;
    }
}
