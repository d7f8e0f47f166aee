using System.Globalization;
using System.Net;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Interactive;

/// <summary>
/// The HTML the formatters show: plain tables in the notebook's own font and colours (no fixed
/// colours, so they read on dark and light themes alike), numbers right-aligned in equal-width digits.
/// Every method returns a self-contained fragment.
/// </summary>
public static class HtmlText
{
    /// <summary>Rows and columns shown in full up to this many; above it, the first and last <see cref="EdgeItems"/> with … between (as NumPy does).</summary>
    public const int FullUpTo = 10;

    /// <summary>How many rows (or columns) are shown at each end of an elided matrix.</summary>
    public const int EdgeItems = 3;

    /// <summary>Matrices with at most this many rows and columns are shown inline in the layer tables.</summary>
    public const int InlineUpTo = 6;

    private const string TableStyle = "border-collapse:collapse;font-variant-numeric:tabular-nums;margin:2px 0";
    private const string CellStyle = "padding:2px 8px;text-align:right;border-bottom:1px solid rgba(128,128,128,.25)";
    private const string HeadStyle = "padding:2px 8px;text-align:right;font-weight:600;border-bottom:1px solid rgba(128,128,128,.6)";
    private const string IndexStyle = "padding:2px 6px;text-align:right;opacity:.55;font-size:85%";
    private const string CaptionStyle = "text-align:left;font-weight:600;padding:2px 0";
    private const string NoteStyle = "opacity:.7;font-size:90%";

    /// <summary>
    /// A number as a student reads it: four significant digits, in plain notation between 0.001 and 100 000
    /// and scientific notation outside (1.235e-07), integers without decimals.
    /// </summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "−∞";
        if (value == 0) return "0";
        double abs = Math.Abs(value);
        if (value == Math.Round(value) && abs < 1e6) return value.ToString("0", CultureInfo.InvariantCulture);
        if (abs >= 1e-3 && abs < 1e5)
        {
            int digits = Math.Max(0, 3 - (int)Math.Floor(Math.Log10(abs)));
            return Math.Round(value, digits).ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);
        }
        return value.ToString("0.###e+00", CultureInfo.InvariantCulture);
    }

    /// <summary>A fraction as a percentage with one decimal: 0.975 → "97.5%".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Text made safe to put inside HTML.</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// A matrix as a table: its shape as the caption, then its values with row and column numbers
    /// (0-based, as in NumPy). Above <see cref="FullUpTo"/> rows or columns only the first and last
    /// <see cref="EdgeItems"/> are shown, with ⋮ and … standing for the rest.
    /// </summary>
    public static string Matrix(Matrix<double> matrix, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var html = new StringBuilder();
        html.Append("<div class=\"nn-matrix\">");
        html.Append($"<div style=\"{CaptionStyle}\">{(name is null ? "Matrix" : Escape(name))} {Shape.Of(matrix)}");
        if (matrix.RowCount * matrix.ColumnCount > 1)
            html.Append($" <span style=\"{NoteStyle};font-weight:400\">{matrix.RowCount * matrix.ColumnCount:N0} numbers</span>");
        html.Append("</div>");
        AppendValues(html, matrix, withIndices: true);
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>Just the values of a matrix (elided like <see cref="Matrix"/>), for inline use.</summary>
    internal static void AppendValues(StringBuilder html, Matrix<double> matrix, bool withIndices)
    {
        if (matrix.RowCount == 0 || matrix.ColumnCount == 0)
        {
            html.Append($"<span style=\"{NoteStyle}\">(empty)</span>");
            return;
        }
        var rows = Shown(matrix.RowCount);
        var cols = Shown(matrix.ColumnCount);
        html.Append($"<table style=\"{TableStyle}\">");
        if (withIndices)
        {
            html.Append("<tr><td></td>");
            foreach (int j in cols)
                html.Append(j < 0 ? $"<td style=\"{IndexStyle}\">…</td>" : $"<td style=\"{IndexStyle}\">{j}</td>");
            html.Append("</tr>");
        }
        foreach (int i in rows)
        {
            html.Append("<tr>");
            if (withIndices) html.Append($"<td style=\"{IndexStyle}\">{(i < 0 ? "⋮" : i.ToString(CultureInfo.InvariantCulture))}</td>");
            foreach (int j in cols)
            {
                string text = i < 0 ? (j < 0 ? "⋱" : "⋮") : j < 0 ? "…" : Number(matrix[i, j]);
                html.Append($"<td style=\"{CellStyle}\">{text}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    /// <summary>The indices shown of a dimension of size n; −1 marks the elided middle.</summary>
    internal static int[] Shown(int n) =>
        n <= FullUpTo
            ? Enumerable.Range(0, n).ToArray()
            : [.. Enumerable.Range(0, EdgeItems), -1, .. Enumerable.Range(n - EdgeItems, EdgeItems)];

    /// <summary>A shape, and for a small matrix its values too.</summary>
    internal static string ShapeAndSmallValues(Matrix<double>? matrix)
    {
        if (matrix is null) return $"<span style=\"{NoteStyle}\">—</span>";
        var html = new StringBuilder($"<div>{Shape.Of(matrix)}</div>");
        if (matrix.RowCount <= InlineUpTo && matrix.ColumnCount <= InlineUpTo)
            AppendValues(html, matrix, withIndices: false);
        return html.ToString();
    }

    /// <summary>A shape with the matrix's Frobenius norm ‖·‖, the size of a gradient at a glance.</summary>
    internal static string ShapeAndNorm(Matrix<double>? matrix) =>
        matrix is null
            ? $"<span style=\"{NoteStyle}\">—</span>"
            : $"{Shape.Of(matrix)}<br><span style=\"{NoteStyle}\">‖·‖ = {Number(matrix.FrobeniusNorm())}</span>";

    /// <summary>A table from a header row and body rows of ready-made HTML cells.</summary>
    internal static string Table(string? caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? note = null)
    {
        var html = new StringBuilder("<div class=\"nn-table\">");
        if (caption is not null) html.Append($"<div style=\"{CaptionStyle}\">{caption}</div>");
        html.Append($"<table style=\"{TableStyle}\"><thead><tr>");
        foreach (var h in header) html.Append($"<th style=\"{HeadStyle}\">{h}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append($"<td style=\"{CellStyle};vertical-align:top\">{cell}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (note is not null) html.Append($"<div style=\"{NoteStyle}\">{note}</div>");
        html.Append("</div>");
        return html.ToString();
    }

    internal static string Note(string text) => $"<span style=\"{NoteStyle}\">{text}</span>";
}
