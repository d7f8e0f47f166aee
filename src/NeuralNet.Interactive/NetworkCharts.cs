using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// Pictures of a network itself: its units and weights (<see cref="Diagram"/>), what each hidden unit
/// computes over the input plane (<see cref="HiddenUnits"/>), and a picture-classifier's first-layer
/// weights as images (<see cref="WeightImages(Network, int, int, int, int, int, string?)"/>).
/// </summary>
public static partial class NetworkCharts
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
        if (gradients is not null) CheckGradientsFit(network, gradients);
        var d = new DiagramParts(network, gradients, maxUnits);
        List<PlotlyTrace> traces = [.. WeightLines(d), WeightHovers(d), UnitMarkers(d)];
        return Figure.Chart(traces, new ChartLayout
        {
            Title = new Title(title ?? DiagramHeading(d)) { Font = new Font { Size = 14 } },
            XAxes = [Figure.HiddenAxis with { Range = [-0.4, d.L + 0.4] }],
            YAxes = [Figure.HiddenAxis with { Range = [-(d.Tallest - 1) / 2.0 - 0.7, (d.Tallest - 1) / 2.0 + 1.6] }],
            Annotations = LayerHeaders(d),
            PlotBgColor = "#ffffff", HoverMode = "closest", ModeBar = new ModeBar { Orientation = "v" },
            Margin = new Margin { L = 20, R = 40, T = 70, B = 20 },
            Width = Math.Clamp(d.L * 200 + 250, 600, 1200), Height = Math.Clamp(d.Tallest * 34 + 180, 330, 900),
        });
    }

    /// <summary>Gradients drawn on a network must be of that network: one per layer, each dW of its W's shape.</summary>
    private static void CheckGradientsFit(Network network, Gradients gradients)
    {
        int L = network.Layers.Count;
        if (gradients.Count != L)
            throw new ArgumentException($"The gradients are of a {gradients.Count}-layer network, but this network has {L} layers.", nameof(gradients));
        foreach (var layer in network.Layers)
            if (gradients[layer.Index].dW.RowCount != layer.W.RowCount || gradients[layer.Index].dW.ColumnCount != layer.W.ColumnCount)
                throw new ShapeMismatchException(
                    $"Layer {layer.Index}: dW is {Shape.Of(gradients[layer.Index].dW)} but W is {Shape.Of(layer.W)}; these gradients belong to another network.");
    }

    /// <summary>
    /// What <see cref="Diagram"/> draws: the network's W and b, or a backward pass's dW and db (named <see cref="W"/> and
    /// <see cref="B"/>), the first <see cref="Shown"/> units of each layer, and where each unit sits.
    /// </summary>
    private sealed class DiagramParts
    {
        public DiagramParts(Network network, Gradients? gradients, int maxUnits)
        {
            (Network, Gradients) = (network, gradients);
            Sizes = network.LayerSizes;
            Shown = Sizes.Select(n => Math.Min(n, maxUnits)).ToArray();
            MaxW = Enumerable.Range(1, L).SelectMany(l => Weights(l).Enumerate()).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            MaxB = Enumerable.Range(1, L).SelectMany(l => Biases(l).Enumerate()).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        }

        public Network Network { get; }
        public Gradients? Gradients { get; }
        public int L => Network.Layers.Count;
        public string W => Gradients is null ? "W" : "dW";
        public string B => Gradients is null ? "b" : "db";
        /// <summary>Units per layer, the inputs first; and how many of them are drawn.</summary>
        public int[] Sizes { get; }
        public int[] Shown { get; }
        public int Tallest => Shown.Max();
        /// <summary>The largest finite |weight| and |bias| drawn, the ends of their colour scales.</summary>
        public double MaxW { get; }
        public double MaxB { get; }

        public Matrix<double> Weights(int l) => Gradients is { } g ? g[l].dW : Network.Layers[l].W;
        public Matrix<double> Biases(int l) => Gradients is { } g ? g[l].db : Network.Layers[l].b;

        /// <summary>Unit 0 on top, each column centred.</summary>
        public double UnitY(int layer, int unit) => (Shown[layer] - 1) / 2.0 - unit;

        /// <summary>Every line drawn: the weight from unit j of layer l−1 to unit i of layer l, layer by layer, i then j.</summary>
        public IEnumerable<(int Layer, int I, int J, double Value)> Connections()
        {
            for (int l = 1; l <= L; l++)
            {
                var m = Weights(l);
                for (int i = 0; i < Shown[l]; i++)
                    for (int j = 0; j < Shown[l - 1]; j++)
                        yield return (l, i, j, m[i, j]);
            }
        }
    }

    /// <summary>
    /// One line per weight, coloured by its sign and as thick as its size (on the scale of the largest), grouped into
    /// 21 bins of colour and thickness: one trace per bin keeps the page small.
    /// </summary>
    private static IEnumerable<PlotlyTrace> WeightLines(DiagramParts d)
    {
        const int bins = 10;
        var binX = Enumerable.Range(0, 2 * bins + 1).Select(_ => new List<double?>()).ToArray();
        var binY = Enumerable.Range(0, 2 * bins + 1).Select(_ => new List<double?>()).ToArray();
        foreach (var (l, i, j, v) in d.Connections())
        {
            double s = d.MaxW == 0 || !double.IsFinite(v) ? 0 : v / d.MaxW;
            int bin = (int)Math.Round(s * bins) + bins;
            binX[bin].AddRange([l - 1, l, null]);
            binY[bin].AddRange([d.UnitY(l - 1, j), d.UnitY(l, i), null]);
        }
        for (int k = 0; k <= 2 * bins; k++)
        {
            if (binX[k].Count == 0) continue;
            double s = (k - bins) / (double)bins;
            yield return new ScatterTrace
            {
                X = binX[k].ToArray(), Y = binY[k].ToArray(), Mode = "lines",
                Line = new Line { Color = DivergingColor(s), Width = 0.6 + 5.4 * Math.Abs(s) },
                HoverInfo = "skip", ShowLegend = false, Name = $"{d.W} ≈ {(s * d.MaxW).ToString("G2", Invariant)}",
            };
        }
    }

    /// <summary>Invisible points a third of the way along each line (crossing lines rarely share it) carry its hover text, and the lines' colour bar.</summary>
    private static ScatterTrace WeightHovers(DiagramParts d)
    {
        var x = new List<double>();
        var y = new List<double>();
        var text = new List<string>();
        foreach (var (l, i, j, v) in d.Connections())
        {
            x.Add(l - 1 + 0.35);
            y.Add(d.UnitY(l - 1, j) + 0.35 * (d.UnitY(l, i) - d.UnitY(l - 1, j)));
            text.Add($"{d.W}{l}[{i}, {j}] = {v.ToString("G4", Invariant)}<br>from {UnitName(l - 1, j)} to {UnitName(l, i)}");
        }
        double maxW = d.MaxW;
        return new ScatterTrace
        {
            X = x.ToArray(), Y = y.ToArray(), Mode = "markers",
            Marker = new Marker
            {
                Size = 10, Opacity = 0, Color = new[] { -maxW, maxW }, CMin = -Math.Max(maxW, 1e-12), CMax = Math.Max(maxW, 1e-12),
                ColorScale = Figure.Diverging, ShowScale = true,
                ColorBar = new ColorBar
                {
                    Title = new Title($"line: {d.W}"), Len = 0.6, Thickness = 14,
                    TickVals = [-maxW, 0, maxW], TickText = [(-maxW).ToString("0.###", Invariant), "0", maxW.ToString("0.###", Invariant)],
                },
            },
            CustomData = text.ToArray(), HoverTemplate = "%{customdata}<extra></extra>", Name = "weights", ShowLegend = false,
        };
    }

    /// <summary>One circle per unit, numbered when there is room: inputs grey, the others filled with the colour of their bias.</summary>
    private static ScatterTrace UnitMarkers(DiagramParts d)
    {
        var x = new List<double>();
        var y = new List<double>();
        var colors = new List<string>();
        var hover = new List<string>();
        var text = new List<string>();
        for (int l = 0; l <= d.L; l++)
            for (int i = 0; i < d.Shown[l]; i++)
            {
                x.Add(l);
                y.Add(d.UnitY(l, i));
                text.Add(i.ToString(Invariant));
                if (l == 0)
                {
                    colors.Add("#eeeeee");
                    hover.Add($"input {i} (row {i} of X)");
                }
                else
                {
                    double bias = d.Biases(l)[i, 0];
                    colors.Add(DivergingColor(d.MaxB == 0 || !double.IsFinite(bias) ? 0 : 0.6 * bias / d.MaxB));   // 0.6: pale enough to read the number on
                    hover.Add($"{UnitName(l, i)}<br>{d.B}{l}[{i}] = {bias.ToString("G4", Invariant)}<br>activation {d.Network.Layers[l].Activation.Name}");
                }
            }
        double markerSize = Math.Clamp(300.0 / d.Tallest, 9, 26);
        return new ScatterTrace
        {
            X = x.ToArray(), Y = y.ToArray(), Mode = markerSize >= 16 ? "markers+text" : "markers",
            Text = text.ToArray(), TextPosition = "middle center", TextFont = new Font { Size = 10 },
            Marker = new Marker { Size = markerSize, Color = colors.ToArray(), Line = new Line { Color = "#333333", Width = 1.2 } },
            CustomData = hover.ToArray(), HoverTemplate = "%{customdata}<extra></extra>", Name = "units", ShowLegend = false,
        };
    }

    /// <summary>Above each column: the layer, its activation and how many of its units are drawn.</summary>
    private static List<Annotation> LayerHeaders(DiagramParts d)
    {
        var headers = new List<Annotation>();
        for (int l = 0; l <= d.L; l++)
        {
            string what = l == 0 ? "inputs" : (l == d.L ? "output layer " : "layer ") + $"{l}<br>{d.Network.Layers[l].Activation.Name}";
            int shown = d.Shown[l], size = d.Sizes[l];
            string count = shown < size ? $"{shown} of {size:N0} shown" : $"{size} unit{(size == 1 ? "" : "s")}";
            headers.Add(new Annotation
            {
                Text = $"{what}<br>{count}", X = l, Y = (d.Tallest - 1) / 2.0 + 0.6, XRef = "x", YRef = "y",
                YAnchor = "bottom", ShowArrow = false, Font = new Font { Size = 12 },
            });
        }
        return headers;
    }

    private static string DiagramHeading(DiagramParts d) => d.Gradients is not null
        ? $"Network [{string.Join(" → ", d.Sizes)}] after a backward pass<br><sub>line: dW (red +, blue −, thicker = larger |dW|) · unit fill: its db (red +, blue −)</sub>"
        : $"Network [{string.Join(" → ", d.Sizes)}]<br><sub>line: weight W (red +, blue −, thicker = larger |W|) · unit fill: its bias b (red +, blue −)</sub>";

    private static string UnitName(int layer, int unit) => layer == 0 ? $"input {unit}" : $"unit {unit} of layer {layer}";

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
