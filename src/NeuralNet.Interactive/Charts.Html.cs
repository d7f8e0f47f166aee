using Plotly.NET;

namespace NeuralNet.Interactive;

public static partial class Charts
{
    // ---------------------------------------------------------------- HTML

    /// <summary>
    /// The chart as a notebook shows it in HTML (a div and its script, see <see cref="ChartOutput.Html"/>):
    /// it draws once the page has plotly.js, which the notebook's setup cell puts there.
    /// </summary>
    public static string ToHtml(GenericChart chart) => ChartOutput.Html(chart);

    /// <summary>
    /// Writes the chart as a complete standalone HTML page. With <paramref name="embedPlotlyJs"/> (the
    /// default) the page carries plotly.js itself (about 3.6 MB, the copy Plotly.NET ships), so it opens
    /// without internet; without it, it loads plotly.js from its CDN (a small file that needs internet).
    /// The page is written as model files are (the core's SafeFile): beside the target under a temporary name, then renamed
    /// over it, so an error or a kill mid-way leaves the previous page whole; the new file keeps the previous one's
    /// permissions; a symbolic link is followed (the file it points to is replaced). Returns the full path written.
    /// </summary>
    /// <exception cref="IOException">when the path is a folder, a device, a read-only file or an unwritable place, or writing fails; the message says which.</exception>
    public static string ToHtmlFile(GenericChart chart, string path, bool embedPlotlyJs = true, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = NeuralNet.Data.SafeFile.CheckWritable(path, path, "chart.html", "an .html file", (message, inner) => new IOException(message, inner));
        string page = ToHtmlPage(chart, embedPlotlyJs, title);
        NeuralNet.Data.SafeFile.WriteAtomically(full, page, (stream, text) => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)),
            (reason, e) => new IOException($"could not write the chart to {full}: {reason} The previous file there, if any, is unchanged.", e));
        return full;
    }

    /// <summary>The standalone page <see cref="ToHtmlFile"/> writes, as a string.</summary>
    public static string ToHtmlPage(GenericChart chart, bool embedPlotlyJs = true, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var reference = embedPlotlyJs
            ? PlotlyJSReference.Full
            : PlotlyJSReference.NewCDN($"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min.js");
        var options = DisplayOptions.init(null, null, null, null, null, null, Microsoft.FSharp.Core.FSharpOption<PlotlyJSReference>.Some(reference));
        var page = GenericChart.toEmbeddedHTML(GenericChart.addDisplayOptions(options, chart));
        // The page must say it is UTF-8, or α, ‖·‖ and ₁ show as mojibake when opened from disk.
        string head = "<meta charset=\"utf-8\"><title>" + HtmlText.Escape(title ?? TitleOf(chart) ?? "NeuralNet chart") + "</title>";
        int at = page.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return at >= 0 ? page.Insert(at + "<head>".Length, head) : "<!DOCTYPE html>" + head + page;
    }

    private static string? TitleOf(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        return layout.TryGetPropertyValue("title") is { } t && t.Value is DynamicObj.DynamicObj title
            && title.TryGetPropertyValue("text") is { } text ? text.Value as string : null;
    }
}
