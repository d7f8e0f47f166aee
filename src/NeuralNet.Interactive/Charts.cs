using System.Globalization;
using NeuralNet.Training;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// Plotly charts of training and of what a network has learned. Each returns a Plotly.NET
/// <see cref="GenericChart"/>: the last expression of a notebook cell displays it, and
/// <see cref="ToHtmlFile"/> saves it as a standalone page.
/// </summary>
public static partial class Charts
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
}
