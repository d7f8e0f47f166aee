using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

public static partial class NetworkCharts
{
    // ---------------------------------------------------------------- hidden units over the plane

    /// <summary>
    /// What the units of one hidden layer compute, for a network with 2 inputs: one small panel per unit
    /// with its activation A_l[i] over the input plane (the dashed line is where its Z_l[i] = 0 — for layer 1 a
    /// straight line, the one cut that unit makes), and a last panel with the network's output and its
    /// decision boundary. Every panel shows the samples, coloured by class when <paramref name="Y"/> is given.
    /// When no drawn unit's output is negative anywhere on the square (ReLU and sigmoid units), the colours run
    /// from white at 0 to red at each unit's largest output; otherwise from blue through white at 0 to red.
    /// </summary>
    /// <param name="network">A network with 2 inputs.</param>
    /// <param name="X">The samples, (2 × m).</param>
    /// <param name="Y">Their labels (1 × m of 0/1), or null.</param>
    /// <param name="layer">Which hidden layer, 1 … L−1.</param>
    /// <param name="resolution">Grid points along each axis of each panel.</param>
    /// <param name="columns">Panels per row; by default about square.</param>
    /// <param name="units">Which units of the layer to draw, in this order (numbered from 0); by default all of them.
    /// Fewer panels are larger: a handful reads better on a projector than sixteen.</param>
    public static GenericChart HiddenUnits(Network network, Matrix<double> X, Matrix<double>? Y = null, int layer = 1,
        int resolution = 50, int columns = 0, IReadOnlyList<int>? units = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(X);
        int L = network.Layers.Count;
        if (network.LayerSizes[0] != 2)
            throw new ArgumentException($"Hidden units are drawn over the input plane, so the network needs 2 inputs; it has {network.LayerSizes[0]}.", nameof(network));
        if (L < 2)
            throw new ArgumentException("This network has no hidden layer: its only layer is the output.", nameof(network));
        if (layer < 1 || layer > L - 1)
            throw new ArgumentOutOfRangeException(nameof(layer), $"The hidden layers are 1 … {L - 1}; {layer} is not one of them.");
        PlaneGrid.CheckSamples(X);
        if (Y is not null && Y.ColumnCount != X.ColumnCount)
            throw new ShapeMismatchException($"Y {Shape.Of(Y)} must have one column per sample of X {Shape.Of(X)}.");
        if (resolution is < 2 or > 400)
            throw new ArgumentOutOfRangeException(nameof(resolution), $"Use between 2 and 400 grid points per axis, not {resolution}.");
        int layerUnits = network.Layers[layer].Units;
        int[] shown = units is null ? [.. Enumerable.Range(0, layerUnits)] : [.. units];
        if (units is not null)
        {
            if (shown.Length == 0)
                throw new ArgumentException("units is empty: name at least one unit, or leave it out to draw them all.", nameof(units));
            int bad = Array.FindIndex(shown, u => u < 0 || u >= layerUnits);
            if (bad >= 0)
                throw new ArgumentOutOfRangeException(nameof(units), $"Layer {layer} has units 0 … {layerUnits - 1}; {shown[bad]} is not one of them.");
            if (shown.GroupBy(u => u).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new ArgumentException($"units names unit {twice.Key} twice; name each unit once.", nameof(units));
        }
        if (shown.Length > 64)
            throw new ArgumentException($"Layer {layer} has {layerUnits} units; more than 64 small panels are unreadable. Choose some with units: [...].", nameof(layer));

        var grid = new PlaneGrid(X, resolution, padding: 0.15, decimals: 4, "the input plane");
        var (gx, gy) = (grid.Xs, grid.Ys);
        var (x0, x1, y0, y1) = (grid.X0, grid.X1, grid.Y0, grid.Y1);
        var forward = network.Forward(grid.Points);
        var Z = forward.Caches[layer].Z;
        var A = forward.Caches[layer].A;
        var output = forward.AL;
        bool binaryOutput = output.RowCount == 1;

        // ReLU and sigmoid outputs are never negative: then 0 is the bottom of the scale, not its middle.
        bool nonNegative = shown.All(u => A.Row(u).Minimum() >= 0);
        int panels = shown.Length + 1;
        if (columns <= 0) columns = Math.Max(2, (int)Math.Ceiling(Math.Sqrt(panels)));
        columns = Math.Clamp(columns, 1, panels);
        int rows = (panels + columns - 1) / columns;
        // Sizes in screen pixels: panels keep the plane's aspect ratio; rows leave room for two-line captions.
        int panelPx = Math.Clamp(800 / columns, 120, 260);
        double aspect = Math.Clamp((y1 - y0) / (x1 - x0), 0.4, 2.5);   // panel height / width, as the plane's
        double panelH = panelPx * aspect;
        const double colGapPx = 16, rowGapPx = 40;
        double plotW = columns * panelPx + (columns - 1) * colGapPx, plotH = rows * panelH + (rows - 1) * rowGapPx;
        double cellW = panelPx / plotW, cellH = panelH / plotH;

        string activation = network.Layers[layer].Activation.Name;
        // When this layer feeds a single output unit, each panel names the weight that carries the unit's answer there.
        double[]? outgoing = layer == L - 1 && network.Layers[L].Units == 1 ? network.Layers[L].W.Row(0).ToArray() : null;
        var traces = new List<PlotlyTrace>();
        var xAxes = new List<Axis>();
        var yAxes = new List<Axis>();
        var titles = new List<Annotation>();
        var labels = Y is null ? null : Metrics.Classes(Y);

        for (int p = 0; p < panels; p++)
        {
            int r = p / columns, c = p % columns;
            string xa = Figure.AxisId("x", p), ya = Figure.AxisId("y", p);
            double left = c * (panelPx + colGapPx) / plotW, top = 1 - r * (panelH + rowGapPx) / plotH;
            // Tick labels only along the bottom row and the left column (a font for them only there).
            bool xLabels = r == rows - 1, yLabels = c == 0;
            xAxes.Add(new Axis
            {
                Domain = new Domain(left, left + cellW), Anchor = ya, Range = [x0, x1],
                ShowTickLabels = xLabels, TickFont = xLabels ? new Font { Size = 9 } : null,
            });
            yAxes.Add(new Axis
            {
                Domain = new Domain(top - cellH, top), Anchor = xa, Range = [y0, y1],
                ShowTickLabels = yLabels, TickFont = yLabels ? new Font { Size = 9 } : null,
            });
            bool isOutput = p == shown.Length;
            var values = isOutput ? output : A;
            int unit = isOutput ? 0 : shown[p];
            int row = unit;
            var z = binaryOutput || !isOutput ? grid.Surface(values, row) : grid.Surface(Metrics.Classes(output));
            // A hidden unit's colours span its own lowest … highest output on this square, so a unit whose
            // outputs are small is as visible as one whose outputs are large; the caption and hover give the values.
            double lo = z.SelectMany(v => v).Min(), hi = z.SelectMany(v => v).Max();
            double reach = Math.Max(Math.Abs(lo), Math.Abs(hi));
            string caption = isOutput
                ? (binaryOutput ? $"output: P(class 1), boundary at 0.5" : "output: predicted class")
                : $"unit {unit}: {Number(lo)} … {Number(hi)}" + (outgoing is null ? "" : $"<br>w→out {Signed(outgoing[unit])}");
            titles.Add(new Annotation
            {
                Text = caption, X = left + cellW / 2, Y = top, XRef = "paper", YRef = "paper",
                XAnchor = "center", YAnchor = "bottom", ShowArrow = false, Font = new Font { Size = 11 },
            });
            // Every panel carries its colour scale itself (Plotly.validate rejects a trace's coloraxis); the
            // units share one scale and one colour bar (on unit 0's panel), the output has its own.
            if (isOutput)
            {
                traces.Add(new HeatmapTrace
                {
                    X = gx, Y = gy, Z = z, XAxis = xa, YAxis = ya,
                    ColorScale = Figure.Probability, ZMin = 0.0, ZMax = binaryOutput ? 1.0 : output.RowCount - 1,
                    ColorBar = new ColorBar { Title = new Title(binaryOutput ? "P(class 1)" : "class"), X = 1.02, Y = 0.22, Len = 0.45, Thickness = 12 },
                    Name = "output",
                    HoverTemplate = (binaryOutput ? "P(class 1) = %{z:.3f}" : "class %{z}") + "<br>x₁ = %{x:.2f}, x₂ = %{y:.2f}<extra>output</extra>",
                });
                if (binaryOutput)
                    traces.Add(Contour(gx, gy, z, 0.5, xa, ya, "decision boundary P = 0.5", "solid"));
            }
            else
            {
                var scaled = z.Select(v => v.Select(e => reach > 0 ? Math.Round(e / reach, 3) : 0.0).ToArray()).ToArray();
                traces.Add(new HeatmapTrace
                {
                    X = gx, Y = gy, Z = scaled, CustomData = z, XAxis = xa, YAxis = ya,
                    ColorScale = nonNegative ? Figure.FromZero : Figure.Diverging, ZMin = nonNegative ? 0.0 : -1.0, ZMax = 1.0,
                    ShowScale = p == 0,
                    ColorBar = p == 0
                        ? new ColorBar
                        {
                            Title = new Title($"A{layer}[i] ÷ its<br>largest size"),
                            TickVals = nonNegative ? [0.0, 1.0] : [-1.0, 0.0, 1.0], TickText = nonNegative ? ["0", "max"] : ["−max", "0", "+max"],
                            X = 1.02, Y = 0.75, Len = 0.45, Thickness = 12,
                        }
                        : null,
                    Name = $"unit {unit}",
                    HoverTemplate = $"A{layer}[{unit}] = %{{customdata:.3f}}<br>x₁ = %{{x:.2f}}, x₂ = %{{y:.2f}}<extra>unit {unit}</extra>",
                });
                traces.Add(Contour(gx, gy, grid.Surface(Z, unit), 0.0, xa, ya, $"Z{layer}[i] = 0", "dash"));
            }
            if (labels is not null)
                foreach (int cls in labels.Distinct().Order())
                {
                    var js = Enumerable.Range(0, labels.Length).Where(j => labels[j] == cls).ToArray();
                    traces.Add(new ScatterTrace
                    {
                        X = js.Select(j => X[0, j]).ToArray(), Y = js.Select(j => X[1, j]).ToArray(), Mode = "markers", XAxis = xa, YAxis = ya,
                        Name = cls == 0 ? "class 0 (white)" : $"class {cls} (black)", LegendGroup = $"class {cls}", ShowLegend = p == 0, HoverInfo = "skip",
                        Marker = new Marker
                        {
                            Color = cls == 0 ? "#ffffff" : "#111111", Size = X.ColumnCount > 50 ? 4 : 10,
                            Line = new Line { Color = cls == 0 ? "#444444" : "#ffffff", Width = X.ColumnCount > 50 ? 0.5 : 1 },
                        },
                    });
                }
        }
        string which = shown.Length == layerUnits ? $"the {layerUnits} units" : $"{shown.Length} of the {layerUnits} units";
        string colours = nonNegative ? "white 0, deeper red larger" : "red +, blue −, white 0";
        string heading = $"What {which} of layer {layer} compute, and the output they feed<br><sub>colour: {activation}(Z{layer}[i]) over the plane, {colours}, each unit on its own scale (range in its title) · dashed: where Z{layer}[i] = 0</sub>";
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(heading) { Font = new Font { Size = 14 } },
            XAxes = xAxes, YAxes = yAxes,
            Annotations = titles,
            // The legend hangs 28 px below the panels, clear of the bottom row's tick labels, inside the bottom margin.
            Legend = new Legend { Orientation = "h", X = 0, Y = -28 / plotH, YAnchor = "top" },
            Margin = new Margin { L = 40, R = 150, T = 110, B = 60 },
            ModeBar = new ModeBar { Orientation = "v" },
            Width = (int)plotW + 40 + 150, Height = (int)plotH + 110 + 60,
        });
    }

    private static string Signed(double v) => (v >= 0 ? "+" : "−") + Math.Abs(v).ToString(Math.Abs(v) >= 10 ? "0.#" : "0.##", Invariant);

    /// <summary>Two decimals; a number too small for them shows its first digit (−0.004 is not 0: a unit whose range ends there never reaches 0).</summary>
    private static string Number(double v) => v == 0 ? "0" : Math.Abs(v) < 0.005 ? v.ToString("G1", Invariant) : v.ToString(Math.Abs(v) >= 10 ? "0.#" : "0.##", Invariant);

    /// <summary>The one contour line z = level, black, without fill (so without a colour scale).</summary>
    private static ContourTrace Contour(double[] gx, double[] gy, double[][] z, double level, string xa, string ya, string name, string dash) => new()
    {
        X = gx, Y = gy, Z = z, XAxis = xa, YAxis = ya, Name = name, HoverInfo = "skip", ShowLegend = false,
        Contours = new Contours { Start = level, End = level, Size = 1.0, Coloring = "none" },
        Line = new Line { Width = 2, Color = "black", Dash = dash },
    };
}
