using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Exercises;

/// <summary>A classic mistake written as code: what a student who makes it would return for one part of the answer.</summary>
internal sealed record MistakeVariant<TCase>(Mistake Mistake, string Part, Func<TCase, Matrix<double>> Compute);

/// <summary>
/// One exercise: what the student writes, its two hints, the cases it is checked on, the library's answer
/// for each case, and the classic mistakes it recognises. The answer may have several parts (dW, db, dA_prev);
/// numbers are 1 × 1 parts.
/// </summary>
internal sealed class ExerciseSpec<TCase>
{
    public required string Name { get; init; }
    /// <summary>The name of the student's function, when it is not <see cref="Name"/> (TrainingLoop checks Train).</summary>
    public string? Function { get; init; }
    /// <summary>What to write, for an unanswered exercise: "Write LinearForward so that it returns …".</summary>
    public required string Task { get; init; }
    /// <summary>Hint 1.</summary>
    public required string Idea { get; init; }
    /// <summary>Hint 2.</summary>
    public required string Equation { get; init; }
    public required string[] Parts { get; init; }
    /// <summary>The parts are numbers (shown as numbers, not matrices).</summary>
    public bool Numbers { get; init; }
    public required int CaseCount { get; init; }
    /// <summary>Case k, built afresh on every call (the student's code may change what it is given).</summary>
    public required Func<int, TCase> Case { get; init; }
    public required Func<TCase, string> Describe { get; init; }
    public required Func<TCase, Matrix<double>[]> Library { get; init; }
    public IReadOnlyList<MistakeVariant<TCase>> Mistakes { get; init; } = [];
    /// <summary>What a passed case shows besides "matches", from the library's answer (e.g. the first and last cost).</summary>
    public Func<Matrix<double>[], string>? Summary { get; init; }
    /// <summary>Relative tolerance, against the largest entry of the library's part.</summary>
    public double Tolerance { get; init; } = 1e-9;
    /// <summary>The exercise divides (by m, a count): an all-zero answer may be an integer division.</summary>
    public bool Divides { get; init; }
    /// <summary>
    /// The case's matrices by the names the student's function gives them, so an error can say "A_prevᵀ" rather than a
    /// shape, and so the grader can tell when the student's function wrote into one of them.
    /// </summary>
    public Func<TCase, (string Name, Matrix<double> Value)[]>? Inputs { get; init; }
    /// <summary>What writing into an input breaks here, said after the generic explanation (null: nothing to add).</summary>
    public string? InPlace { get; init; }
    /// <summary>The inputs the student's function is meant to change in place (UpdateParameters' W and b): not a mistake.</summary>
    public IReadOnlySet<string> Changes { get; init; } = new HashSet<string>();
}

