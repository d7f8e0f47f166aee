using System.Diagnostics;
using System.Net;
using System.Text;
using NeuralNet.Interactive;

namespace NeuralNet.Runner.Book;

/// <summary>What the book step wrote, and what stopped it.</summary>
internal sealed record BookResult(int Pages, int Charts, int Formulas, int CodeBlocks, IReadOnlyList<string> Problems, TimeSpan Took, string Typesetters);

/// <summary>
/// artifacts/book/: the executed workbook as a static site. An index (a table of the chapters and their solutions, the
/// teacher's guide notebooks/README.md, the solutions key's README), then one page per chapter and one per solutions
/// notebook, all in one folder with their assets (plotly.js, KaTeX's style sheet and fonts, highlight.js's style sheet).
/// </summary>
internal static class BookWriter
{
    public static string PlotlyAsset => $"assets/plotly-{ChartOutput.PlotlyJsVersion}.min.js";

    public const string KatexCss = "assets/katex/katex.min.css";

    public const string HighlightCss = "assets/highlight/github.min.css";

    public const string BookCss = "assets/book.css";

    /// <summary>
    /// Writes the book into <paramref name="bookDir"/> (emptied first) from the executed copies in <paramref name="executedDir"/>
    /// of the notebooks in <paramref name="notebooksDir"/>. Nothing is written when a problem is found.
    /// </summary>
    public static BookResult Write(string notebooksDir, string executedDir, string bookDir, BookTools tools)
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        var sources = new List<(string Relative, string Part)>();
        foreach (var (folder, part) in new[] { ("", "Chapters"), ("solutions", "Solutions") })
        {
            string dir = Path.Combine(notebooksDir, folder);
            if (!Directory.Exists(dir)) continue;
            foreach (var path in Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal))
                sources.Add((folder.Length == 0 ? Path.GetFileName(path) : $"{folder}/{Path.GetFileName(path)}", part));
        }
        if (sources.Count == 0) problems.Add($"no notebooks in {notebooksDir}");

        // Where each notebook and README of the workbook is in the book (the key: its path under notebooks/).
        var pages = new Dictionary<string, string>(StringComparer.Ordinal) { ["README.md"] = "index.html", ["solutions/README.md"] = "index.html#the-solutions-key" };
        foreach (var (relative, _) in sources) pages[relative] = Path.GetFileNameWithoutExtension(relative) + ".html";
        // The guide's companions beside it (the teacher's kit): a page each, after the index.
        var documents = Directory.Exists(notebooksDir)
            ? Directory.GetFiles(notebooksDir, "*.md").Where(p => Path.GetFileName(p) != "README.md").Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var document in documents) pages[Path.GetFileName(document)] = Path.GetFileNameWithoutExtension(document) + ".html";

        var typesetter = new Typesetter();
        var markdown = new BookMarkdown(typesetter, pages, notebooksDir);
        var book = new List<BookPage>();
        foreach (var (relative, part) in sources)
        {
            string executed = Path.Combine(executedDir, relative);
            if (!File.Exists(executed))
            {
                problems.Add($"no executed copy of notebooks/{relative} in {executedDir}: run `dotnet run --project src/NeuralNet.Runner` (every notebook) first");
                continue;
            }
            string folder = Path.GetDirectoryName(relative) ?? "";
            book.Add(NotebookPage.Read(executed, pages[relative], folder, part, markdown, typesetter));
        }
        if (problems.Count > 0) return new BookResult(0, 0, 0, 0, problems, clock.Elapsed, "");
        book.InsertRange(0, [Index(notebooksDir, book, markdown), .. documents.Select(d => Document(d, pages[Path.GetFileName(d)], markdown))]);

        problems.AddRange(markdown.BrokenLinks);
        if (!typesetter.Typeset(tools, out var nodeError)) problems.Add(nodeError!);
        else problems.AddRange(typesetter.Errors.Select(e => $"KaTeX cannot typeset {e}"));
        if (problems.Count > 0) return new BookResult(0, 0, 0, 0, problems, clock.Elapsed, "");

        if (Directory.Exists(bookDir)) Directory.Delete(bookDir, recursive: true);
        Directory.CreateDirectory(bookDir);
        for (int i = 0; i < book.Count; i++)
            File.WriteAllText(Path.Combine(bookDir, book[i].File), typesetter.Fill(PageLayout.Html(book, i)), new UTF8Encoding(false));
        CopyAssets(bookDir, tools);
        return new BookResult(book.Count, book.Sum(p => p.Charts), typesetter.Formulas, typesetter.CodeBlocks, [], clock.Elapsed,
            $"KaTeX {typesetter.KatexVersion}, highlight.js {typesetter.HighlightJsVersion}, plotly.js {ChartOutput.PlotlyJsVersion}");
    }

    /// <summary>The index: the chapters and their solutions in a table, the teacher's guide, the solutions key's README.</summary>
    private static BookPage Index(string notebooksDir, List<BookPage> book, BookMarkdown markdown)
    {
        var usedIds = new HashSet<string>(StringComparer.Ordinal) { "the-solutions-key" };
        var headings = new List<Heading>();
        var body = new StringBuilder();
        body.Append("<section class=\"cell markdown\">\n")
            .Append($"<h1 id=\"contents\">{WebUtility.HtmlEncode(PageLayout.BookTitle)}</h1>\n")
            .Append("<p>The workbook as it ran: every notebook executed top to bottom in the .NET Interactive kernel, with its outputs, "
                + "tables and charts as it saved them. Read it here; to run it yourself, see the repository's README.</p>\n")
            .Append("<table class=\"workbook\">\n<thead><tr><th>chapter</th><th>solutions</th></tr></thead>\n<tbody>\n");
        var solutions = book.Where(p => p.Part == "Solutions").ToDictionary(p => p.File.Replace(".solutions.html", ".html", StringComparison.Ordinal));
        foreach (var chapter in book.Where(p => p.Part == "Chapters"))
        {
            string key = solutions.TryGetValue(chapter.File, out var s) ? $"<a href=\"{s.File}\">solutions</a>" : "";
            body.Append($"<tr><td><a href=\"{chapter.File}\">{chapter.Title}</a></td><td>{key}</td></tr>\n");
        }
        body.Append("</tbody>\n</table>\n</section>\n");
        headings.Add(new Heading(1, "contents", WebUtility.HtmlEncode(PageLayout.BookTitle)));
        string guide = Path.Combine(notebooksDir, "README.md");
        if (File.Exists(guide))
            body.Append("<section class=\"cell markdown\">\n").Append(markdown.ToHtml(File.ReadAllText(guide), "", "notebooks/README.md", usedIds, headings)).Append("</section>\n");
        string keyReadme = Path.Combine(notebooksDir, "solutions", "README.md");
        if (File.Exists(keyReadme))
        {
            body.Append("<section class=\"cell markdown\" id=\"the-solutions-key\">\n")
                .Append(markdown.ToHtml(File.ReadAllText(keyReadme), "solutions", "notebooks/solutions/README.md", usedIds, headings)).Append("</section>\n");
        }
        return new BookPage("index.html", "Contents", "", body.ToString(), headings, 0);
    }

    /// <summary>A Markdown document beside the guide as a page of its own, titled by its first heading.</summary>
    private static BookPage Document(string path, string file, BookMarkdown markdown)
    {
        string text = File.ReadAllText(path);
        var headings = new List<Heading>();
        string html = markdown.ToHtml(text, "", "notebooks/" + Path.GetFileName(path), new HashSet<string>(StringComparer.Ordinal), headings);
        string title = text.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? Path.GetFileNameWithoutExtension(path);
        return new BookPage(file, title, "Guide", "<section class=\"cell markdown\">\n" + html + "</section>\n", headings, 0);
    }

    private static void CopyAssets(string bookDir, BookTools tools)
    {
        string assets = Path.Combine(bookDir, "assets");
        Directory.CreateDirectory(assets);
        File.WriteAllText(Path.Combine(bookDir, PlotlyAsset), ChartOutput.PlotlyJs, new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(bookDir, BookCss), BookTools.Resource("book.css"), new UTF8Encoding(false));
        string katex = Path.Combine(tools.NodeModules, "katex", "dist");
        Directory.CreateDirectory(Path.Combine(assets, "katex", "fonts"));
        File.Copy(Path.Combine(katex, "katex.min.css"), Path.Combine(bookDir, KatexCss));
        foreach (var font in Directory.GetFiles(Path.Combine(katex, "fonts")))
            File.Copy(font, Path.Combine(assets, "katex", "fonts", Path.GetFileName(font)));
        Directory.CreateDirectory(Path.Combine(assets, "highlight"));
        File.Copy(Path.Combine(tools.NodeModules, "highlight.js", "styles", "github.min.css"), Path.Combine(bookDir, HighlightCss));
    }
}
