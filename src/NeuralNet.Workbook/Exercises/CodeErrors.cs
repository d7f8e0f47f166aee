using System.Diagnostics;
using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Exercises;

/// <summary>
/// Explains an exception thrown by a student's code in words — what went wrong, and a question that
/// points at the fix — and, when the shapes tell, which classic mistake it was. Never a stack trace.
/// </summary>
public static partial class CodeErrors
{
    /// <summary>
    /// The explanation of <paramref name="error"/>, and the mistake it reveals (or null). <paramref name="inputs"/>, when
    /// given, are the matrices the student's function received, by name: a shape that is one of them is called by its name.
    /// </summary>
    public static (string Explanation, Mistake? Mistake) Explain(Exception error, IReadOnlyList<(string Name, Matrix<double> Value)>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is System.Reflection.TargetInvocationException { InnerException: { } inner }) error = inner;
        return Explain(error, YourMethods(error), inputs);
    }

    /// <summary>
    /// The explanation, given the student's methods on the stack, innermost first: when the error happened in a helper
    /// of theirs called by another (ReluBackward called from Train), it says so and points at the arguments.
    /// </summary>
    internal static (string Explanation, Mistake? Mistake) Explain(Exception error, IReadOnlyList<string> yourMethods, IReadOnlyList<(string Name, Matrix<double> Value)>? inputs)
    {
        var (what, mistake) = Describe(error, inputs);
        var named = yourMethods.Where(m => m != "your code").Distinct().ToList();
        if (named.Count >= 2)
        {
            string helper = named[0], caller = named[^1];
            return ($"Your code stopped with an error inside {helper}, as called from {caller}: {what} " +
                    $"If {helper} passed its own check, it is probably given the wrong matrices here: look at the arguments {caller} passes to {helper}.", mistake);
        }
        string where = yourMethods.Count > 0 ? $" in {yourMethods[0]}" : "";
        return ($"Your code stopped with an error{where}: {what}", mistake);
    }

    private static (string, Mistake?) Describe(Exception error, IReadOnlyList<(string Name, Matrix<double> Value)>? inputs)
    {
        switch (error)
        {
            case ShapeMismatchException:
                return (error.Message, null);
            case NullReferenceException:
                return ("something it used was null. Is one of the functions it calls still unanswered (returning null), or a variable never given a value?", null);
            case IndexOutOfRangeException or ArgumentOutOfRangeException when !IsDimensionError(error):
                return ("an index went past the end of a matrix or array. An (r × c) matrix has rows 0 … r−1 and columns 0 … c−1; " +
                        "which count did your loop use?", null);
            case DivideByZeroException:
                return ("an integer division by zero. Which count was 0 — and should that division be on doubles?", null);
            case OverflowException:
                return ("a number grew too large for its type.", null);
            case ArgumentException or InvalidOperationException when IsDimensionError(error):
                return DimensionError(error, inputs);
            default:
                return ($"it threw {error.GetType().Name}, saying “{FirstLine(error.Message)}”.", null);
        }
    }

    private static bool IsDimensionError(Exception error) =>
        error.Message.Contains("dimensions", StringComparison.OrdinalIgnoreCase) && Sizes().IsMatch(error.Message);

    /// <summary>A MathNet "Matrix dimensions must agree: op1 is 1x3, op2 is 1x4." in words, by the operation that threw.</summary>
    private static (string, Mistake?) DimensionError(Exception error, IReadOnlyList<(string Name, Matrix<double> Value)>? inputs)
    {
        // The name of an input of shape (r × c), as given; null when none has it.
        string? Given(int r, int c) => inputs?.FirstOrDefault(i => i.Value.RowCount == r && i.Value.ColumnCount == c).Name;
        var sizes = Sizes().Matches(error.Message);
        if (sizes.Count < 2) return ($"the matrix shapes do not fit: {FirstLine(error.Message)}", null);
        int a = int.Parse(sizes[0].Groups[1].Value), b = int.Parse(sizes[0].Groups[2].Value);
        int c = int.Parse(sizes[1].Groups[1].Value), d = int.Parse(sizes[1].Groups[2].Value);
        string left = Shape.Of(a, b), right = Shape.Of(c, d);
        string trace = error.StackTrace ?? "";

        if (trace.Contains("Pointwise", StringComparison.Ordinal))
        {
            string head = $"an entry-by-entry operation (⊙) needs two matrices of the same shape, but {left} and {right} are not.";
            if (b == c) return (head + $" They would chain as a matrix product, {left}·{right}: was a matrix product meant?", Mistakes.ElementwiseForMatrixProduct);
            // Two of the function's own inputs, as given, that chain once one is transposed (dZ ⊙ A_prev for dZ·A_prevᵀ).
            // Only for inputs: two matrices computed on the way (a dA passed to the wrong call) are no evidence of a product.
            if (Given(a, b) is { } x && Given(c, d) is { } y && x != y)
            {
                if (b == d)
                    return (head + $" They would chain as a matrix product with the second one transposed, {x}·{y}ᵀ, {left}·{Shape.Of(d, c)}: was a matrix product with {y}ᵀ meant?", Mistakes.ElementwiseForMatrixProduct);
                if (a == c)
                    return (head + $" They would chain as a matrix product with the first one transposed, {x}ᵀ·{y}, {Shape.Of(b, a)}·{right}: was a matrix product with {x}ᵀ meant?", Mistakes.ElementwiseForMatrixProduct);
            }
            if (a == d && b == c) return (head + " One is the other's transpose: which one is the wrong way round?", Mistakes.TransposeWrongSide);
            return (head + " Which of them is not the matrix you meant?", null);
        }
        if (trace.Contains("Multiply", StringComparison.Ordinal))
        {
            string head = Invariant($"dimensions {left}·{right} do not chain: a matrix product needs the left matrix's columns ({b}) to equal the right one's rows ({c}).");
            if (a == c && b == d)
                return (head + " Both have the same shape: did you mean to multiply entry by entry (⊙) rather than take a matrix product?", Mistakes.MatrixProductForElementwise);
            // A transpose too many: without it, the matrices chain as they were given.
            if (b == d && Given(a, b) is { } l1 && Given(d, c) is { } r1)
                return (head + $" {l1}·{r1}, {left}·{Shape.Of(d, c)}, chains as the matrices are given, without any transpose: is there a ᵀ that should not be there?", Mistakes.TransposeTooMany);
            if (a == c && Given(b, a) is { } l2 && Given(c, d) is { } r2)
                return (head + $" {l2}·{r2}, {Shape.Of(b, a)}·{right}, chains as the matrices are given, without any transpose: is there a ᵀ that should not be there?", Mistakes.TransposeTooMany);
            if (b == d) return (head + $" {left}·{Shape.Of(d, c)} would chain: which matrix should be transposed?", Mistakes.TransposeWrongSide);
            if (a == c) return (head + $" {Shape.Of(b, a)}·{right} would chain: which matrix should be transposed?", Mistakes.TransposeWrongSide);
            if (d == a) return (head + $" {right}·{left} would chain: are the factors in the right order?", Mistakes.WrongOrder);
            return (head + " Write each factor's shape under the equation: which one is not what you meant?", null);
        }
        if (trace.Contains("Add", StringComparison.Ordinal) || trace.Contains("Subtract", StringComparison.Ordinal) || trace.Contains("op_", StringComparison.Ordinal))
        {
            string op = trace.Contains("Subtract", StringComparison.Ordinal) ? "subtract" : "add";
            string head = $"MathNet can only {op} matrices of the same shape, and {left} and {right} are not.";
            if (a == c && (b == 1 || d == 1))
                return (head + $" One of them is a single column: should it go to every column of the other?", Mistakes.BiasNotBroadcast);
            if (a == d && b == c) return (head + " One is the other's transpose: which one is the wrong way round?", Mistakes.TransposeWrongSide);
            if (a == c) return (head + " They differ in their number of columns — one column per sample: is a number of samples written into your code instead of taken from the input?", null);
            return (head + " Which of them is not the matrix you meant?", null);
        }
        return ($"the matrix shapes {left} and {right} do not fit together.", null);
    }

    /// <summary>
    /// The name of the innermost of your functions on the exception's stack (a notebook cell's functions live in types named
    /// Submission#N), "your code" for a lambda of yours, or null when none of yours is there.
    /// </summary>
    public static string? WhereInYourCode(Exception error) => YourMethods(error).FirstOrDefault();

    /// <summary>The student's methods on the stack, innermost first ("your code" for a lambda of theirs).</summary>
    internal static IReadOnlyList<string> YourMethods(Exception error)
    {
        var found = new List<string>();
        var frames = new StackTrace(error, false).GetFrames();
        foreach (var frame in frames)
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (method is null || type is null) continue;
            for (var t = type; t is not null; t = t.DeclaringType)
            {
                if (!t.Name.StartsWith("Submission#", StringComparison.Ordinal)) continue;
                string name = method.Name;
                var local = LocalFunction().Match(name);
                if (local.Success) name = local.Groups[1].Value;
                found.Add(name.StartsWith('<') ? "your code" : name);
                break;
            }
        }
        return found;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].TrimEnd('\r');

    [GeneratedRegex(@"(\d+)\s*[x×]\s*(\d+)")]
    private static partial Regex Sizes();

    [GeneratedRegex(@"g__(\w+)\|")]
    private static partial Regex LocalFunction();
}
