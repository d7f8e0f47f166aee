using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NeuralNet.Runner.Book;

/// <summary>
/// Formulas (KaTeX) and code (highlight.js), typeset by one node run for the whole book: pages are written with a
/// placeholder for each (<see cref="Math"/>, <see cref="Code"/>), then <see cref="Typeset"/> runs node on every
/// item at once and <see cref="Fill"/> puts the results in.
/// </summary>
internal sealed partial class Typesetter
{
    private readonly JsonArray _items = [];
    private readonly List<string> _where = [];
    private List<string>? _html;

    public int Formulas { get; private set; }

    public int CodeBlocks { get; private set; }

    /// <summary>The formulas KaTeX refused: where, the TeX and KaTeX's message.</summary>
    public List<string> Errors { get; } = [];

    public string KatexVersion { get; private set; } = "";

    public string HighlightJsVersion { get; private set; } = "";

    /// <summary>A placeholder for a formula (TeX without its $ delimiters); <paramref name="where"/> names it in errors.</summary>
    public string Math(string tex, bool display, string where)
    {
        Formulas++;
        return Add(new JsonObject { ["math"] = tex, ["display"] = display }, where);
    }

    /// <summary>A placeholder for highlighted code (the spans inside a <c>&lt;code&gt;</c>); language as highlight.js names it.</summary>
    public string Code(string code, string? language, string where)
    {
        CodeBlocks++;
        return Add(new JsonObject { ["code"] = code, ["lang"] = language }, where);
    }

    private string Add(JsonObject item, string where)
    {
        _items.Add(item);
        _where.Add(where);
        return $"<!--nn-typeset-{_items.Count - 1}-->";
    }

    /// <summary>Runs node on every formula and code block; false (and <paramref name="error"/>) when node failed.</summary>
    public bool Typeset(BookTools tools, out string? error)
    {
        error = null;
        string input = Path.Combine(tools.Folder, "typeset-in.json"), output = Path.Combine(tools.Folder, "typeset-out.json");
        File.WriteAllText(input, new JsonObject { ["items"] = _items.DeepClone() }.ToJsonString());
        File.Delete(output);
        var (exit, log) = BookTools.Run(tools.Node, [tools.TypesetScript, input, output], tools.Folder, TimeSpan.FromMinutes(5));
        if (exit != 0 || !File.Exists(output))
        {
            error = $"node {tools.TypesetScript} failed (exit {exit}): {log.Trim()}";
            return false;
        }
        var result = JsonNode.Parse(File.ReadAllText(output))!;
        KatexVersion = result["katex"]?.GetValue<string>() ?? "";
        HighlightJsVersion = result["highlightjs"]?.GetValue<string>() ?? "";
        var items = result["items"]!.AsArray();
        _html = [];
        for (int i = 0; i < items.Count; i++)
        {
            _html.Add(items[i]!["html"]!.GetValue<string>());
            if (items[i]!["error"] is { } message)
                Errors.Add($"{_where[i]}: ${_items[i]!["math"]}$: {message.GetValue<string>()}");
        }
        return true;
    }

    /// <summary>A page with its placeholders replaced by what node typeset.</summary>
    public string Fill(string page)
    {
        var html = _html ?? throw new InvalidOperationException("Typeset has not run");
        return Placeholder().Replace(page, m => html[int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [GeneratedRegex("<!--nn-typeset-([0-9]+)-->")]
    private static partial Regex Placeholder();
}
