using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// Pictures of a network itself: its units and weights (<see cref="Diagram"/>), what each hidden unit
/// computes over the input plane (<see cref="HiddenUnits"/>), and a picture-classifier's first-layer
/// weights as images (<see cref="WeightImages(Network, int, int, int, int, int, string?)"/>).
/// </summary>
public static class NetworkCharts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // ---------------------------------------------------------------- the diagram

    /// <summary>
    /// The network drawn as units and connections: one column per layer (the inputs on the left), one
    /// circle per unit, one line per weight W_l[i, j] from unit j of layer l−1 to unit i of layer l.
    /// A line's colour is the weight's sign (red positive, blue negative) and its thickness its size; a
    /// unit's colour is its bias. Given <paramref name="gradients"/> (a backward pass of this network), the
    /// lines and units show dW and db instead: which weights the next step would change, and which way.
    /// Layers wider than <paramref name="maxUnits"/> show their first units only (the column says so).
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="gradients">Optional: gradients of this network, to draw dW and db instead of W and b.</param>
    /// <param name="maxUnits">The most units drawn per layer.</param>
    /// <param name="title">The chart's title; by default it gives the layer sizes and what colour and thickness mean.</param>
    public static GenericChart Diagram(Network network, Gradients? gradients = null, int maxUnits = 16, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (maxUnits is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(maxUnits), $"Draw between 1 and 64 units per layer, not {maxUnits}.");
        int L = network.Layers.Count;
        if (gradients is not null)
        {
            if (gradients.Count != L)
                throw new ArgumentException($"The gradients are of a {gradients.Count}-layer network, but this network has {L} layers.", nameof(gradients));
            foreach (var layer in network.Layers)
                if (gradients[layer.Index].dW.RowCount != layer.W.RowCount || gradients[layer.Index].dW.ColumnCount != layer.W.ColumnCount)
                    throw new ShapeMismatchException(
                        $"Layer {layer.Index}: dW is {Shape.Of(gradients[layer.Index].dW)} but W is {Shape.Of(layer.W)}; these gradients belong to another network.");
        }
        bool grads = gradients is not null;
        string w = grads ? "dW" : "W", b = grads ? "db" : "b";
        int[] sizes = network.LayerSizes;
        int[] shown = sizes.Select(n => Math.Min(n, maxUnits)).ToArray();
        double UnitY(int layer, int unit) => (shown[layer] - 1) / 2.0 - unit;   // unit 0 on top, each column centred

        Matrix<double> Weights(int l) => grads ? gradients![l].dW : network.Layers[l].W;
        Matrix<double> Biases(int l) => grads ? gradients![l].db : network.Layers[l].b;
        double maxW = Enumerable.Range(1, L).SelectMany(l => Weights(l).Enumerate()).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        double maxB = Enumerable.Range(1, L).SelectMany(l => Biases(l).Enumerate()).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();

        // Lines, grouped into 21 bins of colour and thickness (one trace per bin keeps the page small).
        const int bins = 10;
        var binX = Enumerable.Range(0, 2 * bins + 1).Select(_ => new List<double?>()).ToArray();
        var binY = Enumerable.Range(0, 2 * bins + 1).Select(_ => new List<double?>()).ToArray();
        var midX = new List<double>();
        var midY = new List<double>();
        var midText = new List<string>();
        for (int l = 1; l <= L; l++)
        {
            var m = Weights(l);
            for (int i = 0; i < shown[l]; i++)
                for (int j = 0; j < shown[l - 1]; j++)
                {
                    double v = m[i, j];
                    double s = maxW == 0 || !double.IsFinite(v) ? 0 : v / maxW;
                    int bin = (int)Math.Round(s * bins) + bins;
                    binX[bin].AddRange([l - 1, l, null]);
                    binY[bin].AddRange([UnitY(l - 1, j), UnitY(l, i), null]);
                    midX.Add(l - 1 + 0.35);   // a third of the way along: crossing lines rarely share it
                    midY.Add(UnitY(l - 1, j) + 0.35 * (UnitY(l, i) - UnitY(l - 1, j)));
                    midText.Add($"{w}{l}[{i}, {j}] = {v.ToString("G4", Invariant)}<br>from {UnitName(l - 1, j)} to {UnitName(l, i)}");
                }
        }
        var traces = new List<PlotlyTrace>();
        for (int k = 0; k <= 2 * bins; k++)
        {
            if (binX[k].Count == 0) continue;
            double s = (k - bins) / (double)bins;
            traces.Add(new ScatterTrace
            {
                X = binX[k].ToArray(), Y = binY[k].ToArray(), Mode = "lines",
                Line = new Line { Color = DivergingColor(s), Width = 0.6 + 5.4 * Math.Abs(s) },
                HoverInfo = "skip", ShowLegend = false, Name = $"{w} ≈ {(s * maxW).ToString("G2", Invariant)}",
            });
        }
        // Invisible points a third of the way along each line carry its hover text (and the colour bar).
        traces.Add(new ScatterTrace
        {
            X = midX.ToArray(), Y = midY.ToArray(), Mode = "markers",
            Marker = new Marker
            {
                Size = 10, Opacity = 0, Color = new[] { -maxW, maxW }, CMin = -Math.Max(maxW, 1e-12), CMax = Math.Max(maxW, 1e-12),
                ColorScale = Figure.Diverging, ShowScale = true,
                ColorBar = new ColorBar
                {
                    Title = new Title($"line: {w}"), Len = 0.6, Thickness = 14,
                    TickVals = [-maxW, 0, maxW], TickText = [(-maxW).ToString("0.###", Invariant), "0", maxW.ToString("0.###", Invariant)],
                },
            },
            CustomData = midText.ToArray(), HoverTemplate = "%{customdata}<extra></extra>", Name = "weights", ShowLegend = false,
        });

        // Units: inputs grey, the others coloured by their bias.
        var ux = new List<double>();
        var uy = new List<double>();
        var colors = new List<string>();
        var hover = new List<string>();
        var text = new List<string>();
        for (int l = 0; l <= L; l++)
            for (int i = 0; i < shown[l]; i++)
            {
                ux.Add(l);
                uy.Add(UnitY(l, i));
                text.Add(i.ToString(Invariant));
                if (l == 0)
                {
                    colors.Add("#eeeeee");
                    hover.Add($"input {i} (row {i} of X)");
                }
                else
                {
                    double bias = Biases(l)[i, 0];
                    colors.Add(DivergingColor(maxB == 0 || !double.IsFinite(bias) ? 0 : 0.6 * bias / maxB));   // 0.6: pale enough to read the number on
                    hover.Add($"{UnitName(l, i)}<br>{b}{l}[{i}] = {bias.ToString("G4", Invariant)}<br>activation {network.Layers[l].Activation.Name}");
                }
            }
        int tallest = shown.Max();
        double markerSize = Math.Clamp(300.0 / tallest, 9, 26);
        traces.Add(new ScatterTrace
        {
            X = ux.ToArray(), Y = uy.ToArray(), Mode = markerSize >= 16 ? "markers+text" : "markers",
            Text = text.ToArray(), TextPosition = "middle center", TextFont = new Font { Size = 10 },
            Marker = new Marker { Size = markerSize, Color = colors.ToArray(), Line = new Line { Color = "#333333", Width = 1.2 } },
            CustomData = hover.ToArray(), HoverTemplate = "%{customdata}<extra></extra>", Name = "units", ShowLegend = false,
        });

        var headers = new List<Annotation>();
        for (int l = 0; l <= L; l++)
        {
            string what = l == 0 ? "inputs" : l == L ? $"output layer {l}<br>{network.Layers[l].Activation.Name}" : $"layer {l}<br>{network.Layers[l].Activation.Name}";
            string count = shown[l] < sizes[l] ? $"{shown[l]} of {sizes[l]:N0} shown" : $"{sizes[l]} unit{(sizes[l] == 1 ? "" : "s")}";
            headers.Add(new Annotation
            {
                Text = $"{what}<br>{count}", X = l, Y = (tallest - 1) / 2.0 + 0.6, XRef = "x", YRef = "y",
                YAnchor = "bottom", ShowArrow = false, Font = new Font { Size = 12 },
            });
        }
        string heading = title ?? (grads
            ? $"Network [{string.Join(" → ", sizes)}] after a backward pass<br><sub>line: dW (red +, blue −, thicker = larger |dW|) · unit fill: its db (red +, blue −)</sub>"
            : $"Network [{string.Join(" → ", sizes)}]<br><sub>line: weight W (red +, blue −, thicker = larger |W|) · unit fill: its bias b (red +, blue −)</sub>");
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(heading) { Font = new Font { Size = 14 } },
            XAxes = [Figure.HiddenAxis with { Range = [-0.4, L + 0.4] }],
            YAxes = [Figure.HiddenAxis with { Range = [-(tallest - 1) / 2.0 - 0.7, (tallest - 1) / 2.0 + 1.6] }],
            Annotations = headers,
            PlotBgColor = "#ffffff", HoverMode = "closest", ModeBar = new ModeBar { Orientation = "v" },
            Margin = new Margin { L = 20, R = 40, T = 70, B = 20 },
            Width = Math.Clamp(L * 200 + 250, 600, 1200), Height = Math.Clamp(tallest * 34 + 180, 330, 900),
        });

        static string UnitName(int layer, int unit) => layer == 0 ? $"input {unit}" : $"unit {unit} of layer {layer}";
    }

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
        if (X.RowCount != 2)
            throw new ShapeMismatchException($"X must be (2 × m), one column per sample; it is {Shape.Of(X)}.{(X.ColumnCount == 2 ? " Try X.Transpose()." : "")}");
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

        var (x0, x1) = Range(X.Row(0));
        var (y0, y1) = Range(X.Row(1));
        var gx = Enumerable.Range(0, resolution).Select(i => Math.Round(x0 + (x1 - x0) * i / (resolution - 1), 4)).ToArray();
        var gy = Enumerable.Range(0, resolution).Select(i => Math.Round(y0 + (y1 - y0) * i / (resolution - 1), 4)).ToArray();
        var grid = Matrix<double>.Build.Dense(2, resolution * resolution, (r, c) => r == 0 ? gx[c % resolution] : gy[c / resolution]);
        var forward = network.Forward(grid);
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
            var z = Panel(values, row, resolution, binaryOutput || !isOutput ? null : Metrics.Classes(output));
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
                traces.Add(Contour(gx, gy, Panel(Z, unit, resolution, null), 0.0, xa, ya, $"Z{layer}[i] = 0", "dash"));
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

    private static double[][] Panel(Matrix<double> values, int row, int resolution, int[]? classes)
    {
        var z = new double[resolution][];
        for (int k = 0; k < resolution; k++)
        {
            z[k] = new double[resolution];
            for (int i = 0; i < resolution; i++)
                z[k][i] = classes is null ? Math.Round(values[row, k * resolution + i], 4) : classes[k * resolution + i];
        }
        return z;
    }

    /// <summary>The one contour line z = level, black, without fill (so without a colour scale).</summary>
    private static ContourTrace Contour(double[] gx, double[] gy, double[][] z, double level, string xa, string ya, string name, string dash) => new()
    {
        X = gx, Y = gy, Z = z, XAxis = xa, YAxis = ya, Name = name, HoverInfo = "skip", ShowLegend = false,
        Contours = new Contours { Start = level, End = level, Size = 1.0, Coloring = "none" },
        Line = new Line { Width = 2, Color = "black", Dash = dash },
    };

    private static (double Low, double High) Range(Vector<double> values)
    {
        double lo = values.Minimum(), hi = values.Maximum();
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
            throw new ArgumentException("X contains NaN or infinite values; the input plane needs finite coordinates.");
        double pad = hi - lo < 1e-9 ? 1 : (hi - lo) * 0.15;
        return (lo - pad, hi + pad);
    }

    // ---------------------------------------------------------------- first-layer weights as images

    /// <summary>
    /// Layer <paramref name="layer"/>'s weights drawn as pictures, one per unit: row i of W_l holds one
    /// weight per input pixel, so laid out as the input image (width × height) it shows which pixels raise
    /// the unit's sum (red) and which lower it (blue). Each picture has its own colour scale, symmetric
    /// around 0 and reaching its own largest |w| (given in its caption); hover for the weight itself.
    /// </summary>
    /// <param name="network">The network, e.g. one whose inputs are 28 × 28 pictures.</param>
    /// <param name="count">How many units, from unit 0 on.</param>
    /// <param name="columns">Pictures per row.</param>
    /// <param name="width">Pixels per picture row; with <paramref name="height"/> 0 both are √(inputs).</param>
    /// <param name="height">Pixel rows per picture.</param>
    /// <param name="layer">Which layer's weights; its inputs must be the pictures, so usually 1.</param>
    /// <param name="title">The chart's title.</param>
    public static GenericChart WeightImages(Network network, int count = 16, int columns = 8, int width = 0, int height = 0,
        int layer = 1, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return WeightImages(network.Layers[layer].W, $"W{layer}", count, columns, width, height,
            title ?? $"Layer {layer}'s weights, one picture per unit (row of W{layer}): red pixels raise the unit's sum, blue ones lower it");
    }

    /// <summary>
    /// The rows of any (units × pixels) matrix as pictures, as <see cref="WeightImages(Network, int, int, int, int, int, string?)"/>
    /// draws a layer's W — e.g. the change training made, <c>W1 − W1 at the start</c>.
    /// </summary>
    /// <param name="weights">One row per unit, one column per input pixel.</param>
    /// <param name="name">The matrix's name in hover texts, e.g. "ΔW1".</param>
    /// <param name="count">How many rows, from row 0 on.</param>
    /// <param name="columns">Pictures per row.</param>
    /// <param name="width">Pixels per picture row; with <paramref name="height"/> 0 both are √(columns of the matrix).</param>
    /// <param name="height">Pixel rows per picture.</param>
    /// <param name="title">The chart's title.</param>
    public static GenericChart WeightImages(Matrix<double> weights, string name, int count = 16, int columns = 8, int width = 0, int height = 0,
        string? title = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var W = weights;
        (width, height) = Charts.PictureSize(W.ColumnCount, width, height, $"{name} is {Shape.Of(W)}: its {W.ColumnCount} columns (inputs)", nameof(weights));
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "Show at least one unit.");
        count = Math.Min(count, W.RowCount);
        var mosaic = new Charts.Mosaic(count, Math.Clamp(columns, 1, count), width, height);
        var z = mosaic.Grid<double?>();
        var real = mosaic.Grid<string?>();
        var annotations = new List<Annotation>();
        for (int i = 0; i < count; i++)
        {
            var (top, left) = mosaic.Corner(i);
            double max = W.Row(i).Enumerate().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (int pr = 0; pr < height; pr++)
                for (int pc = 0; pc < width; pc++)
                {
                    double v = W[i, pr * width + pc];
                    if (!double.IsFinite(v)) continue;
                    z[top + pr][left + pc] = max == 0 ? 0 : Math.Round(v / max, 3);
                    real[top + pr][left + pc] = $"{name}[{i}, {pr * width + pc}] = {v.ToString("G3", Invariant)} (pixel row {pr}, column {pc})";
                }
            annotations.Add(mosaic.Caption(i, $"unit {i} · max |w| {max.ToString("0.###", Invariant)}", fontSize: 10));
        }
        // −1 … 1: 0 is the scale's middle, white.
        var trace = new HeatmapTrace
        {
            Z = z, CustomData = real, Name = $"{name} rows",
            ColorScale = Figure.Diverging, ZMin = -1.0, ZMax = 1.0,
            ColorBar = new ColorBar { Title = new Title("w / max |w|<br>of its unit"), Thickness = 12, Len = 0.7 },
            HoverOnGaps = false, HoverTemplate = "%{customdata}<extra></extra>",
        };
        var (screenWidth, screenHeight) = mosaic.OnScreen(mosaic.Zoom(1000, least: 2));
        string heading = title ?? $"{name}, one picture per row: red positive, blue negative";
        return Figure.Chart([trace], new ChartLayout
        {
            Title = new Title(heading) { Font = new Font { Size = 14 } },
            XAxes = [Figure.HiddenAxis with { Constrain = "domain" }],
            YAxes = [Figure.HiddenAxis with { AutoRange = "reversed", ScaleAnchor = "x" }],
            Annotations = annotations,
            PlotBgColor = "rgba(0,0,0,0)",
            Margin = new Margin { L = 10, R = 10, T = 60, B = 10 },
            Width = screenWidth + 120, Height = screenHeight + 80,
        });
    }

    // ---------------------------------------------------------------- colours

    /// <summary>The colour of s ∈ [−1, 1] on the workbook's diverging scale: blue at −1, near-white at 0, red at +1.</summary>
    internal static string DivergingColor(double s)
    {
        if (!double.IsFinite(s)) s = 0;
        s = Math.Clamp(s, -1, 1);
        var stops = Figure.Diverging.Stops;
        double t = (s + 1) / 2;
        for (int k = 1; k < stops.Length; k++)
        {
            double p0 = stops[k - 1].At, p1 = stops[k].At;
            if (t > p1 && k < stops.Length - 1) continue;
            var (r0, g0, b0) = Rgb(stops[k - 1].Color);
            var (r1, g1, b1) = Rgb(stops[k].Color);
            double f = p1 == p0 ? 0 : Math.Clamp((t - p0) / (p1 - p0), 0, 1);
            return $"#{Mix(r0, r1, f):x2}{Mix(g0, g1, f):x2}{Mix(b0, b1, f):x2}";
        }
        return stops[^1].Color;

        static int Mix(int a, int b, double f) => (int)Math.Round(a + (b - a) * f);
        static (int, int, int) Rgb(string hex) => (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
    }
}
