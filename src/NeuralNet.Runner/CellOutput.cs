using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralNet.Runner;

/// <summary>The nbformat output types the runner writes.</summary>
public enum OutputKind
{
    /// <summary><c>display_data</c>: <c>display(…)</c>, charts, formatted values.</summary>
    Display,
    /// <summary><c>execute_result</c>: the value of a cell's last expression.</summary>
    Result,
    /// <summary><c>stream</c>: Console output (stdout or stderr).</summary>
    Stream,
    /// <summary><c>error</c>: the cell failed (exception or compile error).</summary>
    Error,
}

/// <summary>One output of a cell, as it will be saved in the executed notebook.</summary>
public sealed class CellOutput
{
    private CellOutput(OutputKind kind) => Kind = kind;

    public OutputKind Kind { get; }

    /// <summary>Formatted values by MIME type (display and result outputs).</summary>
    public Dictionary<string, string> Data { get; private set; } = [];

    /// <summary>For displays: the kernel's display id (live updates replace <see cref="Data"/>).</summary>
    public string? DisplayId { get; init; }

    /// <summary><c>stdout</c> or <c>stderr</c> for stream outputs.</summary>
    public string? StreamName { get; private init; }

    /// <summary>Stream text, or the error message of an error output.</summary>
    public string Text { get; private set; } = "";

    /// <summary>Error outputs: exception type (e.g. <c>InvalidOperationException</c>) or <c>CompilationError</c>.</summary>
    public string? ErrorName { get; private init; }

    public static CellOutput Display(IReadOnlyDictionary<string, string> data, string? displayId) =>
        new(OutputKind.Display) { Data = new(data), DisplayId = displayId };

    public static CellOutput Result(IReadOnlyDictionary<string, string> data) =>
        new(OutputKind.Result) { Data = new(data) };

    public static CellOutput Stream(string name, string text) =>
        new(OutputKind.Stream) { StreamName = name, Text = text };

    public static CellOutput Error(string message)
    {
        // Kernel messages look like "System.InvalidOperationException: boom\n   at …" or
        // "(2,9): error CS0103: The name 'x' does not exist in the current context".
        var firstLine = message.Split('\n')[0].TrimEnd('\r');
        var name = "Error";
        var colon = firstLine.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && firstLine[..colon].EndsWith("Exception", StringComparison.Ordinal) && !firstLine[..colon].Contains(' '))
        {
            name = firstLine[..colon].Split('.')[^1];
        }
        else if (firstLine.Contains(": error CS", StringComparison.Ordinal))
        {
            name = "CompilationError";
        }
        return new(OutputKind.Error) { ErrorName = name, Text = message };
    }

    /// <summary>The first line of an error output's message (nbformat's <c>evalue</c>).</summary>
    public string ErrorValue
    {
        get
        {
            var firstLine = Text.Split('\n')[0].TrimEnd('\r');
            var prefix = ErrorName is { } n && firstLine.Contains(n + ": ", StringComparison.Ordinal)
                ? firstLine.IndexOf(n + ": ", StringComparison.Ordinal) + n.Length + 2
                : 0;
            return firstLine[prefix..];
        }
    }

    /// <summary>Replaces a display's values (a live chart's update).</summary>
    public void Replace(IReadOnlyDictionary<string, string> data) => Data = new(data);

    /// <summary>Appends to a stream output.</summary>
    public void Append(string text) => Text += text;

    /// <summary>Everything this output shows for one MIME type (<c>stdout</c>/<c>stderr</c> name streams,
    /// <c>error</c> the error), or for all of them when <paramref name="mime"/> is null.</summary>
    public IEnumerable<string> TextsFor(string? mime)
    {
        switch (Kind)
        {
            case OutputKind.Display or OutputKind.Result:
                foreach (var (type, value) in Data)
                {
                    if (mime is null || string.Equals(mime, type, StringComparison.OrdinalIgnoreCase))
                    {
                        yield return value;
                    }
                }
                break;
            case OutputKind.Stream when mime is null || string.Equals(mime, StreamName, StringComparison.OrdinalIgnoreCase):
                yield return Text;
                break;
            case OutputKind.Error when mime is null || string.Equals(mime, "error", StringComparison.OrdinalIgnoreCase):
                yield return Text;
                break;
        }
    }

    public JsonObject ToJson(int executionCount) => Kind switch
    {
        OutputKind.Display => new JsonObject { ["output_type"] = "display_data", ["data"] = DataJson(), ["metadata"] = new JsonObject() },
        OutputKind.Result => new JsonObject
        {
            ["output_type"] = "execute_result", ["data"] = DataJson(), ["metadata"] = new JsonObject(), ["execution_count"] = executionCount,
        },
        OutputKind.Stream => new JsonObject { ["output_type"] = "stream", ["name"] = StreamName, ["text"] = Notebook.SplitLines(Text) },
        _ => new JsonObject
        {
            ["output_type"] = "error", ["ename"] = ErrorName, ["evalue"] = ErrorValue,
            ["traceback"] = new JsonArray(Text.Split('\n').Select(l => (JsonNode?)JsonValue.Create(l.TrimEnd('\r'))).ToArray()),
        },
    };

    /// <summary>
    /// The values as Jupyter saves what the kernel sends it: the kernel (its <c>PreserveJson</c>) turns only
    /// <c>application/json</c> into a JSON value and sends every other type, JSON ones included, as the string it
    /// formatted; nbformat then keeps JSON types as they are and writes text types as lists of lines.
    /// </summary>
    private JsonObject DataJson()
    {
        var data = new JsonObject();
        foreach (var (mime, value) in Data)
        {
            data[mime] = mime switch
            {
                "application/json" => ParseJsonOrText(value),
                _ when IsJsonMimeType(mime) => JsonValue.Create(value),
                _ => Notebook.SplitLines(value),
            };
        }
        return data;
    }

    /// <summary>nbformat's JSON MIME types (<c>application/json</c>, <c>application/…+json</c>), which it leaves unsplit.</summary>
    private static bool IsJsonMimeType(string mime) =>
        mime.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || (mime.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mime.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static JsonNode? ParseJsonOrText(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }
}
