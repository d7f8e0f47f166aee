using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NeuralNet.Tests;

/// <summary>
/// The docs say what the code does. Every Markdown file of the repository (README.md, docs/, notebooks/, the
/// projects' READMEs; not artifacts/, bin/, obj/, node_modules/ or hidden folders) is read for fenced code blocks:
/// <list type="bullet">
/// <item><b>C# samples</b> (```csharp, also ```cs and ```c#): each is compiled with Roslyn as a C# script against
/// the framework, NeuralNet, NeuralNet.Data, NeuralNet.Workbook and MathNet.Numerics, after its own leading
/// <c>using</c> lines and a prelude that gives the console template's implicit usings and the free names a sample may
/// use: <c>X</c>, <c>Y</c>, <c>XTest</c>, <c>YTest</c>, <c>XSmall</c>, <c>YSmall</c>, each a
/// <c>Matrix&lt;double&gt;</c> (a sample that names <c>Matrix&lt;double&gt;</c> itself writes its own using). One case
/// per block, named <c>file:line</c> of its opening fence; errors are reported at the Markdown file's lines. A
/// compile cannot see that a value means something else (a tuple's second item read as a cost when it is the
/// gradients), so samples write the type where the type is the point.</item>
/// <item><b>Notebook directives</b>: a block whose first line is <c>#load</c> or <c>#r</c> is a notebook's setup
/// cell. Its paths are resolved from notebooks/; one under artifacts/notebook-library/ (a build output) must exist
/// in src/NeuralNet.Interactive/, whose build copies itself there.</item>
/// <item><b>Excerpts</b> (```csharp excerpt): quotes of internal code, not compilable alone. Each line's code (what
/// precedes <c>//</c>; a line of comment only is the doc's own) must occur, whitespace-normalised (every run of
/// white space as one space, ends trimmed), within one line of a .cs file of the project the Markdown file sits in
/// (the nearest folder at or above it holding a .csproj).</item>
/// </list>
/// And: README.md is a front page of at most 150 lines; and docs/theory.md's equation table points at the lines that
/// compute each equation. A row of a table in docs/theory.md whose last cell names a file in backticks (<c>`Backprop.cs`</c>)
/// is checked: the cell's next backticked name is a member (<c>`LinearBackward`</c>, or <c>`Type.Member`</c> for a
/// member of that type; a type's name stands for the whole type); the row's first backticked text is the equation.
/// The rule: the file exists, once, under src/NeuralNet; a declaration of the member is in it; and some <c>//</c>
/// comment inside that declaration (not a <c>///</c> doc comment, not one above it) contains the equation, compared
/// with every white-space character removed from both and otherwise exactly (the same symbols: −, ·, ⊙, ᵀ, …).
/// </summary>
public class DocsTests
{
    private const string TheoryPage = "docs/theory.md";
    private const string EquationAnchor = "where-each-equation-lives";

    // ------------------------------------------------------------------ C# samples

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Code_sample_compiles(string block)
    {
        var sample = Samples.Value[block];
        if (IsNotebookDirective(sample)) CheckNotebookDirectives(sample);
        else if (sample.Attributes.Contains("excerpt")) CheckExcerpt(sample);
        else
        {
            var errors = Compile(sample);
            Assert.True(errors.Length == 0,
                $"{block}: the C# sample does not compile (X, Y, XTest, YTest, XSmall, YSmall are given; every other name needs "
                + $"its using in the sample):\n  {string.Join("\n  ", errors)}");
        }
    }

