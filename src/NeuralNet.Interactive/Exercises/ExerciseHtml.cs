using System.Text;
using NeuralNet.Exercises;

namespace NeuralNet.Interactive;

/// <summary>
/// An exercise verdict as HTML: green when right, amber with what is wrong when not; the two hints folded
/// away (click to open hint 1, the idea; then hint 2, the equation), so help comes one tier at a time.
/// </summary>
public static class ExerciseHtml
{
    /// <summary>The verdict, its details, the recognised mistake's hint, and the two hints folded.</summary>
    public static string ToHtml(ExerciseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string color = result.Verdict switch
        {
            Verdict.Correct => "#1a7f37",
            Verdict.NotAnswered => "#57606a",
            _ => "#9a6700",
        };
        string badge = result.Verdict switch
        {
            Verdict.Correct => "✔ correct",
            Verdict.NotAnswered => "✎ your turn",
            _ => "✘ not yet",
        };
        var html = new StringBuilder();
        html.Append($"<div class=\"nn-exercise\" style=\"border-left:4px solid {color};padding:4px 10px;font-family:sans-serif\">");
        html.Append($"<div><span style=\"color:{color};font-weight:600\">{badge}</span> — <b>{HtmlText.Escape(result.Exercise)}</b>: {HtmlText.Escape(result.Message)}</div>");
        if (result.Details.Count > 0)
        {
            html.Append("<ul style=\"margin:4px 0\">");
            foreach (var line in result.Details) html.Append("<li>").Append(HtmlText.Escape(line)).Append("</li>");
            html.Append("</ul>");
        }
        if (result.Mistake is { } mistake)
            html.Append($"<div><b>Why:</b> {HtmlText.Escape(mistake.Hint)}</div>");
        if (result.ShowsHints)
        {
            html.Append($"<details><summary>Hint 1 — the idea</summary><div>{HtmlText.Escape(result.Idea)}</div>");
            html.Append($"<details><summary>Hint 2 — the equation</summary><div>{HtmlText.Escape(result.Equation)}</div>");
            html.Append("<div style=\"color:#57606a\">The answer itself is in the solutions key, notebooks/solutions/.</div></details></details>");
        }
        html.Append("</div>");
        return html.ToString();
    }
}
