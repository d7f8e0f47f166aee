using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

public static partial class NetworkCharts
{
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
}
