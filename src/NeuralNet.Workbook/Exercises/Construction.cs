namespace NeuralNet.Exercises;

/// <summary>
/// An exercise made of several functions the student writes in one cell, each with its own check, graded in the order
/// they build on each other: the answer is the first part that is not right (its mistake named, its hints given), or,
/// when every part is right, one ✔ that lists them.
/// </summary>
internal static class Construction
{
    public static ExerciseResult Grade(string name, params (string Part, Func<ExerciseResult> Check)[] parts)
    {
        var passed = new List<string>();
        foreach (var (part, check) in parts)
        {
            var result = check();
            if (result.Correct)
            {
                passed.Add($"✔ {part}: {result.Message}");
                continue;
            }
            // The first part still to do or to fix is the answer; the parts before it say they are done.
            string done = passed.Count == 0 ? "" : $"{string.Join(", ", parts.Take(passed.Count).Select(p => p.Part))} ✔; ";
            string message = result.Verdict == Verdict.NotAnswered
                ? $"{done}{result.Message}"
                : $"{done}{result.Exercise}: {result.Message}";
            return new ExerciseResult(name, result.Verdict, message, result.Details, result.Mistake, result.Idea, result.Equation);
        }
        return new ExerciseResult(name, Verdict.Correct, $"all {parts.Length} functions match the library.", passed, null, "", "");
    }
}