/// <summary>
/// Runs a student's function on every case of an exercise, compares each part with the library's, and
/// turns the first difference into a verdict: a named mistake when one of the exercise's mistakes gives
/// the student's numbers, otherwise where the numbers differ; an exception becomes words.
/// </summary>
internal static class Grader
{
    public static ExerciseResult Grade<TCase>(ExerciseSpec<TCase> spec, Func<TCase, Matrix<double>?[]?>? yours)
    {
        if (yours is null) return NotAnswered(spec);
        var passed = new List<string>();
        for (int k = 0; k < spec.CaseCount; k++)
        {
            var expected = spec.Library(spec.Case(k));
            Matrix<double>?[]? got;
            string where = Invariant($"Case {k + 1} of {spec.CaseCount}: {spec.Describe(spec.Case(k))}.");
            var given = spec.Case(k);
            try
            {
                got = yours(given);
            }
            catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
            {
                // A function it calls may be the one still unanswered (Train calling ComputeCost): say which.
                string? thrower = CodeErrors.WhereInYourCode(e.InnerException ?? e);
                if (thrower is not null && thrower != (spec.Function ?? spec.Name) && thrower != "your code")
                    return Result(spec, Verdict.NotAnswered,
                        $"not answered yet: {thrower}, which your function calls, is not written yet (it throws NotImplementedException). Write it first, then run the check again.",
                        [where], null);
                return NotAnswered(spec);
            }
            catch (Exception e)
            {
                var (explanation, mistake) = CodeErrors.Explain(e, spec.Inputs?.Invoke(spec.Case(k)));
                if (mistake is not null) explanation += $" This looks like the classic {mistake.Name}.";
                return Result(spec, Verdict.Crashed, explanation, [where], mistake);
            }
            if (got is null || got.All(p => p is null))
                return k == 0 ? NotAnswered(spec) : Result(spec, Verdict.Wrong, "your function returned null.", [where], null);
            if (ChangedInput(spec, given, spec.Case(k)) is { } changed)
                return Result(spec, Verdict.Mistake, $"looks like {Mistakes.ChangedItsInput.Name}: {changed}{(spec.InPlace is { } why ? " " + why : "")}",
                    [where], Mistakes.ChangedItsInput);

            // Each differing part with the mistakes that reproduce it; the mistake named is the one that explains the most parts
            // (two mistakes can give the same numbers for one part, rarely for all of them).
            var rows = new List<(string Part, string? Difference, List<Mistake> Matching)>();
            bool allRight = true;
            double largest = 0;
            for (int i = 0; i < spec.Parts.Length; i++)
            {
                string part = spec.Parts[i];
                var mine = i < got.Length ? got[i] : null;
                if (mine is null)
                {
                    rows.Add((part, null, []));
                    allRight = false;
                    continue;
                }
                var difference = Difference(spec, part, mine, expected[i], out double gap);
                largest = Math.Max(largest, gap);
                if (difference is null)
                {
                    rows.Add((part, "", []));
                    continue;
                }
                allRight = false;
                rows.Add((part, difference, spec.Mistakes.Where(v => v.Part == part && Matches(spec, v, spec.Case(k), mine, expected[i])).Select(v => v.Mistake).Distinct().ToList()));
            }
            var named = rows.SelectMany(r => r.Matching).GroupBy(m => m).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
            bool allNamed = true;
            var lines = new List<string>();
            foreach (var (part, difference, matching) in rows)
            {
                if (difference is null)
                {
                    lines.Add($"✘ {part}: null — not computed yet.");
                    allNamed = false;
                }
                else if (difference.Length == 0)
                {
                    if (spec.Parts.Length > 1) lines.Add($"✔ {part} matches the library.");
                }
                else if ((matching.Contains(named!) ? named : matching.FirstOrDefault()) is { } mistake)
                {
                    lines.Add($"✘ {part}: looks like {mistake.Name}. ({difference})");
                    if (mistake != named) allNamed = false;
                }
                else
                {
                    allNamed = false;
                    lines.Add($"✘ {part}: {difference}");
                }
            }
            if (allRight)
            {
                string summary = spec.Summary is { } s ? $" {s(expected)}" : "";
                passed.Add($"{spec.Describe(spec.Case(k))}: matches (largest difference {largest.ToString("G2", CultureInfo.InvariantCulture)}).{summary}");
                continue;
            }
            lines.Insert(0, where);
            string message = named is null
                ? "the result differs from the library's."
                : allNamed ? $"looks like {named.Name}." : $"looks like {named.Name}, and more.";
            return Result(spec, named is null ? Verdict.Wrong : Verdict.Mistake, message, lines, named);
        }
        return Result(spec, Verdict.Correct, Invariant($"every part matches the library on all {spec.CaseCount} cases."), passed, null);
    }

    /// <summary>Which input the student's call wrote into, in words, or null: <paramref name="after"/> against a fresh copy of the case.</summary>
    private static string? ChangedInput<TCase>(ExerciseSpec<TCase> spec, TCase after, TCase fresh)
    {
        if (spec.Inputs is null) return null;
        foreach (var ((name, now), (_, before)) in spec.Inputs(after).Zip(spec.Inputs(fresh)))
        {
            if (spec.Changes.Contains(name) || now.RowCount != before.RowCount || now.ColumnCount != before.ColumnCount) continue;
            for (int j = 0; j < before.ColumnCount; j++)
                for (int i = 0; i < before.RowCount; i++)
                    if (!now[i, j].Equals(before[i, j]))
                    {
                        string was = Number(before[i, j]), isNow = Number(now[i, j]);
                        string size = was == isNow ? Invariant($" (a change of {now[i, j] - before[i, j]:G3})") : "";
                        return Invariant($"your function changed {name}, which it was given: entry [{i}, {j}] was {was} and is now {isNow}{size}.");
                    }
        }
        return null;
    }

    private static ExerciseResult NotAnswered<TCase>(ExerciseSpec<TCase> spec) =>
        Result(spec, Verdict.NotAnswered, $"not answered yet. {spec.Task} Then run the check again.", [], null);

    private static ExerciseResult Result<TCase>(ExerciseSpec<TCase> spec, Verdict verdict, string message, IReadOnlyList<string> details, Mistake? mistake) =>
        new(spec.Name, verdict, message, details, mistake, spec.Idea, spec.Equation);

    private static bool Matches<TCase>(ExerciseSpec<TCase> spec, MistakeVariant<TCase> variant, TCase c, Matrix<double> mine, Matrix<double> expected)
    {
        Matrix<double> wrong;
        try
        {
            wrong = variant.Compute(c);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;   // the mistake is not even defined for this case's shapes
        }
        return Difference(spec, "", mine, wrong, out _, Scale(expected)) is null;
    }

    internal static double Scale(Matrix<double> m) =>
        Math.Max(m.Enumerate().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max(), 1e-300);

