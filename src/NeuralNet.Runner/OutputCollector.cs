using System.Globalization;
using System.Text.Json.Nodes;

namespace NeuralNet.Runner;

/// <summary>
/// Turns kernel events into notebook outputs, cell by cell, for one notebook run.
/// </summary>
/// <remarks>
/// Live displays (<c>DisplayedValue.Update</c>, live training charts) send <c>DisplayedValueUpdated</c>
/// events; the saved notebook must show the final value in place of the original display. The kernel
/// (1.0.712001) gives an update a different id from the display it updates (the display event carries
/// a fresh id, the updates carry the <c>DisplayedValue</c>'s id), so updates are matched: by id when
/// it matches a display; else to the display an earlier update with that id claimed; else the id
/// claims the first display of the current cell not yet claimed (the order displays are created and
/// first updated), then the most recent unclaimed display of an earlier cell. Anything still unmatched
/// is kept as a new display so no output is lost.
/// Compiler warnings (<c>DiagnosticsProduced</c>) are kept as the stderr text Jupyter shows for them, and
/// listed in <see cref="Warnings"/>: a reader sees them in red, so the runner treats them as failures.
/// </remarks>
public sealed class OutputCollector
{
    private readonly Dictionary<int, List<CellOutput>> _outputs = [];
    private readonly List<(int Cell, CellOutput Output)> _displays = [];
    private readonly Dictionary<string, CellOutput> _claims = [];
    private readonly List<(int Cell, string Text)> _warnings = [];
    private int _cell = -1;

    /// <summary>Outputs so far, by cell index.</summary>
    public IReadOnlyDictionary<int, List<CellOutput>> Outputs => _outputs;

    public IReadOnlyList<CellOutput> OutputsOf(int cellIndex) =>
        _outputs.TryGetValue(cellIndex, out var list) ? list : [];

    /// <summary>Compiler warnings so far, by cell index, as the kernel formats them: <c>(3,9): warning CS0168: …</c>.</summary>
    public IReadOnlyList<(int Cell, string Text)> Warnings => _warnings;

    /// <summary>Events from now on belong to this cell.</summary>
    public void BeginCell(int cellIndex)
    {
        _cell = cellIndex;
        _outputs[cellIndex] = [];
    }

    /// <summary>Adds the error that stopped the current cell.</summary>
    public void AddError(string message) => Current.Add(CellOutput.Error(message));

    /// <summary>Handles one kernel event (the <c>eventType</c> and its <c>event</c> object).</summary>
    public void OnEvent(string eventType, JsonObject? body)
    {
        switch (eventType)
        {
            case "DisplayedValueProduced":
                var display = CellOutput.Display(FormattedValues(body), ValueId(body));
                if (display.Data.Count > 0)
                {
                    Current.Add(display);
                    _displays.Add((_cell, display));
                }
                break;
            case "DisplayedValueUpdated":
                Update(ValueId(body), FormattedValues(body));
                break;
            case "ReturnValueProduced":
                var result = FormattedValues(body);
                if (result.Count > 0)
                {
                    Current.Add(CellOutput.Result(result));
                }
                break;
            case "StandardOutputValueProduced":
                AddStream("stdout", body);
                break;
            case "StandardErrorValueProduced":
                AddStream("stderr", body);
                break;
            case "DiagnosticsProduced":
                AddWarnings(body);
                break;
            case "ErrorProduced":
                var message = body?["message"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(message))
                {
                    Current.Add(CellOutput.Error(message));
                }
                break;
        }
    }

    private List<CellOutput> Current =>
        _cell >= 0 ? _outputs[_cell] : throw new InvalidOperationException("BeginCell first");

    private void Update(string? id, Dictionary<string, string> data)
    {
        if (data.Count == 0)
        {
            return;
        }

        var target = id is null ? null
            : _claims.GetValueOrDefault(id)
              ?? _displays.Select(d => d.Output).FirstOrDefault(o => o.DisplayId == id);
        if (target is null)
        {
            var claimed = _claims.Values.ToHashSet();
            var unclaimed = _displays.Where(d => !claimed.Contains(d.Output)).ToList();
            target = unclaimed.Where(d => d.Cell == _cell).Select(d => d.Output).FirstOrDefault()
                     ?? unclaimed.Where(d => d.Cell != _cell).Select(d => d.Output).LastOrDefault();
        }

        if (target is null)
        {
            var added = CellOutput.Display(data, id);
            Current.Add(added);
            _displays.Add((_cell, added));
            target = added;
        }
        else
        {
            target.Replace(data);
        }

        if (id is not null)
        {
            _claims[id] = target;
        }
    }

    private void AddStream(string name, JsonObject? body) => AddStream(name, string.Concat(FormattedValues(body).Values));

    private void AddStream(string name, string text)
    {
        if (text.Length == 0)
        {
            return;
        }
        if (Current.Count > 0 && Current[^1] is { Kind: OutputKind.Stream } last && last.StreamName == name)
        {
            last.Append(text);
        }
        else
        {
            Current.Add(CellOutput.Stream(name, text));
        }
    }

    // A compile error fails the command and arrives as its message; only warnings need keeping here. The C#
    // kernel sends each diagnostic twice: structured (severity, code) and formatted, in the same order. When
    // the two lists do not pair up, the text is written from the structured one, as the kernel would.
    private void AddWarnings(JsonObject? body)
    {
        var diagnostics = body?["diagnostics"] as JsonArray ?? [];
        var formatted = body?["formattedDiagnostics"] as JsonArray ?? [];
        for (int i = 0; i < diagnostics.Count; i++)
        {
            var diagnostic = diagnostics[i];
            if (diagnostic?["severity"]?.GetValue<string>() is not { } severity
                || !severity.Equals("warning", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var start = diagnostic["linePositionSpan"]?["start"];
            var text = (formatted.Count == diagnostics.Count ? formatted[i]?["value"]?.GetValue<string>() : null)
                ?? string.Create(CultureInfo.InvariantCulture,
                    $"({start?["line"]?.GetValue<int>() + 1},{start?["character"]?.GetValue<int>() + 1}): warning {diagnostic["code"]?.GetValue<string>()}: {diagnostic["message"]?.GetValue<string>()}");
            _warnings.Add((_cell, text));
            AddStream("stderr", text + "\n");
        }
    }

    private static string? ValueId(JsonObject? body) => body?["valueId"]?.GetValue<string>();

    private static Dictionary<string, string> FormattedValues(JsonObject? body)
    {
        var data = new Dictionary<string, string>();
        foreach (var node in body?["formattedValues"] as JsonArray ?? [])
        {
            if (node is JsonObject value
                && value["suppressDisplay"]?.GetValue<bool>() != true
                && value["mimeType"]?.GetValue<string>() is { } mime)
            {
                data[mime] = value["value"]?.GetValue<string>() ?? "";
            }
        }
        return data;
    }
}
