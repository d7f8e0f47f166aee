using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NeuralNet.Runner.Book;

/// <summary>A heading of a page, for its table of contents: level, anchor and its HTML (typeset placeholders included).</summary>
internal sealed record Heading(int Level, string Id, string Html);

/// <summary>
/// The notebooks' Markdown as HTML, with Markdig: GitHub-like tables, <c>$…$</c> and <c>$$…$$</c> math (Markdig's math
/// extension; each formula goes to the <see cref="Typesetter"/>), fenced code highlighted, links to a notebook pointed
/// at its page, and a notebook's name in backticks (<c>`03-weight-updates-and-training`</c>) made a link to it. A link to a
/// file of the repository that is not in the book (docs/setup.md) becomes its text and where that file is: the book has
/// no page to send the reader to, and a link to nothing would be a broken one.
/// </summary>
internal sealed class BookMarkdown(Typesetter typesetter, IReadOnlyDictionary<string, string> pages, string notebooksDir)
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseListExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .Build();

    /// <summary>Links that point at nothing in the book: the source, the link.</summary>
    public List<string> BrokenLinks { get; } = [];

    /// <summary>
    /// One Markdown text as HTML. <paramref name="folder"/> is where its file sits in the workbook ("" for notebooks/,
    /// "solutions"), for its relative links; <paramref name="usedIds"/> the page's anchors so far (kept unique);
    /// its headings are added to <paramref name="headings"/>.
    /// </summary>
    public string ToHtml(string markdown, string folder, string where, HashSet<string> usedIds, List<Heading> headings)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        Relink(document, folder, where);

        using var writer = new StringWriter();
        var renderer = Renderer(writer, where);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var attributes = heading.GetAttributes();
            string id = string.IsNullOrEmpty(attributes.Id) ? "section" : attributes.Id;
            string unique = id;
            for (int n = 2; !usedIds.Add(unique); n++) unique = $"{id}-{n}";
            attributes.Id = unique;
            using var text = new StringWriter();
            var inline = Renderer(text, where);
            inline.EnableHtmlForInline = true;
            if (heading.Inline is not null) inline.WriteChildren(heading.Inline);
            headings.Add(new Heading(heading.Level, unique, text.ToString()));
        }
        renderer.Render(document);
        return writer.ToString();
    }

    private HtmlRenderer Renderer(TextWriter writer, string where)
    {
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new MathInlineRenderer(typesetter, where));
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathBlockRenderer>(new MathBlockRenderer(typesetter, where));
        renderer.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new HighlightedCodeRenderer(typesetter, where));
        return renderer;
    }

    /// <summary>Links to notebooks go to their pages; a notebook's name in backticks becomes a link to its page.</summary>
    private void Relink(MarkdownDocument document, string folder, string where)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage || link.Url is not { Length: > 0 } url || url.StartsWith('#') || Uri.TryCreate(url, UriKind.Absolute, out _)) continue;
            int hash = url.IndexOf('#', StringComparison.Ordinal);
            string path = hash < 0 ? url : url[..hash], anchor = hash < 0 ? "" : url[hash..];
            string key = Normalize(folder.Length == 0 ? path : folder + "/" + path);
            string file = Path.GetFullPath(Path.Combine(notebooksDir, folder, path));
            if (pages.TryGetValue(key, out var page)) link.Url = page + anchor;
            else if (File.Exists(file)) Unlink(link, Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(notebooksDir))!, file).Replace('\\', '/'));
            else BrokenLinks.Add($"{where}: the link to {url} points at nothing in the book (only notebooks and their READMEs are in it)");
        }
        foreach (var code in document.Descendants<CodeInline>().ToList())
        {
            if (code.Parent is LinkInline) continue;
            string name = code.Content.Trim();
            string? page = pages.GetValueOrDefault(name + ".ipynb") ?? pages.GetValueOrDefault(Normalize(folder + "/" + name + ".ipynb"));
            if (page is null) continue;
            var link = new LinkInline(page, "");
            code.ReplaceBy(link);
            link.AppendChild(code);
        }
    }

    /// <summary>A link to a repository file outside the book: its text, then "(docs/setup.md in the repository)" — or "(in the repository)" when the text is the path.</summary>
    private static void Unlink(LinkInline link, string repositoryPath)
    {
        string text = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()))
            + string.Concat(link.Descendants<CodeInline>().Select(c => c.Content));
        string where = text.Trim() == repositoryPath ? " (in the repository)" : $" ({repositoryPath} in the repository)";
        Inline last = link;
        foreach (var child in link.ToList())
        {
            child.Remove();
            last.InsertAfter(child);
            last = child;
        }
        last.InsertAfter(new LiteralInline(where));
        link.Remove();
    }

    /// <summary>"solutions/../03-x.ipynb" as "03-x.ipynb"; "./a" as "a".</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == ".." && parts.Count > 0) parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private sealed class MathInlineRenderer(Typesetter typesetter, string where) : HtmlObjectRenderer<MathInline>
    {
        // $$…$$ inside a paragraph is a displayed formula, as Jupyter shows it.
        protected override void Write(HtmlRenderer renderer, MathInline math) =>
            renderer.Write(typesetter.Math(math.Content.ToString(), math.DelimiterCount > 1, where));
    }

    private sealed class MathBlockRenderer(Typesetter typesetter, string where) : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock math)
        {
            renderer.EnsureLine();
            renderer.Write("<div class=\"math-display\">").Write(typesetter.Math(math.Lines.ToString(), true, where)).WriteLine("</div>");
        }
    }

    private sealed class HighlightedCodeRenderer(Typesetter typesetter, string where) : HtmlObjectRenderer<CodeBlock>
    {
        protected override void Write(HtmlRenderer renderer, CodeBlock code)
        {
            string? language = (code as FencedCodeBlock)?.Info is { Length: > 0 } info ? info.Trim().ToLowerInvariant() : null;
            renderer.EnsureLine();
            renderer.Write($"<pre class=\"code\"><code class=\"hljs{(language is null ? "" : " language-" + HtmlText(language))}\">")
                .Write(typesetter.Code(code.Lines.ToString(), language, where))
                .WriteLine("</code></pre>");
        }

        private static string HtmlText(string text) => System.Net.WebUtility.HtmlEncode(text);
    }
}
