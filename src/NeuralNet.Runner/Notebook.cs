using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralNet.Runner;

/// <summary>One cell of a Jupyter notebook (nbformat 4).</summary>
/// <param name="Index">0-based position in the notebook's <c>cells</c> array.</param>
/// <param name="Kind"><c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="KernelName">For code cells, the .NET Interactive subkernel to run it in (csharp, fsharp, …).</param>
/// <param name="Id">The nbformat 4.5 cell id, if any.</param>
/// <param name="Tags">The cell's <c>metadata.tags</c>.</param>
public sealed record NotebookCell(int Index, string Kind, string Source, string? KernelName, string? Id, IReadOnlyList<string> Tags)
{
    public bool IsCode => Kind == "code";

    /// <summary>The first non-blank line, trimmed and shortened: how messages name the cell.</summary>
    public string FirstLine
    {
        get
        {
            var line = Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            return line.Length <= 80 ? line : line[..77] + "...";
        }
    }

    /// <summary>"cell 4 (`throw new …`)": 1-based like an editor shows it, plus the first line.</summary>
    public string Describe() => $"cell {Index + 1} (`{FirstLine}`)";
}

/// <summary>A notebook file: its cells, plus the raw JSON so it can be written back with outputs.</summary>
/// <remarks>
/// Read and written with System.Text.Json, not with .NET Interactive's own .ipynb reader/writer
/// (Microsoft.DotNet.Interactive.Documents 1.0.0-beta.26120.1), because that one, tried on these notebooks:
/// <list type="bullet">
/// <item>writes every output MIME type as a list of strings, so an <c>application/json</c> value reaches Jupyter
/// (nbformat leaves JSON types as they are) as a list holding one string, not the JSON; and it throws
/// (<c>Expected IEnumerable&lt;string&gt;</c>) writing back a JSON value it read itself;</item>
/// <item>reads <c>raw</c> cells as code cells, so the runner would run them as C#;</item>
/// <item>drops markdown cells' <c>attachments</c> (pasted images) and other fields it does not model,
/// writes integers in metadata as doubles, and always writes <c>nbformat_minor</c> 5.</item>
/// </list>
/// Cell ids, tags and notebook metadata it keeps; here they are kept by writing back the JSON as read, with
/// only code cells' <c>outputs</c> and <c>execution_count</c> replaced (see <see cref="WithOutputs"/>).
/// </remarks>
public sealed class Notebook
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        // Keep HTML outputs readable in the file (<div>, not \u003Cdiv\u003E); still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Dictionary<string, string> KernelNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csharp"] = "csharp", ["c#"] = "csharp", [".net-csharp"] = "csharp",
        ["fsharp"] = "fsharp", ["f#"] = "fsharp", [".net-fsharp"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh", [".net-pwsh"] = "pwsh",
        ["html"] = "html", ["mermaid"] = "mermaid", ["http"] = "http", ["value"] = "value",
    };

    private Notebook(string path, JsonObject json, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        Json = json;
        Cells = cells;
    }

    public string Path { get; }

    /// <summary>The file name without <c>.ipynb</c>, e.g. <c>00-start-here</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The notebook as read (outputs as stored in the file).</summary>
    public JsonObject Json { get; }

    /// <summary>Notebook-level <c>metadata</c>.</summary>
    public JsonObject Metadata => Json["metadata"] as JsonObject ?? new JsonObject();

    public static Notebook Load(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException("the file is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid notebook: {e.Message}", e);
        }
        try
        {
            return Parse(path, json);
        }
        catch (InvalidOperationException e)
        {
            // A field of the wrong JSON type (e.g. a number where nbformat wants a string).
            throw new InvalidDataException($"{path}: not a valid notebook: {e.Message}", e);
        }
    }

    public static Notebook Parse(string path, JsonObject json)
    {
        var format = json["nbformat"]?.GetValue<int>();
        if (format != 4)
        {
            throw new InvalidDataException($"{path}: nbformat {format?.ToString() ?? "(missing)"}; only nbformat 4 is supported");
        }

        var metadata = json["metadata"] as JsonObject;
        var defaultKernel = DefaultKernelName(metadata);
        var cells = new List<NotebookCell>();
        var index = 0;
        foreach (var node in json["cells"] as JsonArray ?? [])
        {
            if (node is not JsonObject cell)
            {
                throw new InvalidDataException($"{path}: cell {index + 1} is not a JSON object");
            }
            var kind = cell["cell_type"]?.GetValue<string>() ?? "";
            var cellMetadata = cell["metadata"] as JsonObject;
            var tags = (cellMetadata?["tags"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? [];
            var kernel = kind == "code" ? CellKernelName(cellMetadata) ?? defaultKernel : null;
            cells.Add(new NotebookCell(index, kind, JoinSource(cell["source"]), kernel, cell["id"]?.GetValue<string>(), tags));
            index++;
        }
        return new Notebook(path, json, cells);
    }

    /// <summary>Maps a language or kernel name to a .NET Interactive subkernel; null if unknown.</summary>
    public static string? ToKernelName(string? language) =>
        language is not null && KernelNames.TryGetValue(language.Trim(), out var name) ? name : null;

    /// <summary>
    /// A copy of the notebook with these outputs and execution counts in its code cells
    /// (cells without an entry get no outputs and a null count: they did not run).
    /// </summary>
    public JsonObject WithOutputs(IReadOnlyDictionary<int, (int ExecutionCount, IReadOnlyList<CellOutput> Outputs)> results)
    {
        var copy = (JsonObject)Json.DeepClone();
        var cells = copy["cells"] as JsonArray ?? [];
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"]?.GetValue<string>() != "code")
            {
                continue;
            }
            cell["metadata"] ??= new JsonObject();
            if (results.TryGetValue(i, out var result))
            {
                cell["execution_count"] = result.ExecutionCount;
                cell["outputs"] = new JsonArray(result.Outputs.Select(o => (JsonNode?)o.ToJson(result.ExecutionCount)).ToArray());
            }
            else
            {
                cell["execution_count"] = null;
                cell["outputs"] = new JsonArray();
            }
        }
        return copy;
    }

    public static string Serialize(JsonObject notebook) => notebook.ToJsonString(WriteOptions) + "\n";

    internal static string JoinSource(JsonNode? source) => source switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    /// <summary>nbformat's multiline string: a list of lines, each but the last ending in \n.</summary>
    internal static JsonArray SplitLines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                array.Add(text[start..]);
                break;
            }
            array.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return array;
    }

    private static string? CellKernelName(JsonObject? metadata)
    {
        var language = metadata?["dotnet_interactive"]?["language"]?.GetValue<string>()
            ?? metadata?["polyglot_notebook"]?["kernelName"]?.GetValue<string>();
        return language is null ? null : ToKernelName(language) ?? language;
    }

    private static string DefaultKernelName(JsonObject? metadata)
    {
        string?[] candidates =
        [
            metadata?["polyglot_notebook"]?["defaultKernelName"]?.GetValue<string>(),
            metadata?["kernelspec"]?["name"]?.GetValue<string>(),
            metadata?["kernelspec"]?["language"]?.GetValue<string>(),
            metadata?["language_info"]?["name"]?.GetValue<string>(),
        ];
        foreach (var candidate in candidates.Where(c => c is not null))
        {
            // A kernelspec we do not know (python3…) makes every unmarked cell unsupported, reported per cell.
            return ToKernelName(candidate) ?? candidate!;
        }
        return "csharp";
    }
}
