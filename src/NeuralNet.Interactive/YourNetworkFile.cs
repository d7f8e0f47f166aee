using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NeuralNet.Interactive;

/// <summary>
/// Your network as one C# script, my-network.csx: the functions you wrote in the exercise cells of earlier notebooks,
/// read from those notebooks as saved in this folder, with the library standing in (<see cref="NeuralNet.Exercises.StandIn"/>)
/// for every function you have not written yet or that does not compile on its own. <see cref="YourNetwork.Assemble"/> writes
/// it; the next cell's <c>#load "my-network.csx"</c> defines the functions in the notebook.
/// </summary>
public sealed class YourNetworkFile
{
    /// <summary>The file name, beside the notebooks.</summary>
    public const string FileName = "my-network.csx";

    /// <summary>A function of your network: its name, the notebook it is written in, its signature and the library's version.</summary>
    internal sealed record PartInfo(string Name, string Chapter, string Signature, string StandIn);

    /// <summary>Every function of your network, in the order the notebooks ask for them.</summary>
    internal static readonly PartInfo[] Parts =
    [
        new("Relu", "01", "Matrix<double> Relu(Matrix<double> Z)", "StandIn.Relu(Z)"),
        new("Sigmoid", "01", "Matrix<double> Sigmoid(Matrix<double> Z)", "StandIn.Sigmoid(Z)"),
        new("LinearForward", "01", "Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b)", "StandIn.LinearForward(A_prev, W, b)"),
        new("Forward", "01", "(Matrix<double> AL, Cache[] caches) Forward(Matrix<double> X, Parameters parameters)", "StandIn.Forward(X, parameters)"),
        new("ComputeCost", "01", "double ComputeCost(Matrix<double> AL, Matrix<double> Y)", "StandIn.ComputeCost(AL, Y)"),
        new("ReluBackward", "02", "Matrix<double> ReluBackward(Matrix<double> dA, Matrix<double> Z)", "StandIn.ReluBackward(dA, Z)"),
        new("LinearBackward", "02", "(Matrix<double> dW, Matrix<double> db, Matrix<double> dA_prev) LinearBackward(Matrix<double> dZ, Matrix<double> A_prev, Matrix<double> W)", "StandIn.LinearBackward(dZ, A_prev, W)"),
        new("Backward", "02", "Grads[] Backward(Matrix<double> AL, Matrix<double> Y, Cache[] caches)", "StandIn.Backward(AL, Y, caches)"),
        new("UpdateParameters", "03", "void UpdateParameters(Parameters parameters, Grads[] grads, double alpha)", "StandIn.UpdateParameters(parameters, grads, alpha)"),
        // The library's loop, over your other functions where you wrote them.
        new("Train", "03", "double[] Train(Matrix<double> X, Matrix<double> Y, Parameters parameters, double alpha, int iterations, Action<int, double> report)",
            "new NetworkParts(Forward, ComputeCost, Backward, UpdateParameters, StandIn.Train).TrainWithTheLibrarysLoop(X, Y, parameters, alpha, iterations, report)"),
    ];

    /// <summary>The notebooks the parts are written in, by number.</summary>
    internal static readonly Dictionary<string, string> Chapters = new()
    {
        ["01"] = "01-forward-pass",
        ["02"] = "02-backprop-chain-rule",
        ["03"] = "03-weight-updates-and-training",
    };

    /// <summary>What the file starts with: the namespaces every part needs.</summary>
    private static readonly string[] StandardUsings =
        ["System", "System.Collections.Generic", "System.Linq", "MathNet.Numerics.LinearAlgebra", "NeuralNet", "NeuralNet.Exercises"];

    /// <summary>The bodies of an exercise as shipped, tokens joined: "not written yet".</summary>
    private static readonly HashSet<string> Unanswered =
        ["null", "(null,null)", "(null,null,null)", "thrownewNotImplementedException()", "{thrownewNotImplementedException();}",
         "{returnnull;}", "{return(null,null);}", "{return(null,null,null);}", "{}"];

    /// <summary>How one part came out.</summary>
    /// <param name="Name">The function's name.</param>
    /// <param name="Notebook">The notebook file it was read from (or looked for).</param>
    /// <param name="Yours">True when your function is in the file; false when the library's stands in.</param>
    /// <param name="Note">Why the library stands in (not written, not found, does not compile here), or "".</param>
    public sealed record Part(string Name, string Notebook, bool Yours, string Note);

    private YourNetworkFile(string path, IReadOnlyList<Part> parts, IReadOnlyList<string> helpers, string text)
    {
        Path = path;
        Functions = parts;
        Helpers = helpers;
        Text = text;
    }

    /// <summary>Where the file was written.</summary>
    public string Path { get; }

    /// <summary>Every function of the network from the notebooks read: yours, or the library's and why.</summary>
    public IReadOnlyList<Part> Functions { get; }

    /// <summary>Other functions of yours from the same cells (helpers your functions call), by name.</summary>
    public IReadOnlyList<string> Helpers { get; }

