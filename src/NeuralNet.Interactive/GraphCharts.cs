using System.Globalization;
using NeuralNet.Autograd;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// The computation graph of a <see cref="Scalar"/> drawn from the computation itself: every number as a
/// node (its name and value above it, its gradient below it), every use of a number as an arrow labelled
/// with the local derivative backpropagation multiplies along it.
/// </summary>
public static class GraphCharts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The graph that computed <paramref name="output"/>, inputs on the left, the output on the right.
    /// Given numbers are squares, computed ones circles with their operation inside. Under each node: its
    /// gradient ∂output/∂node, once <c>output.Backward()</c> has run (before that, the chart says so and
    /// shows values only). On each arrow: the local derivative ∂(head)/∂(tail).
    /// </summary>
    /// <param name="output">The last node of the computation, e.g. the loss.</param>
    /// <param name="title">The chart's title; by default it names the output and says what the numbers are.</param>
    public static GenericChart ComputationGraph(Scalar output, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var nodes = output.Nodes();
        if (nodes.Count > 60)
            throw new ArgumentException(
                $"{output.Label} is computed from {nodes.Count} numbers; a graph of more than 60 nodes is unreadable. Draw a smaller piece of the computation.",
                nameof(output));
        bool withGradients = output.Grad == 1;   // Backward() on this output sets it to ∂output/∂output = 1
        var (x, y) = Layout(nodes, output);
        // Text traces are drawn 28 px from the marker centre; pad the axes so they fit.
        int columns = (int)x.Values.Max() + 1;
        double yMin = y.Values.Min(), yMax = y.Values.Max();
        int rows = (int)Math.Round(yMax - yMin) + 1;
        int width = Math.Clamp(columns * 120 + 70, 520, 950), height = Math.Clamp(rows * 95 + 120, 290, 1000);
        var page = new Page(width - MarginLeft - MarginRight, columns, height - MarginTop - MarginBottom, yMax - yMin + 1.4);
        // What the arrows' numbers must keep clear of: each node, its name above it and its gradient below it.
        var taken = new List<Box>();
        foreach (var n in nodes)
        {
            var (cx, cy) = (page.X(x[n]), page.Y(y[n]));
            taken.Add(Box.Around(cx, cy, NodeSize, NodeSize));
            taken.Add(Box.Around(cx, cy + NodeSize / 2.0 + 13, TextWidth(Plain(NameAndValue(n)), 13), 18));
            if (withGradients) taken.Add(Box.Around(cx, cy - NodeSize / 2.0 - 11, TextWidth($"grad {Scalar.Format(n.Grad)}", 12), 17));
        }

        var traces = new List<PlotlyTrace>();
        var annotations = new List<Annotation>();
        // Arrows from each input to the node it feeds, labelled with the local derivative.
        var labelX = new List<double>();
        var labelY = new List<double>();
        var labelText = new List<string>();
        var labelHover = new List<string>();
        foreach (var node in nodes)
            foreach (var edge in node.Inputs)
            {
                var from = edge.Input;
                annotations.Add(new Annotation
                {
                    X = x[node], Y = y[node], AX = x[from], AY = y[from],
                    XRef = "x", YRef = "y", AXRef = "x", AYRef = "y", Text = "",
                    ShowArrow = true, ArrowHead = 2, ArrowSize = 1.2, ArrowWidth = 1.5, ArrowColor = "#888888",
                    Standoff = 18, StartStandoff = 18,
                });
                string text = Scalar.Format(edge.LocalDerivative);
                var (lx, ly) = LabelPlace(page, (x[from], y[from]), (x[node], y[node]), TextWidth(text, 12) + 4, taken);
                labelX.Add(lx);
                labelY.Add(ly);
                labelText.Add(text);
                labelHover.Add($"local derivative ∂{node.Symbol}/∂{from.Symbol} = {edge.LocalDerivative.ToString("G6", Invariant)}");
            }
        // The numbers on a white patch over their arrow (annotations); invisible markers under them carry the hover text.
        for (int i = 0; i < labelX.Count; i++)
            annotations.Add(new Annotation
            {
                X = labelX[i], Y = labelY[i], XRef = "x", YRef = "y", Text = labelText[i],
                ShowArrow = false, BgColor = "#ffffff", BorderPad = 1, Font = new Font { Color = "#6a3d9a", Size = 12 },
            });
        traces.Add(new ScatterTrace
        {
            X = labelX.ToArray(), Y = labelY.ToArray(), Mode = "markers",
            Marker = new Marker { Size = 18, Opacity = 0 }, Text = labelText.ToArray(), CustomData = labelHover.ToArray(),
            Name = "local derivative on each arrow", HoverTemplate = "%{customdata}<extra></extra>",
        });

        double maxGrad = withGradients ? nodes.Max(n => Math.Abs(n.Grad)) : 0;
        // Fill by the gradient's sign: red positive, blue negative, white 0; at least a clear tint for any non-zero
        // gradient (so a small one is not mistaken for 0), at most 0.6 of the scale (so the operation stays readable).
        string Color(Scalar n) => !withGradients ? "#dddddd"
            : n.Grad == 0 || maxGrad == 0 ? "#ffffff"
            : NetworkCharts.DivergingColor(Math.Sign(n.Grad) * (0.3 + 0.3 * Math.Abs(n.Grad) / maxGrad));
        var ordered = nodes.ToArray();
        double[] xs = ordered.Select(n => x[n]).ToArray(), ys = ordered.Select(n => y[n]).ToArray();
        traces.Add(new ScatterTrace
        {
            X = xs, Y = ys, Mode = "markers+text",
            Text = ordered.Select(n => n.IsLeaf ? "" : n.Operation.Split(' ')[0]).ToArray(), TextPosition = "middle center",
            TextFont = new Font { Size = 12, Color = "#000000" },
            Marker = new Marker
            {
                Size = 34, Symbol = ordered.Select(n => n.IsLeaf ? "square" : "circle").ToArray(),
                Color = ordered.Select(Color).ToArray(), Line = new Line { Color = "#444444", Width = 1.5 },
            },
            CustomData = ordered.Select(n => Hover(n, output, withGradients)).ToArray(),
            HoverTemplate = "%{customdata}<extra></extra>", Name = withGradients ? "node, coloured by its gradient" : "node",
        });
        // Text beside a marker keeps clear of it only when the trace has markers: invisible ones, the nodes' size.
        var spacer = new Marker { Size = 34, Opacity = 0 };
        traces.Add(new ScatterTrace
        {
            X = xs, Y = ys, Mode = "markers+text", Marker = spacer, HoverInfo = "skip",
            Text = ordered.Select(NameAndValue).ToArray(), TextPosition = "top center",
            TextFont = new Font { Size = 13 }, Name = "name = value", ShowLegend = false, ClipOnAxis = false,
        });
        if (withGradients)
            traces.Add(new ScatterTrace
            {
                X = xs, Y = ys, Mode = "markers+text", Marker = spacer, HoverInfo = "skip",
                Text = ordered.Select(n => $"grad {Scalar.Format(n.Grad)}").ToArray(), TextPosition = "bottom center",
                TextFont = new Font { Size = 12, Color = "#333333" }, Name = "gradient", ShowLegend = false, ClipOnAxis = false,
            });

        string heading = title ?? (withGradients
            ? $"How {output.Label} was computed<br><sub>value above each node · gradient ∂{output.Label}/∂node below it (fill: red +, blue −) · local derivative on each arrow</sub>"
            : $"How {output.Label} was computed<br><sub>value above each node · local derivative on each arrow · gradients: call {output.Label}.Backward()</sub>");
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(heading) { Font = new Font { Size = 14 } },
            XAxes = [Figure.HiddenAxis with { Range = [-0.5, columns - 0.5] }],
            YAxes = [Figure.HiddenAxis with { Range = [yMin - 0.7, yMax + 0.7] }],
            Annotations = annotations,
            ShowLegend = false,
            PlotBgColor = "#ffffff",
            Margin = new Margin { L = MarginLeft, R = MarginRight, T = MarginTop, B = MarginBottom },
            ModeBar = new ModeBar { Orientation = "v" },
            Width = width, Height = height,
        });
    }

    private const int NodeSize = 34;
    private const int MarginLeft = 20, MarginRight = 40, MarginTop = 70, MarginBottom = 20;

    /// <summary>
    /// Where a local derivative's number goes (in the axes' units): on its arrow, at the middle unless it would cover a
    /// node, a node's name or gradient, or another arrow's number; then the nearest place along the arrow that covers
    /// nothing, from the middle out to a fifth from either end. Where every place on the arrow covers something (a short
    /// arrow between crowded nodes), the number may sit a little to one side of the arrow, touching it. Of the places
    /// that still cover something, the one that covers least. The chosen place is added to <paramref name="taken"/>.
    /// </summary>
    private static (double X, double Y) LabelPlace(Page page, (double X, double Y) from, (double X, double Y) to, double labelWidth, List<Box> taken)
    {
        // The arrow in pixels, and its unit normal there: a sideways shift of the number is measured in pixels.
        double x0 = page.X(from.X), y0 = page.Y(from.Y), x1 = page.X(to.X), y1 = page.Y(to.Y);
        double length = Math.Max(1e-9, Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)));
        double nx = -(y1 - y0) / length, ny = (x1 - x0) / length;
        (double X, double Y) best = ((x0 + x1) / 2, (y0 + y1) / 2);
        double bestOverlap = double.MaxValue;
        foreach (double side in new[] { 0.0, 12, -12 })
        {
            // From the middle outwards (0.5, 0.54, 0.46, 0.58, …) in steps of 4 % of the arrow, to a fifth from either end.
            for (int step = 0; step <= 14; step++)
            {
                double t = 0.5 + (step % 2 == 1 ? 1 : -1) * 0.04 * ((step + 1) / 2);
                double px = x0 + (x1 - x0) * t + nx * side, py = y0 + (y1 - y0) * t + ny * side;
                double overlap = taken.Sum(Box.Around(px, py, labelWidth + 4, 20).Overlap);
                if (overlap < bestOverlap - 1e-9) (best, bestOverlap) = ((px, py), overlap);
                if (overlap == 0) break;
            }
            if (bestOverlap == 0) break;
        }
        taken.Add(Box.Around(best.X, best.Y, labelWidth, 16));
        return (page.DataX(best.X), page.DataY(best.Y));
    }

    /// <summary>The plotting area in pixels, for axes ranging over <paramref name="Columns"/> columns and <paramref name="RowSpan"/> rows.</summary>
    private readonly record struct Page(double Width, int Columns, double Height, double RowSpan)
    {
        public double X(double x) => x * Width / Columns;
        public double Y(double y) => y * Height / RowSpan;
        public double DataX(double px) => px * Columns / Width;
        public double DataY(double py) => py * RowSpan / Height;
    }

    /// <summary>A rectangle in pixels (y up), the space a text or a marker covers.</summary>
    private readonly record struct Box(double Left, double Bottom, double Right, double Top)
    {
        public static Box Around(double x, double y, double width, double height) => new(x - width / 2, y - height / 2, x + width / 2, y + height / 2);

        public double Overlap(Box other) =>
            Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left)) * Math.Max(0, Math.Min(Top, other.Top) - Math.Max(Bottom, other.Bottom));
    }

    /// <summary>About how wide a text is in pixels at a font size (a sans-serif digit or letter is about half the size wide).</summary>
    private static double TextWidth(string text, double size) => text.Length * size * 0.5;

    private static string Plain(string html) => html.Replace("<b>", "", StringComparison.Ordinal).Replace("</b>", "", StringComparison.Ordinal);

    /// <summary>"<b>z</b> = 0.7"; a constant that is its own name (the ½ of an average) shows its number once.</summary>
    private static string NameAndValue(Scalar n) =>
        n.IsLeaf && n.Label == Scalar.Format(n.Value) ? $"<b>{n.Label}</b>" : $"<b>{n.Label}</b> = {Scalar.Format(n.Value)}";

    private static string Hover(Scalar n, Scalar output, bool withGradients)
    {
        string made = n.IsLeaf ? "given" : $"{n.Operation} of {string.Join(", ", n.Inputs.Select(e => e.Input.Label))}";
        string grad = withGradients ? $"<br>∂{output.Symbol}/∂{n.Symbol} = {n.Grad.ToString("G6", Invariant)}" : "";
        return $"<b>{n.Label}</b> = {n.Value.ToString("G6", Invariant)}<br>{made}{grad}";
    }

    /// <summary>
    /// Columns: a computed node one right of its furthest input; a given number one left of its first
    /// consumer. Rows: from the output back, each node near the average row of the nodes it feeds (a node
    /// that feeds one, spread out among that one's inputs in their order, first on top).
    /// </summary>
    internal static (Dictionary<Scalar, double> X, Dictionary<Scalar, double> Y) Layout(IReadOnlyList<Scalar> nodes, Scalar output)
    {
        var x = new Dictionary<Scalar, double>();
        var consumers = nodes.ToDictionary(n => n, _ => new List<Scalar>());
        foreach (var n in nodes)
            foreach (var e in n.Inputs)
                if (!consumers[e.Input].Contains(n)) consumers[e.Input].Add(n);
        foreach (var n in nodes)   // inputs come first
            x[n] = n.IsLeaf ? 0 : n.Inputs.Max(e => x[e.Input] + 1);
        foreach (var n in nodes.Where(n => n.IsLeaf && consumers[n].Count > 0))
            x[n] = consumers[n].Min(c => x[c]) - 1;

        var y = new Dictionary<Scalar, double>();
        int columns = (int)x.Values.Max() + 1;
        for (int c = columns - 1; c >= 0; c--)
        {
            var column = nodes.Where(n => (int)x[n] == c).ToList();
            // A number used by several nodes sits at the average of their rows, between them, so its arrows fan out
            // without crossing its neighbours'; one used once sits by its consumer, spread out among that one's inputs.
            var wanted = column.ToDictionary(n => n,
                n => consumers[n].Count == 0 ? 0.0 : consumers[n].Average(k => y[k]) + (consumers[n].Count == 1 ? Offset(n, consumers[n][0]) : 0));
            column.Sort((a, b) => wanted[a].CompareTo(wanted[b]));
            // Keep the wanted rows where possible, at least one row apart, centred on their average.
            var rows = column.Select(n => wanted[n]).ToArray();
            for (int i = 1; i < rows.Length; i++) rows[i] = Math.Max(rows[i], rows[i - 1] + 1);
            double shift = column.Count == 0 ? 0 : column.Average(n => wanted[n]) - rows.Average();
            for (int i = 0; i < rows.Length; i++) y[column[i]] = rows[i] + shift;
        }
        return (x, y);

        // Inputs of one operation spread out around it in the order they were given (first on top).
        static double Offset(Scalar n, Scalar user)
        {
            int count = user.Inputs.Count;
            int index = user.Inputs.Select(e => e.Input).ToList().FindIndex(s => ReferenceEquals(s, n));
            return count <= 1 || index < 0 ? 0 : 0.5 * (count - 1) / 2.0 - 0.5 * index;
        }
    }
}
