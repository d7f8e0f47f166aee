using System.Globalization;
using NeuralNet.Data;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>A confusion matrix drawn as a heatmap with the class names on its axes.</summary>
public static class ConfusionCharts
{
    /// <summary>
    /// The matrix as a heatmap: actual classes down (the first at the top), predicted classes across, each
    /// cell labelled with its count. The colour is the cell's share of its row — the fraction of that actual
    /// class that went there — so the diagonal shows each class's recall and a pale cell off it is a
    /// mistake the network makes often. The title gives the accuracy.
    /// </summary>
    /// <param name="matrix">The confusion matrix.</param>
    /// <param name="title">The chart's title; by default "Confusion matrix — c of n right (a%)".</param>
    public static GenericChart Heatmap(ConfusionMatrix matrix, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.ClassCount;
        var names = Labels(matrix.ClassNames);
        var share = new double?[n][];
        var text = new string[n][];
        var custom = new object[n][];
        for (int a = 0; a < n; a++)
        {
            int rowTotal = matrix.ActualCount(a);
            share[a] = new double?[n];
            text[a] = new string[n];
            custom[a] = new object[n];
            for (int p = 0; p < n; p++)
            {
                int count = matrix[a, p];
                share[a][p] = rowTotal == 0 ? null : Math.Round((double)count / rowTotal, 4);
                text[a][p] = count.ToString(CultureInfo.InvariantCulture);
                custom[a][p] = rowTotal == 0 ? "–" : ((double)count / rowTotal * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
            }
        }
        var trace = new HeatmapTrace
        {
            X = names, Y = names, Z = share, Text = text, CustomData = custom,
            TextTemplate = "%{text}", Name = "confusion",
            ColorScale = new ColorScale((0.0, "#ffffff"), (0.15, "#c6dbef"), (0.5, "#4292c6"), (1.0, "#08306b")),
            ZMin = 0.0, ZMax = 1.0, XGap = 1, YGap = 1,
            ColorBar = new ColorBar { Title = new Title("share of<br>actual class") },
            HoverTemplate = "actual %{y}<br>predicted %{x}<br>%{text} samples (%{customdata} of the class)<extra></extra>",
        };
        int size = Math.Clamp(n * 55 + 220, 380, 900);
        string heading = title ?? string.Create(CultureInfo.InvariantCulture,
            $"Confusion matrix — {matrix.Correct:N0} of {matrix.Total:N0} right ({HtmlText.Percent(matrix.Accuracy)})");
        return Figure.Chart([trace], new ChartLayout
        {
            Title = new Title(heading),
            XAxes = [new Axis { Title = new Title("predicted class"), Type = "category", TickAngle = -40, Side = "bottom" }],
            YAxes = [new Axis { Title = new Title("actual class"), Type = "category", AutoRange = "reversed" }],
            Width = size + 120, Height = size,
        });
    }

    // Category axes merge equal labels, so repeated class names are told apart by their index.
    private static string[] Labels(IReadOnlyList<string> names) =>
        names.Select((s, i) => names.Count(t => t == s) > 1 ? $"{s} ({i})" : s).ToArray();
}
