using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

public static partial class Charts
{
    // ---------------------------------------------------------------- matrices

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
}