    /// <summary>The script itself.</summary>
    public string Text { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Your network, written to {System.IO.Path.GetFileName(Path)} (the next cell loads it):");
        foreach (var part in Functions)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {part.Name,-17} {(part.Yours ? "yours" : "the library's"),-14} {part.Notebook}{(part.Note.Length > 0 ? " — " + part.Note : "")}");
        if (Helpers.Count > 0)
            text.AppendLine(CultureInfo.InvariantCulture, $"  and your helpers {string.Join(", ", Helpers)}");
        return text.ToString().TrimEnd();
    }

    /// <summary>One function read from a notebook: its declaration, where it came from, and its identity (name and parameter count).</summary>
    private sealed record Declaration(string Name, int Arity, string Code, string Origin, int Line, bool Unanswered);

    /// <summary>
    /// Reads the exercise cells of <paramref name="chapters"/> (by number: "01", "02", "03") from the notebooks in
    /// <paramref name="folder"/>, writes my-network.csx there, and says what is in it.
    /// </summary>
    internal static YourNetworkFile Write(string folder, IReadOnlyList<string> chapters)
    {
        var wanted = Parts.Where(p => chapters.Contains(p.Chapter)).ToList();
        var notes = new Dictionary<string, (string Notebook, string Note)>();
        var declarations = new List<Declaration>();
        var usings = new List<string>(StandardUsings);
        foreach (var chapter in chapters)
        {
            if (!Chapters.TryGetValue(chapter, out var stem))
                throw new ArgumentException($"Notebook {chapter} has no functions of your network: use {string.Join(", ", Chapters.Keys)}.", nameof(chapters));
            var file = new[] { stem + ".ipynb", stem + ".solutions.ipynb" }.Select(n => System.IO.Path.Combine(folder, n)).FirstOrDefault(File.Exists);
            if (file is null)
            {
                foreach (var part in wanted.Where(p => p.Chapter == chapter))
                    notes[part.Name] = (stem + ".ipynb", $"not found in {folder}: open this notebook from the notebooks folder");
                continue;
            }
            foreach (var (cell, code) in ExerciseCells(file))
                Read(code, $"{System.IO.Path.GetFileName(file)}, code cell {cell}", declarations, usings);
            foreach (var part in wanted.Where(p => p.Chapter == chapter))
                notes[part.Name] = (System.IO.Path.GetFileName(file), "");
        }

        // The last declaration of a name wins, as in a notebook where a later cell redefines a function.
        var latest = declarations.GroupBy(d => (d.Name, d.Arity)).Select(g => g.Last()).ToList();
        var standIn = new HashSet<string>(wanted.Where(p => latest.All(d => d.Name != p.Name || d.Unanswered)).Select(p => p.Name));
        foreach (var name in standIn.Where(n => notes[n].Note.Length == 0))
            notes[name] = (notes[name].Notebook, "not written yet");
        var dropped = new HashSet<(string, int)>();

        // Compile what there is; a function with an error, and whatever calls it, falls back to the library's.
        string text = "";
        for (int round = 0; round < 8; round++)
        {
            var (script, spans) = Compose(wanted, latest, standIn, dropped, usings);
            text = script;
            var errors = Errors(script);
            if (errors.Count == 0) break;
            bool changed = false;
            foreach (var (span, message) in errors)
            {
                var owner = spans.FirstOrDefault(s => s.Span.Contains(span.Start));
                if (owner.Name is null) continue;
                if (wanted.Any(p => p.Name == owner.Name) && standIn.Add(owner.Name))
                {
                    notes[owner.Name] = (notes[owner.Name].Notebook, $"yours does not compile on its own here: {message}");
                    changed = true;
                }
                else if (!wanted.Any(p => p.Name == owner.Name) && dropped.Add((owner.Name, owner.Arity)))
                {
                    changed = true;
                }
            }
            if (!changed)
            {
                // An error outside anything of yours: the library's network, whole, rather than a file that does not load.
                foreach (var part in wanted.Where(p => standIn.Add(p.Name)))
                    notes[part.Name] = (notes[part.Name].Notebook, $"the network did not compile: {errors[0].Message}");
                dropped.UnionWith(latest.Select(d => (d.Name, d.Arity)));
                text = Compose(wanted, latest, standIn, dropped, usings).Script;
                break;
            }
        }

        string path = System.IO.Path.Combine(folder, FileName);
        File.WriteAllText(path, text);
        var parts = wanted.Select(p => new Part(p.Name, notes[p.Name].Notebook, !standIn.Contains(p.Name), notes[p.Name].Note)).ToList();
        var helpers = latest.Where(d => wanted.All(p => p.Name != d.Name) && !dropped.Contains((d.Name, d.Arity)) && !d.Unanswered)
            .Select(d => d.Name).Distinct().ToList();
        return new YourNetworkFile(path, parts, helpers, text);
    }

