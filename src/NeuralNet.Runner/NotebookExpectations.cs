using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralNet.Runner;

/// <summary>
/// A notebook's own checks, declared in its metadata and verified after a run:
/// <code>
/// "metadata": { "neuralnet": { "expect": [
///     { "cell": "first-chart", "mime": "text/html", "contains": "plotly" },
///     { "cell": "matrix",      "contains": "DenseMatrix 3x3" },
///     { "cell": "seed",        "mime": "stdout", "contains": "0.6837259954846229" },
///     { "cell": "seed",        "notContains": "NaN" }
/// ] } }
/// </code>
/// <c>cell</c> names a cell by a tag in its <c>metadata.tags</c> (best: survives inserting cells) or by
/// its nbformat cell <c>id</c>; a number is the cell's 0-based index in the file (fragile).
/// <c>mime</c> narrows the search to one kind of output: a MIME type (<c>text/html</c>,
/// <c>text/plain</c>…) of displays and results, <c>stdout</c>/<c>stderr</c> for console output; without it
/// every output of the cell counts. <c>contains</c> must occur in one of those outputs, <c>notContains</c>
/// in none (ordinal, case-sensitive). Every notebook must also run without error outputs.
/// <para>
/// Exercise checks need no declaration: every displayed value of a cell tagged <c>exercise-check</c> is a verdict,
/// which in a notebook of the solutions key (a folder named <c>solutions</c>) must be right (✔), and in a chapter as
/// shipped must say that the exercise is not answered yet — so the key cannot rot, and the chapters' unanswered
/// exercises run without throwing.
/// </para>
/// </summary>
public static class NotebookExpectations
{
    /// <summary>Checks every expectation; returns one message per unmet one (empty: all met).</summary>
    public static IReadOnlyList<string> Check(NotebookRunResult result)
    {
        var problems = new List<string>(ExerciseChecks(result));
        var expectations = result.Notebook.Metadata["neuralnet"]?["expect"];
        if (expectations is null)
        {
            return problems;
        }
        if (expectations is not JsonArray list)
        {
            return ["metadata.neuralnet.expect must be an array"];
        }

        var number = 0;
        foreach (var node in list)
        {
            number++;
            var label = $"expectation {number}";
            if (node is not JsonObject expect)
            {
                problems.Add($"{label}: not an object");
                continue;
            }
            try
            {
                problems.AddRange(CheckOne(result, expect, label));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
            {
                problems.Add($"{label} {expect.ToJsonString()}: malformed ({e.Message})");
            }
        }
        return problems;
    }

    private static IEnumerable<string> CheckOne(NotebookRunResult result, JsonObject expect, string label)
    {
        var selector = expect["cell"];
        var cell = FindCell(result.Notebook, selector);
        if (cell is null)
        {
            yield return $"{label}: no cell {selector?.ToJsonString() ?? "(missing \"cell\")"} (by tag, id or index)";
            yield break;
        }

        var mime = expect["mime"]?.GetValue<string>();
        var texts = result.OutputsOf(cell).SelectMany(o => o.TextsFor(mime)).ToList();
        var where = $"{cell.Describe()}{(mime is null ? "" : $" [{mime}]")}";
        if (!result.Cells.ContainsKey(cell.Index))
        {
            yield return $"{label}: {cell.Describe()} did not run";
            yield break;
        }

        if (expect["contains"]?.GetValue<string>() is { } wanted && !texts.Any(t => t.Contains(wanted, StringComparison.Ordinal)))
        {
            yield return $"{label}: {where} has no output containing \"{wanted}\"{Sample(texts)}";
        }
        if (expect["notContains"]?.GetValue<string>() is { } unwanted && texts.Any(t => t.Contains(unwanted, StringComparison.Ordinal)))
        {
            yield return $"{label}: {where} has an output containing \"{unwanted}\"";
        }
        if (expect["contains"] is null && expect["notContains"] is null)
        {
            yield return $"{label}: needs \"contains\" or \"notContains\"";
        }
    }

    /// <summary>The tag of a cell whose displayed values are exercise verdicts.</summary>
    public const string ExerciseCheckTag = "exercise-check";

    /// <summary>True for a notebook of the solutions key: one in a folder named <c>solutions</c>.</summary>
    public static bool IsSolutions(Notebook notebook) =>
        string.Equals(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(notebook.Path))), "solutions", StringComparison.Ordinal);

    private static IEnumerable<string> ExerciseChecks(NotebookRunResult result)
    {
        bool solutions = IsSolutions(result.Notebook);
        string wanted = solutions ? "✔" : "not answered yet";
        foreach (var cell in result.Notebook.Cells.Where(c => c.Tags.Contains(ExerciseCheckTag)))
        {
            if (!result.Cells.ContainsKey(cell.Index))
            {
                yield return $"exercise check {cell.Describe()} did not run";
                continue;
            }
            var verdicts = result.OutputsOf(cell).Where(o => o.Kind is OutputKind.Display or OutputKind.Result).ToList();
            if (verdicts.Count == 0)
            {
                yield return $"exercise check {cell.Describe()} shows no verdict";
                continue;
            }
            foreach (var verdict in verdicts)
            {
                var texts = verdict.TextsFor(null).ToList();
                if (!texts.Any(t => t.Contains(wanted, StringComparison.Ordinal)))
                {
                    yield return $"exercise check {cell.Describe()}: {(solutions ? "the solution does not pass" : "a chapter must ship with its exercise unanswered")} " +
                                 $"(expected \"{wanted}\"){Sample(texts)}";
                }
            }
        }
    }

    /// <summary>A cell by tag, id (string) or 0-based index (number).</summary>
    public static NotebookCell? FindCell(Notebook notebook, JsonNode? selector)
    {
        if (selector is JsonValue value && value.TryGetValue<int>(out var index))
        {
            return index >= 0 && index < notebook.Cells.Count ? notebook.Cells[index] : null;
        }
        var name = selector?.GetValue<string>();
        return name is null ? null
            : notebook.Cells.FirstOrDefault(c => c.Tags.Contains(name)) ?? notebook.Cells.FirstOrDefault(c => c.Id == name);
    }

    private static string Sample(List<string> texts)
    {
        if (texts.Count == 0)
        {
            return " (it has no such output)";
        }
        var first = texts[0].Replace("\n", " ", StringComparison.Ordinal);
        return $" (first: \"{(first.Length > 120 ? first[..117] + "..." : first)}\")";
    }
}
