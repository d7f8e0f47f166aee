namespace NeuralNet.Exercises;

/// <summary>The mistakes of notebook 07's constructions: a softmax that cannot overflow, and its backward step with cross-entropy.</summary>
public static partial class Mistakes
{
    // ---- the stable softmax

    /// <summary>One max over the whole matrix subtracted from every column.</summary>
    public static readonly Mistake SoftmaxMaxOfAll = new("max of the whole matrix, not of each column",
        "Each column is one sample, and its scores can sit far from another sample's. One shift for the whole matrix can push a whole column " +
        "so far down that every e^z in it is 0, and 0/0 is NaN. Shift each column by its own largest score.");

    /// <summary>Each row's max subtracted: different shifts within one column.</summary>
    public static readonly Mistake SoftmaxMaxOfRow = new("max of each row, not of each column",
        "Adding the same number to all scores of one sample changes nothing — but it must be the same number for the whole column. " +
        "A different shift for each class changes the probabilities.");

    /// <summary>The smallest score subtracted: the exponentials can still overflow.</summary>
    public static readonly Mistake SoftmaxMinForMax = new("min subtracted instead of max",
        "The shift is there to keep every exponent at or below 0, so that no e^z can overflow. Subtracting the smallest score makes every exponent " +
        "0 or above: scores far apart still give e^z = ∞.");

    /// <summary>e^(z − max) divided by Σ e^z: the shift on one side of the fraction only.</summary>
    public static readonly Mistake SoftmaxShiftTopOnly = new("shift on one side of the fraction only",
        "Shifting changes nothing because the factor e^(−max) appears on top and at the bottom and cancels. It must be applied to both.");

    // ---- softmax with categorical cross-entropy, backward

    /// <summary>dZ = dA ⊙ a(1 − a): softmax's derivative taken entry by entry, the original project's bug.</summary>
    public static readonly Mistake SoftmaxElementwise = new("softmax treated as element-wise",
        "Each a_i depends on every score of its column, through the sum at the bottom: its derivative is a matrix per sample, not one slope per entry. " +
        "Using a(1 − a) alone drops the cross terms, and the wrong classes' scores are never pushed down.");

    /// <summary>dZ averaged over the samples: (A − Y)/m.</summary>
    public static readonly Mistake OneOverMInDZ = new("1/m in dZ",
        "dZ keeps one column per sample — each sample's own gradient of its own loss. The average over the samples, the 1/m, comes in where the " +
        "columns are summed: in dW and db.");

    /// <summary>dA = −Y/A returned as dZ: the cost's gradient, not yet through softmax.</summary>
    public static readonly Mistake CostGradientAsDZ = new("dA where dZ was meant",
        "−Y/A is the gradient with respect to the probabilities A. dZ is one step further back, through softmax: the chain rule still has softmax's derivative to apply.");

    /// <summary>(A − Y) ⊙ A ⊙ (1 − A): softmax's slope applied again after the shortcut.</summary>
    public static readonly Mistake SoftmaxSlopeTwice = new("softmax's slope counted twice",
        "A − Y is already the gradient with respect to Z: softmax's derivative is inside it. Each factor of the chain rule enters once.");
}
