using System.Text;

namespace NeuralNet.Exercises;

/// <summary>How an exercise stands.</summary>
public enum Verdict
{
    /// <summary>Every case matches the library.</summary>
    Correct,
    /// <summary>The function still returns null (or throws NotImplementedException): nothing to check yet.</summary>
    NotAnswered,
    /// <summary>A wrong answer the check recognises as a classic mistake, named in <see cref="ExerciseResult.Mistake"/>.</summary>
    Mistake,
    /// <summary>A wrong answer the check cannot name: it says where the numbers differ.</summary>
    Wrong,
    /// <summary>The student's code threw; the result explains the exception in words.</summary>
    Crashed,
}

/// <summary>
/// The verdict on an exercise, in words: right, or what is wrong and what to look at — never a stack trace.
/// A wrong answer carries two tiers of help: <see cref="Idea"/> (hint 1) and <see cref="Equation"/> (hint 2);
/// the answer itself is only in notebooks/solutions/.
/// </summary>
public sealed class ExerciseResult
{
    internal ExerciseResult(string exercise, Verdict verdict, string message, IReadOnlyList<string> details,
        Mistake? mistake, string idea, string equation)
    {
        Exercise = exercise;
        Verdict = verdict;
        Message = message;
        Details = details;
        Mistake = mistake;
        Idea = idea;
        Equation = equation;
    }

    /// <summary>The exercise's name, e.g. "LinearForward".</summary>
    public string Exercise { get; }

    /// <summary>Right, unanswered, a named mistake, wrong, or crashed.</summary>
    public Verdict Verdict { get; }

    /// <summary>True when every case matches the library.</summary>
    public bool Correct => Verdict == Verdict.Correct;

    /// <summary>The verdict in one or two sentences.</summary>
    public string Message { get; }

    /// <summary>Further lines: the case that failed, each part's state, the numbers compared.</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>The classic mistake recognised, if any (one of <see cref="Mistakes"/>).</summary>
    public Mistake? Mistake { get; }

    /// <summary>Hint 1: the idea behind the exercise.</summary>
    public string Idea { get; }

    /// <summary>Hint 2: the equation to implement.</summary>
    public string Equation { get; }

    /// <summary>Whether hints belong with this verdict (everything but a correct answer).</summary>
    public bool ShowsHints => Verdict != Verdict.Correct;

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Correct ? "✔ " : "✘ ").Append(Exercise).Append(": ").Append(Message);
        foreach (var line in Details) text.Append("\n  ").Append(line);
        if (Mistake is { } mistake) text.Append("\n  Why: ").Append(mistake.Hint);
        if (ShowsHints)
        {
            text.Append("\n  Hint 1 (the idea): ").Append(Idea);
            text.Append("\n  Hint 2 (the equation): ").Append(Equation);
        }
        return text.ToString();
    }
}
