using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeuralNet.Interactive;

namespace NeuralNet.Runner.Book;

/// <summary>
/// An executed notebook as a page: Markdown cells through <see cref="BookMarkdown"/>; code cells highlighted, with their
/// outputs as saved (HTML outputs — tables, charts — as they are, text as preformatted text), so every number is the
/// executed copy's. The one output replaced is the setup cell's plotly.js (3.6 MB, in every notebook): the book loads
/// the same plotly.js once, from its assets.
/// </summary>
internal static partial class NotebookPage
{
    /// <summary>Reads <paramref name="ipynb"/> (an executed copy) into a page named <paramref name="file"/>.</summary>
    public static BookPage Read(string ipynb, string file, string folder, string part, BookMarkdown markdown, Typesetter typesetter)
    {
        var notebook = Notebook.Load(ipynb);
        var json = notebook.Json["cells"]!.AsArray();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        var headings = new List<Heading>();
        var body = new StringBuilder();
        int charts = 0;
        string where = Path.Combine(folder, Path.GetFileName(ipynb)).Replace('\\', '/');
        foreach (var cell in notebook.Cells)
        {
            string at = $"{where}, {cell.Describe()}";
            switch (cell.Kind)
            {
                case "markdown":
                    body.Append("<section class=\"cell markdown\">\n")
                        .Append(markdown.ToHtml(cell.Source, folder, at, usedIds, headings))
                        .Append("</section>\n");
                    break;
                case "code":
                    var cellJson = json[cell.Index]!.AsObject();
                    string count = cellJson["execution_count"] is JsonValue n && n.TryGetValue(out int c) ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : " ";
                    string language = HighlightName(cell.KernelName);
                    body.Append("<section class=\"cell code\">\n")
                        .Append($"<div class=\"input\"><span class=\"prompt\">[{count}]</span><pre class=\"code\"><code class=\"hljs language-{language}\">")
                        .Append(typesetter.Code(cell.Source, language, at))
                        .Append("</code></pre></div>\n");
                    foreach (var output in cellJson["outputs"] as JsonArray ?? [])
                    {
                        var (html, isChart) = Output(output!.AsObject());
                        if (isChart) charts++;
                        body.Append("<div class=\"output\">").Append(html).Append("</div>\n");
                    }
                    body.Append("</section>\n");
                    break;
                default:
                    body.Append("<section class=\"cell raw\"><pre>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre></section>\n");
                    break;
            }
        }
        string title = headings.FirstOrDefault(h => h.Level == 1)?.Html ?? notebook.Name;
        return new BookPage(file, title, part, body.ToString(), headings, charts);
    }

    /// <summary>An output as the notebook shows it, and whether it is a chart.</summary>
    private static (string Html, bool Chart) Output(JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                string stream = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout";
                return ($"<pre class=\"{stream}\">{WebUtility.HtmlEncode(Text(output["text"]))}</pre>", false);
            case "error":
                string trace = string.Join("\n", (output["traceback"] as JsonArray ?? []).Select(Text));
                return ($"<pre class=\"error\">{WebUtility.HtmlEncode(Ansi().Replace(trace.Length > 0 ? trace : $"{Text(output["ename"])}: {Text(output["evalue"])}", ""))}</pre>", false);
        }
        var data = output["data"] as JsonObject ?? [];
        if (data["text/html"] is { } htmlValue)
        {
            string html = Text(htmlValue);
            if (html.Contains("class=\"nn-plotly-loader\"", StringComparison.Ordinal))
                return ($"<div class=\"nn-plotly-loader\">Charts: plotly.js {ChartOutput.PlotlyJsVersion}, the copy the notebooks load, is in this book "
                    + $"({BookWriter.PlotlyAsset}); every chart below is drawn with it.</div>", false);
            return ($"<div class=\"html\">{html}</div>", html.Contains($"class=\"{ChartOutput.CssClass}\"", StringComparison.Ordinal));
        }
        foreach (var image in new[] { "image/svg+xml", "image/png", "image/jpeg" })
        {
            if (data[image] is not { } value) continue;
            string content = Text(value);
            return image == "image/svg+xml" ? ($"<div class=\"svg\">{content}</div>", false)
                : ($"<img alt=\"an image output\" src=\"data:{image};base64,{content.Replace("\n", "", StringComparison.Ordinal)}\">", false);
        }
        if (data["text/plain"] is { } plain) return ($"<pre class=\"stdout\">{WebUtility.HtmlEncode(Text(plain))}</pre>", false);
        var json = data.FirstOrDefault(p => p.Key.EndsWith("json", StringComparison.Ordinal));
        return json.Value is null ? ("", false)
            : ($"<pre class=\"stdout\">{WebUtility.HtmlEncode(json.Value.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))}</pre>", false);
    }

    /// <summary>nbformat's multiline string (a string or a list of lines) as one string.</summary>
    private static string Text(JsonNode? value) => value switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue v when v.TryGetValue(out string? s) => s,
        null => "",
        _ => value.ToJsonString(),
    };

    /// <summary>The kernel's name for a cell's language as highlight.js names it.</summary>
    private static string HighlightName(string? kernel) => kernel switch
    {
        "fsharp" => "fsharp",
        "pwsh" => "powershell",
        "html" => "xml",
        "http" => "http",
        _ => "csharp",
    };

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Ansi();
}
