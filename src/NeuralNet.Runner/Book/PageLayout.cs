using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NeuralNet.Runner.Book;

/// <summary>
/// A page's frame: the book's table of contents (every page, the current one with its sections), previous and next
/// links, and the local style sheets and scripts. Every address is relative, so the book opens from file:// as from a server.
/// </summary>
internal static partial class PageLayout
{
    public const string BookTitle = "NeuralNet — a neural network from scratch, in C#";

    public static string Html(IReadOnlyList<BookPage> pages, int index)
    {
        var page = pages[index];
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(PlainText(page.Title))} · NeuralNet</title>
            <link rel="stylesheet" href="{BookWriter.KatexCss}">
            <link rel="stylesheet" href="{BookWriter.HighlightCss}">
            <link rel="stylesheet" href="{BookWriter.BookCss}">

            """);
        // plotly.js before the body: each chart's script draws as soon as it runs, when window.Plotly exists.
        if (page.Charts > 0) html.Append($"<script src=\"{BookWriter.PlotlyAsset}\"></script>\n");
        html.Append("</head>\n<body>\n<nav class=\"toc\" aria-label=\"Contents\">\n")
            .Append($"<p class=\"book-title\"><a href=\"index.html\">{WebUtility.HtmlEncode(BookTitle)}</a></p>\n");
        foreach (var part in pages.Skip(1).GroupBy(p => p.Part))
        {
            html.Append($"<p class=\"part\">{WebUtility.HtmlEncode(part.Key)}</p>\n<ol>\n");
            foreach (var entry in part)
            {
                bool current = entry == page;
                html.Append(current ? "<li class=\"current\">" : "<li>")
                    .Append($"<a href=\"{entry.File}\"{(current ? " aria-current=\"page\"" : "")}>{Unlinked(entry.Title)}</a>");
                var sections = entry.Headings.Where(h => h.Level == 2).ToList();
                if (current && sections.Count > 0)
                {
                    html.Append("\n<ol class=\"sections\">\n");
                    foreach (var h in sections) html.Append($"<li><a href=\"#{h.Id}\">{Unlinked(h.Html)}</a></li>\n");
                    html.Append("</ol>\n");
                }
                html.Append("</li>\n");
            }
            html.Append("</ol>\n");
        }
        html.Append("</nav>\n<main>\n").Append(PrevNext(pages, index, "top")).Append(page.Body).Append(PrevNext(pages, index, "bottom"))
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string PrevNext(IReadOnlyList<BookPage> pages, int index, string where)
    {
        var html = new StringBuilder($"<nav class=\"prev-next {where}\" aria-label=\"Previous and next\">");
        html.Append(index > 0 ? $"<a class=\"prev\" rel=\"prev\" href=\"{pages[index - 1].File}\">← {Unlinked(pages[index - 1].Title)}</a>" : "<span></span>");
        html.Append(index + 1 < pages.Count ? $"<a class=\"next\" rel=\"next\" href=\"{pages[index + 1].File}\">{Unlinked(pages[index + 1].Title)} →</a>" : "<span></span>");
        return html.Append("</nav>\n").ToString();
    }

    /// <summary>A heading's HTML inside a link: without links of its own.</summary>
    private static string Unlinked(string html) => Anchor().Replace(html, "");

    private static string PlainText(string html) => Tag().Replace(html, "").Trim();

    [GeneratedRegex("</?a\\b[^>]*>")]
    private static partial Regex Anchor();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();
}
