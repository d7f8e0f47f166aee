namespace NeuralNet.Exercises;

/// <summary>
/// An exercise made of several functions the student writes in one cell, each with its own check: the parts, checked
/// each on its own, and optionally the function built from them, checked only once every part matches the library (it
/// calls them). One verdict comes out: the first wrong part speaks (its message, mistake and hints), else the first one
/// still to write; every function gets a line.
/// </summary>
internal static class Construction
{
    public static ExerciseResult Grade(string name, (string Part, Func<ExerciseResult> Check)[] parts, (string Part, Func<ExerciseResult> Check)? builtFromThem = null)
    {
        var results = parts.Select(p => (p.Part, Result: (ExerciseResult?)p.Check())).ToList();
        if (builtFromThem is { } whole)
            results.Add((whole.Part, results.All(r => r.Result!.Correct) ? whole.Check() : null));

        var answered = results.Where(r => r.Result is not null).ToList();
        var first = answered.FirstOrDefault(r => r.Result!.Verdict is Verdict.Wrong or Verdict.Mistake or Verdict.Crashed);
        if (first.Result is null) first = answered.FirstOrDefault(r => r.Result!.Verdict is Verdict.NotAnswered);
        string checkedFirst = parts.Length == 1 ? parts[0].Part
            : string.Join(", ", parts[..^1].Select(p => p.Part)) + " and " + parts[^1].Part;
        var lines = new List<string>();
        foreach (var (part, result) in results)
        {
            if (result is null)
                lines.Add($"· {part}: checked once {checkedFirst} match the library.");
            else if (result.Correct)
                lines.Add($"✔ {part}: {result.Message}");
            else if (result.Verdict == Verdict.NotAnswered)
                lines.Add($"✎ {part}: not answered yet.");
            else
                lines.Add($"✘ {part}: {result.Message}");
            // The cases a part passed are worth reading when everything passed; otherwise every part that is wrong shows
            // where, and a part other than the one that speaks says its own why (the verdict's hints are the speaker's).
            if (result is null) continue;
            bool wrong = result.Verdict is Verdict.Wrong or Verdict.Mistake or Verdict.Crashed;
            if (first.Result is null ? result.Correct : wrong)
                lines.AddRange(result.Details.Select(d => "    " + d));
            if (wrong && part != first.Part && result.Mistake is { } own)
                lines.Add($"    Why: {own.Hint}");
        }
        if (first.Result is null)
            return new ExerciseResult(name, Verdict.Correct, $"all {results.Count} functions match the library.", lines, null, "", "");
        var (speaker, verdict) = (first.Part, first.Result);
        string message = verdict.Verdict == Verdict.NotAnswered
            ? $"not answered yet — {speaker}. {verdict.Message.Replace("not answered yet. ", "", StringComparison.Ordinal)}"
            : $"{speaker}: {verdict.Message}";
        return new ExerciseResult(name, verdict.Verdict, message, lines, verdict.Mistake, verdict.Idea, verdict.Equation);
    }
}