    /// <summary>The code cells tagged "exercise" of a notebook file, with their number among the code cells (1-based).</summary>
    private static IEnumerable<(int Cell, string Code)> ExerciseCells(string notebook)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(notebook));
        }
        catch (JsonException)
        {
            yield break;   // a notebook that is not JSON holds nothing readable: every function stands in
        }
        int number = 0;
        foreach (var cell in json?["cells"]?.AsArray() ?? [])
        {
            if (cell?["cell_type"]?.GetValue<string>() != "code") continue;
            number++;
            var tags = cell["metadata"]?["tags"]?.AsArray().Select(t => t?.GetValue<string>()) ?? [];
            if (!tags.Contains("exercise")) continue;
            var source = cell["source"];
            string code = source is JsonArray lines ? string.Concat(lines.Select(l => l?.GetValue<string>())) : source?.GetValue<string>() ?? "";
            yield return (number, code);
        }
    }

    /// <summary>The functions (methods and local functions at the top level) and using directives of one cell.</summary>
    private static void Read(string code, string origin, List<Declaration> declarations, List<string> usings)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        foreach (var u in root.Usings)
            if (!usings.Contains(u.Name?.ToString() ?? "") && u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None)) usings.Add(u.Name!.ToString());
        foreach (var member in root.Members)
        {
            var (name, arity, body) = member switch
            {
                MethodDeclarationSyntax m => (m.Identifier.Text, m.ParameterList.Parameters.Count, (SyntaxNode?)m.ExpressionBody?.Expression ?? m.Body),
                GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f } => (f.Identifier.Text, f.ParameterList.Parameters.Count, (SyntaxNode?)f.ExpressionBody?.Expression ?? f.Body),
                _ => (null, 0, null),
            };
            if (name is null) continue;
            string tokens = body is null ? "" : string.Concat(body.DescendantTokens().Select(t => t.Text));
            // The text starts with the comments above the function (its leading trivia), blank lines left out: so does the line it is mapped to.
            string full = member is GlobalStatementSyntax g ? g.Statement.ToFullString() : member.ToFullString();
            string text = full.TrimStart('\r', '\n').TrimEnd('\r', '\n');
            int line = tree.GetLineSpan(member.FullSpan).StartLinePosition.Line + 1 + full[..(full.Length - full.TrimStart('\r', '\n').Length)].Count(c => c == '\n');
            declarations.Add(new Declaration(name, arity, text, origin, line, Unanswered.Contains(tokens)));
        }
    }

    /// <summary>The script: usings, then each part (yours or the library's), then your helpers; and where each function's text is.</summary>
    private static (string Script, List<(string Name, int Arity, TextSpan Span)> Spans) Compose(
        IReadOnlyList<PartInfo> wanted, IReadOnlyList<Declaration> latest, HashSet<string> standIn, HashSet<(string, int)> dropped, List<string> usings)
    {
        var text = new StringBuilder();
        var spans = new List<(string, int, TextSpan)>();
        text.Append("// Your network, collected from your notebooks' exercise cells by YourNetwork.Assemble. Written again each time it runs:\n");
        text.Append("// change your notebooks, not this file. A function you have not written yet is the library's (StandIn).\n");
        foreach (var u in usings) text.Append("using ").Append(u).Append(";\n");
        void Add(string name, int arity, string code, string? origin, int line)
        {
            text.Append('\n');
            if (origin is not null) text.Append(CultureInfo.InvariantCulture, $"#line {line} \"{origin}\"\n");
            int start = text.Length;
            text.Append(code).Append('\n');
            spans.Add((name, arity, new TextSpan(start, text.Length - start)));
            if (origin is not null) text.Append("#line default\n");
        }
        foreach (var part in wanted)
        {
            var yours = latest.LastOrDefault(d => d.Name == part.Name && !d.Unanswered);
            if (yours is null || standIn.Contains(part.Name))
                Add(part.Name, -1, $"// {part.Name}: the library's, standing in for yours.\n{part.Signature} => {part.StandIn};", null, 0);
            else
                Add(part.Name, yours.Arity, yours.Code, yours.Origin, yours.Line);
        }
        foreach (var helper in latest.Where(d => wanted.All(p => p.Name != d.Name) && !d.Unanswered && !dropped.Contains((d.Name, d.Arity))))
            Add(helper.Name, helper.Arity, helper.Code, helper.Origin, helper.Line);
        return (text.ToString(), spans);
    }

    /// <summary>The compile errors of the script against the assemblies loaded here (the kernel's), each with its place in the script.</summary>
    internal static List<(TextSpan Span, string Message)> Errors(string script)
    {
        var tree = CSharpSyntaxTree.ParseText(script, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && !string.IsNullOrEmpty(a.Location) && File.Exists(a.Location))
            .GroupBy(a => a.GetName().Name).Select(g => g.First())
            .Select(a => MetadataReference.CreateFromFile(a.Location));
        var compilation = CSharpCompilation.CreateScriptCompilation("my-network", tree, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource)
            .Select(d => (d.Location.SourceSpan, $"{d.Location.GetMappedLineSpan().Path}, line {d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}: {d.GetMessage(CultureInfo.InvariantCulture)}"))
            .ToList();
    }
}