    /// <summary>Null when <paramref name="mine"/> equals <paramref name="expected"/> within the tolerance; otherwise what differs, in words.</summary>
    private static string? Difference<TCase>(ExerciseSpec<TCase> spec, string part, Matrix<double> mine, Matrix<double> expected, out double largest, double? scale = null) =>
        Difference(mine, expected, spec.Tolerance * (scale ?? Scale(expected)), spec.Numbers, spec.Divides, out largest);

    /// <summary>
    /// Null when <paramref name="mine"/> equals <paramref name="expected"/> to within <paramref name="tolerance"/> (absolute) in every
    /// entry; otherwise what differs, in words: a shape, or the first entry apart and, when every entry is off by one factor, the factor.
    /// </summary>
    internal static string? Difference(Matrix<double> mine, Matrix<double> expected, double tolerance, bool numbers, bool divides, out double largest)
    {
        largest = 0;
        if (mine.RowCount != expected.RowCount || mine.ColumnCount != expected.ColumnCount)
        {
            string swapped = mine.RowCount == expected.ColumnCount && mine.ColumnCount == expected.RowCount
                ? " It has the right numbers of rows and columns, swapped: is a transpose (ᵀ) in the wrong place?"
                : "";
            return $"it is {Shape.Of(mine)} but should be {Shape.Of(expected)}.{swapped}";
        }
        for (int j = 0; j < expected.ColumnCount; j++)
            for (int i = 0; i < expected.RowCount; i++)
            {
                double a = mine[i, j], b = expected[i, j];
                if (double.IsNaN(a) && double.IsNaN(b) || a == b) continue;   // NaN only matches NaN (a mistake's overflow)
                double d = Math.Abs(a - b);
                if (d <= tolerance)
                {
                    largest = Math.Max(largest, d);
                    continue;
                }
                var (x, y) = Numbers(a, b);
                string trouble = double.IsNaN(a) ? " (NaN comes from an operation like 0/0, ∞/∞, ∞ − ∞ or the log of a negative number: which one?)"
                    : double.IsInfinity(a) ? " (∞ comes from the log of 0 or a division by 0 — log(0) is −∞: which one, and for which entry?)"
                    : "";
                if (numbers)
                    return $"yours is {x}, the library's is {y}.{trouble}{Factor(mine, expected, divides)}";
                return Invariant($"the shape {Shape.Of(mine)} is right, but entry [{i}, {j}] is {x} where the library has {y}.{trouble}{Factor(mine, expected, divides)}");
            }
        return null;
    }

    /// <summary>" Every number of yours is k times the library's …" when the two differ by one constant factor, else "".</summary>
    private static string Factor(Matrix<double> mine, Matrix<double> expected, bool divides)
    {
        double? k = null;
        int count = 0;
        for (int j = 0; j < expected.ColumnCount; j++)
            for (int i = 0; i < expected.RowCount; i++)
            {
                double a = mine[i, j], b = expected[i, j];
                if (!double.IsFinite(a) || !double.IsFinite(b)) return "";
                if (Math.Abs(b) < 1e-12) { if (Math.Abs(a) > 1e-12) return ""; continue; }
                double ratio = a / b;
                count++;
                if (k is null) k = ratio;
                else if (Math.Abs(ratio - k.Value) > 1e-9 * Math.Max(Math.Abs(k.Value), 1e-12)) return "";
            }
        if (k is not { } factor || Math.Abs(factor - 1) < 1e-9) return "";
        if (factor == 0)
            return divides ? " Every number of yours is 0: did a division of two ints, like 1 / m, round down to 0?"
                           : " Every number of yours is 0: is something multiplied by 0, or a result never filled in?";
        // One number always has "a factor": name it only when it is a whole number or one over a whole number.
        if (count == 1 && !IsWholeOrInverse(factor)) return "";
        return $" Every number of yours is {Number(factor)} times the library's: one constant factor is off — a 1/m, a ½, a sign or a learning rate?";
    }

    private static bool IsWholeOrInverse(double k)
    {
        double a = Math.Abs(k);
        return Math.Abs(a - Math.Round(a)) < 1e-9 * a || Math.Abs(1 / a - Math.Round(1 / a)) < 1e-9 / a;
    }

    private static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Two different numbers as text that shows they differ: 6 digits, or all 17 and the difference when 6 print the same.</summary>
    private static (string Yours, string Library) Numbers(double a, double b)
    {
        string x = Number(a), y = Number(b);
        if (x != y) return (x, y);
        string difference = Math.Abs(a - b).ToString("G2", CultureInfo.InvariantCulture);
        return (a.ToString("G17", CultureInfo.InvariantCulture),
                $"{b.ToString("G17", CultureInfo.InvariantCulture)} — they differ by {difference}, beyond rounding (an ε or a clip that large changes the result)");
    }
}