    public static TheoryData<string> CSharpBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var name in Samples.Value.Keys) data.Add(name);
        return data;
    }

    private static readonly string[] CSharpLanguages = ["csharp", "cs", "c#"];

    private static readonly Lazy<Dictionary<string, CodeBlock>> Samples = new(() =>
        MarkdownFiles().SelectMany(FencedBlocks).Where(b => CSharpLanguages.Contains(b.Language)).ToDictionary(b => b.Name, StringComparer.Ordinal));

    /// <summary>The console template's implicit usings, and the free names the docs' samples may use.</summary>
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        MathNet.Numerics.LinearAlgebra.Matrix<double>
            X = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2, 8), Y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(1, 8),
            XTest = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2, 4), YTest = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(1, 4),
            XSmall = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2, 3), YSmall = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(1, 3);
        """;

    /// <summary>The libraries a sample compiles against, from the test's own output folder (NeuralNet.Data once it is a project of its own).</summary>
    private static readonly string[] Libraries = ["MathNet.Numerics", "NeuralNet", "NeuralNet.Data", "NeuralNet.Workbook"];

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // The shared framework's assemblies (those of the trusted platform list in System.Private.CoreLib's folder), then ours.
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), framework, StringComparison.Ordinal));
        var libraries = Libraries.Select(name => Path.Combine(AppContext.BaseDirectory, name + ".dll")).Where(File.Exists).ToArray();
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "NeuralNet.dll"), libraries);
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "MathNet.Numerics.dll"), libraries);
        return platform.Concat(libraries).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    private static readonly Regex UsingDirective = new(@"^\s*(global\s+)?using\s+(static\s+)?([A-Za-z_]\w*\s*=\s*)?[A-Za-z_][\w.<>, ]*;\s*(//.*)?$");

    /// <summary>Roslyn's errors for the sample, each at its line in the Markdown file.</summary>
    private static string[] Compile(CodeBlock sample)
    {
        // The sample's leading using lines (with blank and comment lines among them) go first, as C# wants them
        // before any statement; then the prelude; then the rest. #line maps every line back to the Markdown file.
        int split = 0;
        while (split < sample.Lines.Length && (UsingDirective.IsMatch(sample.Lines[split]) || sample.Lines[split].Trim().Length == 0
            || sample.Lines[split].TrimStart().StartsWith("//", StringComparison.Ordinal))) split++;
        var source = new StringBuilder();
        source.Append(CultureInfo.InvariantCulture, $"#line {sample.Line + 1} \"{sample.File}\"\n");
        foreach (var line in sample.Lines[..split]) source.Append(line).Append('\n');
        source.Append("#line 1 \"(the docs tests' prelude)\"\n").Append(Prelude).Append('\n');
        source.Append(CultureInfo.InvariantCulture, $"#line {sample.Line + 1 + split} \"{sample.File}\"\n");
        foreach (var line in sample.Lines[split..]) source.Append(line).Append('\n');
        var tree = CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var compilation = CSharpCompilation.CreateScriptCompilation("DocSample", tree, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d =>
        {
            var where = d.Location.GetMappedLineSpan();
            return $"{where.Path}:{where.StartLinePosition.Line + 1}: {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
        }).ToArray();
    }

    // ------------------------------------------------------------------ notebook directives

    private static readonly Regex Directive = new("""^#(load|r)\s+"(?<path>[^"]+)"$""");

    private static bool IsNotebookDirective(CodeBlock block) =>
        block.Lines.FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart() is { } first && Regex.IsMatch(first, @"^#(load|r)\b");

    private static void CheckNotebookDirectives(CodeBlock block)
    {
        var problems = new List<string>();
        for (int i = 0; i < block.Lines.Length; i++)
        {
            string text = block.Lines[i].Trim();
            if (text.Length == 0) continue;
            string at = $"{block.File}:{block.Line + 1 + i}";
            var directive = Directive.Match(text);
            if (!directive.Success)
            {
                problems.Add($"{at}: a block of notebook directives holds only #load \"path\" and #r \"path\" lines, not: {text}");
                continue;
            }
            string path = directive.Groups["path"].Value;
            string full = Path.GetFullPath(Path.Combine(Repository.Root, "notebooks", path));
            string library = Path.Combine(Repository.Root, "artifacts", "notebook-library") + Path.DirectorySeparatorChar;
            // artifacts/notebook-library/ is NeuralNet.Interactive's build output (NotebookLibrary.targets): its files come from there.
            string source = full.StartsWith(library, StringComparison.Ordinal)
                ? Path.Combine(Repository.Root, "src", "NeuralNet.Interactive", full[library.Length..])
                : full;
            if (!File.Exists(source))
                problems.Add($"{at}: \"{path}\", from a notebook in notebooks/, is {Relative(source)}, which does not exist");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    // ------------------------------------------------------------------ excerpts of internal code

    private static void CheckExcerpt(CodeBlock block)
    {
        string? project = Path.GetDirectoryName(Path.Combine(Repository.Root, block.File));
        while (project is not null && project.Length >= Repository.Root.Length && Directory.GetFiles(project, "*.csproj").Length == 0)
            project = Path.GetDirectoryName(project);
        Assert.True(project is not null && project.Length >= Repository.Root.Length,
            $"{block.Name}: an excerpt quotes a project's code, but no folder at or above {block.File} holds a .csproj");
        var code = SourceFiles(project!, "*.cs").SelectMany(File.ReadLines).Select(NormalizeSpace).ToArray();
        var missing = new List<string>();
        for (int i = 0; i < block.Lines.Length; i++)
        {
            string line = block.Lines[i];
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            string quoted = NormalizeSpace(comment >= 0 ? line[..comment] : line);
            if (quoted.Length > 0 && !code.Any(c => c.Contains(quoted, StringComparison.Ordinal)))
                missing.Add($"{block.File}:{block.Line + 1 + i}: {quoted}");
        }
        Assert.True(missing.Count == 0,
            $"{block.Name}: the excerpt quotes lines that no .cs file of {Relative(project!)} holds (whitespace aside); quote the code as it is:\n  "
            + string.Join("\n  ", missing));
    }

    // ------------------------------------------------------------------ the front page

    [Fact]
    public void The_README_is_a_front_page_of_at_most_150_lines()
    {
        int lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md")).Length;
        Assert.True(lines <= 150, $"README.md has {lines} lines; the front page holds at most 150: give a topic its own page in docs/ and link it under More.");
    }

    // ------------------------------------------------------------------ one equation table

    [Theory]
    [MemberData(nameof(EquationRows))]
    public void An_equation_of_the_theory_table_is_a_comment_in_the_member_it_names(string row)
    {
        Assert.True(File.Exists(Path.Combine(Repository.Root, TheoryPage)), $"{TheoryPage} does not exist: it holds the equation table.");
        var equation = Equations.Value.Single(r => r.Name == row);
        Assert.True(equation.Equation.Length > 0 && equation.Member.Length > 0,
            $"{row}: a row naming a file gives the equation in backticks in its first cell and the member after the file, as `Backprop.cs`: `Backward`");
        string src = Path.Combine(Repository.Root, "src", "NeuralNet");
        var files = SourceFiles(src, equation.File).ToArray();
        Assert.True(files.Length == 1, $"{row}: {equation.File} should be one file under src/NeuralNet, but there are {files.Length}: {string.Join(", ", files.Select(Relative))}");
        var declarations = Declarations(CSharpSyntaxTree.ParseText(File.ReadAllText(files[0])).GetRoot(), equation.Member);
        Assert.True(declarations.Length > 0, $"{row}: {Relative(files[0])} declares no {equation.Member}");
        var comments = declarations.SelectMany(d => d.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && d.Span.Contains(t.Span)))
            .Select(t => t.ToString()[2..].Trim()).ToArray();
        string wanted = NoSpace(equation.Equation);
        Assert.True(comments.Any(c => NoSpace(c).Contains(wanted, StringComparison.Ordinal)),
            $"{row}: no // comment inside {equation.Member} in {Relative(files[0])} holds \"{equation.Equation}\" (white space aside); "
            + $"put it on the line that computes it. Its comments: {(comments.Length == 0 ? "none" : string.Join(" | ", comments))}");
    }

    public static TheoryData<string> EquationRows()
    {
        var data = new TheoryData<string>();
        foreach (var row in Equations.Value) data.Add(row.Name);
        if (data.Count == 0) data.Add($"{TheoryPage}: no row names a file");
        return data;
    }

    [Fact]
    public void Architecture_sends_the_reader_to_the_theory_table_and_keeps_no_equation_table_of_its_own()
    {
        string architecture = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        Assert.Contains($"](theory.md#{EquationAnchor})", architecture, StringComparison.Ordinal);
        string theory = Path.Combine(Repository.Root, TheoryPage);
        Assert.True(File.Exists(theory), $"{TheoryPage} does not exist: docs/architecture.md links to its equation table.");
        var anchors = File.ReadLines(theory).Where(l => l.StartsWith('#')).Select(l => Slug(l.TrimStart('#'))).ToArray();
        Assert.Contains(EquationAnchor, anchors);
        // A second table of equations would point at its own lines again: a row whose first cell is an equation.
        var equationRows = File.ReadLines(Path.Combine(Repository.Root, "docs", "architecture.md"))
            .Where(l => l.TrimStart().StartsWith('|')).Select(l => Cells(l)[0])
            .Where(cell => Regex.Matches(cell, "`([^`]+)`").Any(m => m.Groups[1].Value.Contains('=') || m.Groups[1].Value.Contains('←'))).ToArray();
        Assert.True(equationRows.Length == 0, $"docs/architecture.md has a table of equations again ({string.Join(", ", equationRows)}); link to {TheoryPage}#{EquationAnchor} instead.");
    }

    private sealed record EquationRow(int Line, string Equation, string File, string Member)
    {
        public string Name => $"{TheoryPage}:{Line} {Equation}";
    }

    private static readonly Lazy<EquationRow[]> Equations = new(() =>
    {
        string path = Path.Combine(Repository.Root, TheoryPage);
        if (!File.Exists(path)) return [];
        var rows = new List<EquationRow>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith('|')) continue;
            var cells = Cells(lines[i]);
            var named = Regex.Matches(cells[^1], "`([^`]+)`").Select(m => m.Groups[1].Value).ToArray();
            int file = Array.FindIndex(named, n => n.EndsWith(".cs", StringComparison.Ordinal));
            if (file < 0) continue;
            var equation = Regex.Match(cells[0], "`([^`]+)`");
            rows.Add(new EquationRow(i + 1, equation.Success ? equation.Groups[1].Value.Replace(@"\|", "|", StringComparison.Ordinal) : "",
                named[file], file + 1 < named.Length ? named[file + 1] : ""));
        }
        return rows.ToArray();
    });

    /// <summary>The declarations of <paramref name="member"/> ("Name", or "Type.Name" inside that type); a type's name names the type.</summary>
    private static MemberDeclarationSyntax[] Declarations(SyntaxNode root, string member)
    {
        var parts = member.Split('.');
        IEnumerable<SyntaxNode> scopes = [root];
        foreach (var type in parts[..^1])
            scopes = scopes.SelectMany(s => s.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t.Identifier.Text == type)).ToArray();
        return scopes.SelectMany(s => s.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => Names(m).Contains(parts[^1]))).ToArray();
    }

    private static IEnumerable<string> Names(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax t => [t.Identifier.Text],
        MethodDeclarationSyntax m => [m.Identifier.Text],
        PropertyDeclarationSyntax p => [p.Identifier.Text],
        ConstructorDeclarationSyntax c => [c.Identifier.Text],
        BaseFieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.Text),
        DelegateDeclarationSyntax d => [d.Identifier.Text],
        EventDeclarationSyntax e => [e.Identifier.Text],
        _ => [],
    };

    // ------------------------------------------------------------------ Markdown

    private sealed record CodeBlock(string File, int Line, string Language, string[] Attributes, string[] Lines)
    {
        public string Name => $"{File}:{Line}";
    }

    private static readonly Regex Fence = new(@"^(?<indent>\s*)(?<fence>`{3,}|~{3,})\s*(?<info>[^`]*?)\s*$");

    /// <summary>The fenced code blocks of a Markdown file (path relative to the repository, with '/'), each at its opening fence's line.</summary>
    private static IEnumerable<CodeBlock> FencedBlocks(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, file));
        for (int i = 0; i < lines.Length; i++)
        {
            var open = Fence.Match(lines[i]);
            if (!open.Success) continue;
            string indent = open.Groups["indent"].Value, fence = open.Groups["fence"].Value;
            var info = open.Groups["info"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var body = new List<string>();
            int j = i + 1;
            for (; j < lines.Length; j++)
            {
                var close = Fence.Match(lines[j]);
                if (close.Success && close.Groups["info"].Length == 0 && close.Groups["fence"].Value[0] == fence[0]
                    && close.Groups["fence"].Length >= fence.Length) break;
                body.Add(lines[j].StartsWith(indent, StringComparison.Ordinal) ? lines[j][indent.Length..] : lines[j].TrimStart());
            }
            yield return new CodeBlock(file, i + 1, info.FirstOrDefault()?.ToLowerInvariant() ?? "", info.Skip(1).ToArray(), body.ToArray());
            i = j;
        }
    }

    private static readonly string[] SkippedFolders = ["artifacts", "node_modules", "bin", "obj"];

    /// <summary>Every Markdown file of the repository, relative to its root with '/'.</summary>
    private static IEnumerable<string> MarkdownFiles() =>
        SourceFiles(Repository.Root, "*.md").Select(Relative).Order(StringComparer.Ordinal);

    /// <summary>Files matching <paramref name="pattern"/> under <paramref name="folder"/>, outside build output, packages and hidden folders.</summary>
    private static IEnumerable<string> SourceFiles(string folder, string pattern)
    {
        foreach (var file in Directory.GetFiles(folder, pattern)) yield return file;
        foreach (var sub in Directory.GetDirectories(folder))
        {
            string name = Path.GetFileName(sub);
            if (name.StartsWith('.') || SkippedFolders.Contains(name)) continue;
            foreach (var file in SourceFiles(sub, pattern)) yield return file;
        }
    }

    /// <summary>A table row's cells, split at the pipes that are not escaped (\|).</summary>
    private static string[] Cells(string row) =>
        Regex.Split(row.Trim().TrimStart('|').TrimEnd('|'), @"(?<!\\)\|").Select(c => c.Trim()).ToArray();

    /// <summary>A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Slug(string heading) =>
        Regex.Replace(heading.Trim().ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-');

    private static string NormalizeSpace(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    private static string NoSpace(string text) => Regex.Replace(text, @"\s+", "");

    private static string Relative(string path) => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
}
