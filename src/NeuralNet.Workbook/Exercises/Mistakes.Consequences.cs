namespace NeuralNet.Exercises;

/// <summary>The mistakes of notebook 03a's exercise: a sigmoid output's dZ under squared error.</summary>
public static partial class Mistakes
{
    /// <summary>A − Y returned for squared error: the shortcut that only cross-entropy earns.</summary>
    public static readonly Mistake CrossEntropyShortcutForSquaredError = new("cross-entropy's shortcut A − Y used for squared error",
        "A − Y is what is left when cross-entropy's dA = (a − y)/(a(1 − a)) meets the sigmoid's slope a(1 − a) and the two cancel. " +
        "Squared error's dA has no a(1 − a) below it to cancel, so the slope stays in dZ.");

    /// <summary>(2/n)(A − Y): the cost's gradient with respect to A, not yet through the sigmoid.</summary>
    public static readonly Mistake SigmoidSlopeLeftOut = new("σ′ left out",
        "(2/n)(A − Y) is the gradient with respect to the outputs A. dZ is one step further back, through the sigmoid: " +
        "the chain rule multiplies by how much a moves when z moves.");

    /// <summary>(1/n)(A − Y) ⊙ σ′: the derivative of the square without its factor 2.</summary>
    public static readonly Mistake SquareDerivativeMissingTwo = new("the 2 of the square's derivative missing",
        "The derivative of (a − y)² with respect to a is 2(a − y): the exponent comes down as a factor.");

    /// <summary>2(A − Y) ⊙ σ′: the average over the output units left out.</summary>
    public static readonly Mistake MissingOneOverOutputs = new("the 1/n over the output units missing",
        "This squared error averages over the n output units of each sample, (1/n)·Σ_i (a_i − y_i)², so every entry of its derivative keeps that 1/n. " +
        "(The 1/m over the samples is another matter: it comes in dW and db, not in dZ.)");
}
