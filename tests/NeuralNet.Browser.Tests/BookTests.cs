using System.Text.Json;
using System.Text.Json.Nodes;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Syntax;
using Microsoft.Playwright;
using NeuralNet.Runner.Book;
using Xunit.Abstractions;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// The book (<c>artifacts/book/</c>, which <c>dotnet run --project src/NeuralNet.Runner</c> writes): the runner's book
/// step is run on this session's executed copies of every notebook and its solutions, into artifacts/browser/book, and
/// every page is opened from disk in Chromium with every request off the machine blocked. Each page must draw every
/// chart its notebook saved (with all its traces), typeset every formula (no KaTeX error, no <c>$…$</c> left in its
/// text), show the notebook's printed output exactly, and link only to files and anchors that exist, with no request
/// failing. A screenshot of each page goes to artifacts/screenshots/book/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BookTests(Workbook workbook, ITestOutputHelper output)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _book;

    public static string BookFolder => Path.Combine(Workbook.ArtifactsFolder, "book");

    /// <summary>
    /// Every page of the book: the index, one per Markdown document beside the guide (the teacher's kit), one per notebook of
    /// notebooks/ and notebooks/solutions/ (file name, its source: "" for the index, the .md or .ipynb under notebooks/).
    /// </summary>
    public static TheoryData<string, string> Pages()
    {
        var data = new TheoryData<string, string> { { "index.html", "" } };
        foreach (var document in Directory.GetFiles(Path.Combine(Tools.Root, "notebooks"), "*.md").Select(Path.GetFileName).Where(f => f != "README.md").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(document)! + ".html", document!);
        foreach (var notebook in NotebookPaths()) data.Add(Path.GetFileNameWithoutExtension(notebook) + ".html", notebook);
        return data;
    }

    /// <summary>The notebooks' paths under notebooks/: the chapters, then the solutions key.</summary>
    private static List<string> NotebookPaths() =>
        Directory.GetFiles(Path.Combine(Tools.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).Select(Path.GetFileName)
            .Concat(Directory.GetFiles(Path.Combine(Tools.Root, "notebooks", "solutions"), "*.ipynb").Order(StringComparer.Ordinal)
                .Select(p => "solutions/" + Path.GetFileName(p)))
            .ToList()!;

    [BookTheory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_draws_its_charts_typesets_its_formulas_and_links_only_to_what_exists(string page, string notebook)
    {
        string book = await BookAsync();
        string file = Path.Combine(book, page);
        Assert.True(File.Exists(file), $"the book has no {page} (notebook {notebook}); its pages: {string.Join(", ", Directory.GetFiles(book, "*.html").Select(Path.GetFileName))}");

        var browser = await workbook.BrowserAsync();
        await using var watched = await browser.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { Timeout = 120_000, WaitUntil = WaitUntilState.Load });

        // Charts: what the executed copy saved (figures and their traces), against the plotly graphs the page holds.
        bool text = notebook.Length == 0 || notebook.EndsWith(".md", StringComparison.Ordinal);   // the index or a document: no outputs
        var figures = text ? [] : Workbook.Figures(Path.Combine(BookSource, notebook));
        int expectedTraces = figures.Sum(f => f.Figure["data"]?.AsArray().Count ?? 0);
        var charts = await ChartsAsync(watched.Page, figures.Count);
        var report = JsonDocument.Parse(await watched.Page.EvaluateAsync<string>(PageScript)).RootElement;

        Directory.CreateDirectory(Path.Combine(Workbook.ScreenshotsFolder, "book"));
        await watched.Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Workbook.ScreenshotsFolder, "book", Path.GetFileNameWithoutExtension(page) + ".png"),
            FullPage = true,
        });

        var problems = new List<string>();
        if (charts.Divs != figures.Count || charts.Drawn != figures.Count || charts.Traces != expectedTraces)
            problems.Add($"{figures.Count} charts with {expectedTraces} traces saved in the notebook; the page has {charts.Divs} chart divs, "
                + $"{charts.Drawn} drawn by plotly.js, {charts.Traces} traces");
        int formulas = report.GetProperty("formulas").GetInt32();
        foreach (var error in report.GetProperty("katexErrors").EnumerateArray()) problems.Add($"KaTeX error node: {error.GetString()}");
        foreach (var raw in report.GetProperty("rawMath").EnumerateArray()) problems.Add($"formula left as text: {raw.GetString()}");
        if (report.GetProperty("katexCss").GetBoolean() is false) problems.Add("KaTeX's style sheet did not apply (a formula's .katex-mathml is visible)");

        // Links and assets: every href and src of the page is a file of the book, every #anchor an id of its page.
        var links = report.GetProperty("links").EnumerateArray().Select(l => l.GetString()!).ToList();
        int external = 0;
        foreach (var link in links)
        {
            var uri = new Uri(link);
            if (uri.Scheme is "http" or "https")
            {
                external++;   // a link out of the book (plotly.net, the data's home): not followed offline
                continue;
            }
            if (uri.Scheme == "data") continue;
            if (uri.Scheme != "file") problems.Add($"link {link}: neither a file of the book nor a web address");
            else if (!File.Exists(uri.LocalPath)) problems.Add($"link or asset {link}: no such file");
            else if (uri.Fragment.Length > 1 && !Ids(uri.LocalPath).Contains(Uri.UnescapeDataString(uri.Fragment[1..])))
                problems.Add($"link {link}: {Path.GetFileName(uri.LocalPath)} has no element with id {uri.Fragment[1..]}");
        }
        foreach (var failed in watched.FailedRequests) problems.Add($"request failed: {failed}");

        // Printed output, exactly as the executed copy holds it (every number the notebook printed).
        var printed = report.GetProperty("printed").EnumerateArray().Select(p => p.GetString()!).ToList();
        var saved = text ? [] : StreamOutputs(Path.Combine(BookSource, notebook));
        if (!printed.SequenceEqual(saved))
        {
            int at = Enumerable.Range(0, Math.Min(printed.Count, saved.Count)).FirstOrDefault(i => printed[i] != saved[i], Math.Min(printed.Count, saved.Count));
            problems.Add($"printed output differs from the executed copy's ({printed.Count} blocks on the page, {saved.Count} saved); first difference at block {at + 1}: "
                + $"page \"{Short(printed.ElementAtOrDefault(at))}\", saved \"{Short(saved.ElementAtOrDefault(at))}\"");
        }

        // Every formula of the notebook's Markdown (Markdig's math: $…$, $$…$$) is on the page, typeset by KaTeX.
        int expectedFormulas = notebook.Length == 0
            ? Formulas(File.ReadAllText(Path.Combine(Tools.Root, "notebooks", "README.md"))) + Formulas(File.ReadAllText(Path.Combine(Tools.Root, "notebooks", "solutions", "README.md")))
            : text ? Formulas(File.ReadAllText(Path.Combine(Tools.Root, "notebooks", notebook)))
            : MarkdownCells(Path.Combine(BookSource, notebook)).Sum(Formulas);
        if (formulas != expectedFormulas) problems.Add($"{expectedFormulas} formulas in the notebook's Markdown, {formulas} typeset on the page");

        string summary = $"book    {page}: {charts.Drawn} of {figures.Count} charts drawn ({charts.Traces} of {expectedTraces} traces), {formulas} of {expectedFormulas} formulas typeset "
            + $"({report.GetProperty("katexErrors").GetArrayLength()} errors), {links.Count} links and assets checked ({external} to the web, not followed), "
            + $"{printed.Count} of {saved.Count} printed outputs as saved";
        output.WriteLine(summary);
        Workbook.Report(summary);
        Assert.True(problems.Count == 0, $"{page}:\n{string.Join("\n", problems)}");
        watched.AssertClean($"book page {page}");
    }

    private static readonly MarkdownPipeline MathPipeline = new MarkdownPipelineBuilder().UseMathematics().Build();

    /// <summary>The formulas of a Markdown text, as Markdig's math extension finds them.</summary>
    private static int Formulas(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, MathPipeline);
        return document.Descendants<MathInline>().Count() + document.Descendants<MathBlock>().Count();
    }

    /// <summary>The Markdown cells of a saved notebook.</summary>
    private static IEnumerable<string> MarkdownCells(string ipynb) =>
        JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray()
            .Where(c => c?["cell_type"]?.GetValue<string>() == "markdown")
            .Select(c => c!["source"] is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : c["source"]!.GetValue<string>());

    /// <summary>What the page shows, gathered in one go (see the test for each part).</summary>
    private const string PageScript = """
        () => {
          // Formulas of the notebook's own text (not those repeated in the contents, the links or the index's table).
          const formulas = Array.from(document.querySelectorAll('main section.cell .katex')).filter(k => !k.closest('table.workbook')).length;
          const katexErrors = Array.from(document.querySelectorAll('.katex-error')).map(e => e.getAttribute('title') || e.textContent);
          // Text that still holds $…$ outside code, scripts and typeset formulas.
          const rawMath = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.parentElement.closest('pre, code, script, style, .katex, .js-plotly-plot')) continue;
            // A formula Markdig did not see as one (a $$ … $$ over two lines inside a paragraph) is split by emphasis into
            // several text nodes, none with both dollars: its TeX commands still show.
            const m = n.textContent.match(/\$\$?[^$]+\$\$?/) || n.textContent.match(/\$\$|\\(frac|tfrac|sum|partial|cdot|underbrace|text|odot|sigma|alpha|lambda|ell|mathrm|left|right)\b/);
            if (m) rawMath.push(m[0].slice(0, 80));
          }
          const mathml = document.querySelector('.katex-mathml');
          const katexCss = !mathml || getComputedStyle(mathml).position === 'absolute';
          const links = [];
          for (const a of document.querySelectorAll('a[href]')) links.push(a.href);
          for (const l of document.querySelectorAll('link[href]')) links.push(l.href);
          for (const s of document.querySelectorAll('[src]')) links.push(s.src);
          const printed = Array.from(document.querySelectorAll('.output > pre.stdout')).map(p => p.textContent);
          return JSON.stringify({ formulas, katexErrors, rawMath, katexCss, links, printed });
        }
        """;

    /// <summary>Waits until the page's charts have drawn (or a minute passed): chart divs, those plotly.js drew, their traces.</summary>
    private static async Task<(int Divs, int Drawn, int Traces)> ChartsAsync(IPage page, int expected)
    {
        const string Count = """
            () => {
              const charts = Array.from(document.querySelectorAll('div.nn-chart'));
              const drawn = charts.filter(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg'));
              return [charts.length, drawn.length, drawn.reduce((n, d) => n + ((d.data || []).length), 0)];
            }
            """;
        var until = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var counts = await page.EvaluateAsync<int[]>(Count);
            if ((counts[0] == expected && counts[1] == expected) || DateTime.UtcNow > until) return (counts[0], counts[1], counts[2]);
            await Task.Delay(250);
        }
    }

    /// <summary>The ids of a book page (anchors its links may point at).</summary>
    private static HashSet<string> Ids(string html) =>
        System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(html), "\\sid=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The stdout stream outputs of a saved notebook, in order, each as one string.</summary>
    private static List<string> StreamOutputs(string ipynb)
    {
        var texts = new List<string>();
        foreach (var cell in JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray())
            foreach (var o in cell?["outputs"] as JsonArray ?? [])
                if (o?["output_type"]?.GetValue<string>() == "stream" && o["name"]?.GetValue<string>() == "stdout")
                    texts.Add(o["text"] is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : o["text"]!.GetValue<string>());
        return texts;
    }

    private static string Short(string? text) => text is null ? "(none)" : text.Length <= 100 ? text : text[..97] + "...";

    /// <summary>Where the executed copies the book is made from are gathered (mirroring notebooks/).</summary>
    private static string BookSource => Path.Combine(Workbook.ArtifactsFolder, "book-source");

    /// <summary>The book, written once per session by the runner's book step from this session's executed copies.</summary>
    private async Task<string> BookAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_book is not null) return _book;
            if (Directory.Exists(BookSource)) Directory.Delete(BookSource, recursive: true);
            foreach (var notebook in NotebookPaths())
            {
                string copy = await workbook.ExecutedCopyAsync(notebook), to = Path.Combine(BookSource, notebook);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(copy, to);
            }
            using var console = new StringWriter();
            var previous = Console.Out;
            Console.SetOut(console);
            int exit;
            try
            {
                exit = BookCommand.Run(Tools.Root, Path.Combine(Tools.Root, "notebooks"), BookSource, BookFolder);
            }
            finally
            {
                Console.SetOut(previous);
            }
            Workbook.Report($"book    {console.ToString().Trim()}");
            output.WriteLine(console.ToString());
            Assert.True(exit == 0 && File.Exists(Path.Combine(BookFolder, "index.html")), $"the book step wrote no book (exit {exit}):\n{console}");
            return _book = BookFolder;
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>A theory that needs Chromium, node and npm (the book's typesetters): skipped, with what to install, when missing.</summary>
public sealed class BookTheoryAttribute : TheoryAttribute
{
    public BookTheoryAttribute()
    {
        if (Tools.MissingBookTools is { } why) Skip = why;
    }
}
