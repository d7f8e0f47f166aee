using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;

namespace NeuralNet.Interactive;

public static partial class Charts
{
    // ---------------------------------------------------------------- pictures

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
}
