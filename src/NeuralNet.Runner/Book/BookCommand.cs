using System.Globalization;

namespace NeuralNet.Runner.Book;

/// <summary>The book step of the runner's command line: writes artifacts/book/ and says in one line what it wrote, or what it needs.</summary>
public static class BookCommand
{
    /// <summary>
    /// Writes <c>artifacts/book/</c> under <paramref name="root"/> (or <paramref name="bookDir"/>) from the executed copies in <paramref name="executedDir"/>.
    /// 0 when written or when node/npm are missing (said in one line: the notebooks still ran); 1 when the notebooks
    /// hold something the book cannot show (a formula KaTeX refuses, a link to nothing), each named.
    /// </summary>
    public static int Run(string root, string notebooksDir, string executedDir, string? bookDir = null)
    {
        bookDir ??= Path.Combine(root, "artifacts", "book");
        var tools = BookTools.Prepare(Path.Combine(root, "artifacts", "book-npm"), out var needs);
        if (tools is null)
        {
            Console.WriteLine($"Book: {needs}");
            return 0;
        }
        var result = BookWriter.Write(notebooksDir, executedDir, bookDir, tools);
        if (result.Problems.Count > 0)
        {
            Console.WriteLine($"Book: not written, {result.Problems.Count} problem(s):");
            foreach (var problem in result.Problems) Console.WriteLine($"  {problem}");
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Book: {Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(bookDir, "index.html"))}  {result.Pages} pages, {result.Charts} charts, "
            + $"{result.Formulas} formulas, {result.CodeBlocks} code blocks ({result.Typesetters})  {result.Took.TotalSeconds:0.0} s"));
        return 0;
    }
}
