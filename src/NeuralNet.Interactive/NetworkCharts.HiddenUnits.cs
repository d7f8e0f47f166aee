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
        int[] shown = CheckHiddenUnits(network, X, Y, layer, resolution, units);
        var pass = HiddenPass.Over(new PlaneGrid(X, resolution, padding: 0.15, decimals: 4, "the input plane"), network, layer, shown);
        int panels = shown.Length + 1;
        var layout = new PanelLayout(panels, columns, pass.Grid);
        var labels = Y is null ? null : Metrics.Classes(Y);
        var traces = new List<PlotlyTrace>();
        var xAxes = new List<Axis>();
        var yAxes = new List<Axis>();
        var titles = new List<Annotation>();
        for (int p = 0; p < panels; p++)
        {
            string xa = Figure.AxisId("x", p), ya = Figure.AxisId("y", p);
            xAxes.Add(layout.XAxis(p, ya, pass.Grid));
            yAxes.Add(layout.YAxis(p, xa, pass.Grid));
            var (drawn, caption) = p == shown.Length ? OutputPanel(pass, xa, ya) : UnitPanel(pass, shown[p], xa, ya, colourBar: p == 0);
            titles.Add(layout.Caption(p, caption));
            traces.AddRange(drawn);
            if (labels is not null) traces.AddRange(SamplePoints(X, labels, xa, ya, legend: p == 0));
        }
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(HiddenUnitsHeading(pass, shown.Length, network.Layers[layer].Units)) { Font = new Font { Size = 14 } },
            XAxes = xAxes, YAxes = yAxes,
            Annotations = titles,
            // The legend hangs 28 px below the panels, clear of the bottom row's tick labels, inside the bottom margin.
            Legend = new Legend { Orientation = "h", X = 0, Y = -28 / layout.PlotH, YAnchor = "top" },
            Margin = new Margin { L = 40, R = 150, T = 110, B = 60 },
            ModeBar = new ModeBar { Orientation = "v" },
            Width = (int)layout.PlotW + 40 + 150, Height = (int)layout.PlotH + 110 + 60,
        });
    }

    /// <summary>The title: which units are drawn, and what their colours and dashed lines mean.</summary>
    private static string HiddenUnitsHeading(HiddenPass pass, int drawn, int layerUnits)
    {
        string which = drawn == layerUnits ? $"the {layerUnits} units" : $"{drawn} of the {layerUnits} units";
        string colours = pass.NonNegative ? "white 0, deeper red larger" : "red +, blue −, white 0";
        int layer = pass.Layer;
        return $"What {which} of layer {layer} compute, and the output they feed<br><sub>colour: {pass.Activation}(Z{layer}[i]) over the plane, {colours}, " +
               $"each unit on its own scale (range in its title) · dashed: where Z{layer}[i] = 0</sub>";
    }

    /// <summary>Checks <see cref="HiddenUnits"/>' arguments, the network's first; returns the units to draw (all of the layer's when none are named).</summary>
    private static int[] CheckHiddenUnits(Network network, Matrix<double> X, Matrix<double>? Y, int layer, int resolution, IReadOnlyList<int>? units)
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
        return shown;
    }

    /// <summary>
    /// One forward pass of the network over the grid, and what the panels draw from it: the layer's Z and A, the output,
    /// the colour scale the units share, and the weights that carry each unit's answer to a single output unit.
    /// </summary>
    private sealed record HiddenPass(PlaneGrid Grid, int Layer, string Activation, Matrix<double> Z, Matrix<double> A, Matrix<double> Output,
        bool NonNegative, double[]? Outgoing)
    {
        public bool BinaryOutput => Output.RowCount == 1;

        public static HiddenPass Over(PlaneGrid grid, Network network, int layer, int[] shown)
        {
            int L = network.Layers.Count;
            var forward = network.Forward(grid.Points);
            var A = forward.Caches[layer].A;
            // ReLU and sigmoid outputs are never negative: then 0 is the bottom of the scale, not its middle.
            bool nonNegative = shown.All(u => A.Row(u).Minimum() >= 0);
            // When this layer feeds a single output unit, each panel names the weight that carries the unit's answer there.
            double[]? outgoing = layer == L - 1 && network.Layers[L].Units == 1 ? network.Layers[L].W.Row(0).ToArray() : null;
            return new(grid, layer, network.Layers[layer].Activation.Name, forward.Caches[layer].Z, A, forward.AL, nonNegative, outgoing);
        }
    }

    /// <summary>
    /// Where <see cref="HiddenUnits"/>' panels go: rows of <see cref="Columns"/> panels, each the plane's shape (its height
    /// ÷ width kept between 0.4 and 2.5), sized in screen pixels, with room between rows for two-line captions.
    /// </summary>
    private sealed class PanelLayout
    {
        private const double ColGapPx = 16, RowGapPx = 40;

        public PanelLayout(int panels, int columns, PlaneGrid grid)
        {
            if (columns <= 0) columns = Math.Max(2, (int)Math.Ceiling(Math.Sqrt(panels)));
            Columns = Math.Clamp(columns, 1, panels);
            Rows = (panels + Columns - 1) / Columns;
            PanelPx = Math.Clamp(800 / Columns, 120, 260);
            double aspect = Math.Clamp((grid.Y1 - grid.Y0) / (grid.X1 - grid.X0), 0.4, 2.5);   // panel height / width, as the plane's
            PanelH = PanelPx * aspect;
            PlotW = Columns * PanelPx + (Columns - 1) * ColGapPx;
            PlotH = Rows * PanelH + (Rows - 1) * RowGapPx;
        }

        public int Columns { get; }
        public int Rows { get; }
        /// <summary>A panel's width and height in screen pixels.</summary>
        public int PanelPx { get; }
        public double PanelH { get; }
        /// <summary>All the panels and the gaps between them, in screen pixels.</summary>
        public double PlotW { get; }
        public double PlotH { get; }

        /// <summary>Panel p's left and top edges as fractions of the plot.</summary>
        private (double Left, double Top) Corner(int p) =>
            (p % Columns * (PanelPx + ColGapPx) / PlotW, 1 - p / Columns * (PanelH + RowGapPx) / PlotH);

        private double CellW => PanelPx / PlotW;
        private double CellH => PanelH / PlotH;

        // Tick labels only along the bottom row and the left column (a font for them only there).
        public Axis XAxis(int p, string ya, PlaneGrid grid)
        {
            var (left, _) = Corner(p);
            bool labels = p / Columns == Rows - 1;
            return new Axis
            {
                Domain = new Domain(left, left + CellW), Anchor = ya, Range = [grid.X0, grid.X1],
                ShowTickLabels = labels, TickFont = labels ? new Font { Size = 9 } : null,
            };
        }

        public Axis YAxis(int p, string xa, PlaneGrid grid)
        {
            var (_, top) = Corner(p);
            bool labels = p % Columns == 0;
            return new Axis
            {
                Domain = new Domain(top - CellH, top), Anchor = xa, Range = [grid.Y0, grid.Y1],
                ShowTickLabels = labels, TickFont = labels ? new Font { Size = 9 } : null,
            };
        }

        /// <summary>Panel p's caption, centred above it.</summary>
        public Annotation Caption(int p, string text)
        {
            var (left, top) = Corner(p);
            return new Annotation
            {
                Text = text, X = left + CellW / 2, Y = top, XRef = "paper", YRef = "paper",
                XAnchor = "center", YAnchor = "bottom", ShowArrow = false, Font = new Font { Size = 11 },
            };
        }
    }

    /// <summary>
    /// One hidden unit's panel: its output A over the plane, scaled to its own largest size so a unit whose outputs are small
    /// is as visible as one whose are large (the caption and the hover give the values), and the dashed line where its Z is 0.
    /// Every unit shares one colour scale; <paramref name="colourBar"/> puts its bar on this panel. Every panel carries its
    /// colour scale itself: Plotly.validate rejects a trace's coloraxis.
    /// </summary>
    private static (List<PlotlyTrace> Traces, string Caption) UnitPanel(HiddenPass pass, int unit, string xa, string ya, bool colourBar)
    {
        var (grid, layer, nonNegative) = (pass.Grid, pass.Layer, pass.NonNegative);
        var z = grid.Surface(pass.A, unit);
        double lo = z.SelectMany(v => v).Min(), hi = z.SelectMany(v => v).Max();
        double reach = Math.Max(Math.Abs(lo), Math.Abs(hi));
        string caption = $"unit {unit}: {Number(lo)} … {Number(hi)}" + (pass.Outgoing is null ? "" : $"<br>w→out {Signed(pass.Outgoing[unit])}");
        var scaled = z.Select(v => v.Select(e => reach > 0 ? Math.Round(e / reach, 3) : 0.0).ToArray()).ToArray();
        var activation = new HeatmapTrace
        {
            X = grid.Xs, Y = grid.Ys, Z = scaled, CustomData = z, XAxis = xa, YAxis = ya,
            ColorScale = nonNegative ? Figure.FromZero : Figure.Diverging, ZMin = nonNegative ? 0.0 : -1.0, ZMax = 1.0,
            ShowScale = colourBar,
            ColorBar = colourBar
                ? new ColorBar
                {
                    Title = new Title($"A{layer}[i] ÷ its<br>largest size"),
                    TickVals = nonNegative ? [0.0, 1.0] : [-1.0, 0.0, 1.0], TickText = nonNegative ? ["0", "max"] : ["−max", "0", "+max"],
                    X = 1.02, Y = 0.75, Len = 0.45, Thickness = 12,
                }
                : null,
            Name = $"unit {unit}",
            HoverTemplate = $"A{layer}[{unit}] = %{{customdata:.3f}}<br>x₁ = %{{x:.2f}}, x₂ = %{{y:.2f}}<extra>unit {unit}</extra>",
        };
        return ([activation, Contour(grid.Xs, grid.Ys, grid.Surface(pass.Z, unit), 0.0, xa, ya, $"Z{layer}[i] = 0", "dash")], caption);
    }

    /// <summary>The last panel: the network's output over the plane (P(class 1) and its 0.5 boundary, or the predicted class), on its own colour scale.</summary>
    private static (List<PlotlyTrace> Traces, string Caption) OutputPanel(HiddenPass pass, string xa, string ya)
    {
        var (grid, output, binary) = (pass.Grid, pass.Output, pass.BinaryOutput);
        var z = binary ? grid.Surface(output, 0) : grid.Surface(Metrics.Classes(output));
        var traces = new List<PlotlyTrace>
        {
            new HeatmapTrace
            {
                X = grid.Xs, Y = grid.Ys, Z = z, XAxis = xa, YAxis = ya,
                ColorScale = Figure.Probability, ZMin = 0.0, ZMax = binary ? 1.0 : output.RowCount - 1,
                ColorBar = new ColorBar { Title = new Title(binary ? "P(class 1)" : "class"), X = 1.02, Y = 0.22, Len = 0.45, Thickness = 12 },
                Name = "output",
                HoverTemplate = (binary ? "P(class 1) = %{z:.3f}" : "class %{z}") + "<br>x₁ = %{x:.2f}, x₂ = %{y:.2f}<extra>output</extra>",
            },
        };
        if (binary)
            traces.Add(Contour(grid.Xs, grid.Ys, z, 0.5, xa, ya, "decision boundary P = 0.5", "solid"));
        return (traces, binary ? "output: P(class 1), boundary at 0.5" : "output: predicted class");
    }

    /// <summary>The samples on one panel, a trace per class: class 0 white, the others black; in the legend once (<paramref name="legend"/>).</summary>
    private static IEnumerable<ScatterTrace> SamplePoints(Matrix<double> X, int[] labels, string xa, string ya, bool legend)
    {
        foreach (int cls in labels.Distinct().Order())
        {
            var js = Enumerable.Range(0, labels.Length).Where(j => labels[j] == cls).ToArray();
            yield return new ScatterTrace
            {
                X = js.Select(j => X[0, j]).ToArray(), Y = js.Select(j => X[1, j]).ToArray(), Mode = "markers", XAxis = xa, YAxis = ya,
                Name = cls == 0 ? "class 0 (white)" : $"class {cls} (black)", LegendGroup = $"class {cls}", ShowLegend = legend, HoverInfo = "skip",
                Marker = new Marker
                {
                    Color = cls == 0 ? "#ffffff" : "#111111", Size = X.ColumnCount > 50 ? 4 : 10,
                    Line = new Line { Color = cls == 0 ? "#444444" : "#ffffff", Width = X.ColumnCount > 50 ? 0.5 : 1 },
                },
            };
        }
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
