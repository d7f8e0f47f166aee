namespace NeuralNet.Exercises;

/// <summary>The mistakes of your network's forward pass, backward pass, update and training loop (notebooks 01–03).</summary>
public static partial class Mistakes
{
    // ---- the forward pass (notebook 01) ----

    /// <summary>ReLU where the output layer has the sigmoid.</summary>
    public static readonly Mistake ReluOnOutput = new("ReLU on the output layer",
        "The output layer gives a probability, a number between 0 and 1: that is the sigmoid's job. ReLU is for the hidden layers.");

    /// <summary>The loop ends at layer L − 1: AL is a hidden layer's output.</summary>
    public static readonly Mistake LoopStopsBeforeOutput = new("the loop stops before the output layer",
        "Layers are numbered 1 … L and every one of them runs, the output layer L included: AL is what layer L gives, one row per output unit.");

    /// <summary>caches[l].A_prev holds A_l, the layer's output.</summary>
    public static readonly Mistake CacheKeepsOutput = new("the cache keeps the layer's output where its input was meant",
        "dW = (1/m)·dZ·A_prevᵀ needs what went INTO the layer: keep A_prev before you overwrite it with the layer's own output.");

    /// <summary>caches[l].Z holds A_l = g(Z_l).</summary>
    public static readonly Mistake CacheKeepsActivation = new("the cache keeps A where Z was meant",
        "The backward step needs the slope g'(Z) at the weighted sums themselves, before the activation bent them: keep Z, not g(Z).");

    /// <summary>caches[0] holds layer 1's cache, caches[1] layer 2's, …</summary>
    public static readonly Mistake CachesFromZero = new("caches numbered from 0",
        "Layers are numbered 1 … L, like parameters.W[l]: caches[l] must be layer l's cache, so the array has L + 1 places and caches[0] stays empty.");

    /// <summary>y·log(a) + (1 − y)·log(1 − a) summed whole: NaN for a confident right answer (0·log 0).</summary>
    public static readonly Mistake ZeroTimesLogZero = new("0 · log 0 is NaN in a double",
        "A confident right answer (a = 1 for y = 1) should cost nothing, but a trained network's sigmoid rounds to exactly 1, and then (1 − y)·log(1 − a) " +
        "is 0 · (−∞), which a double calls NaN — one such sample makes the whole cost NaN. Only one of the two terms belongs to each sample: add only that one.");

    // ---- the backward pass (notebook 02) ----

    /// <summary>dZ_{l−1} = dA_{l−1}, without relu'(Z_{l−1}).</summary>
    public static readonly Mistake MissingReluDerivative = new("relu' missing on a hidden layer",
        "dA_prev is the gradient of the layer below's OUTPUT A. To get to its Z, the chain rule passes through that layer's ReLU: multiply by relu'(Z) of the layer below, entry by entry.");

    /// <summary>grads[l − 1] holds layer l's gradients.</summary>
    public static readonly Mistake GradsFromZero = new("grads numbered from 0",
        "grads[l] must be layer l's gradients, l = 1 … L, so that grads[l].dW meets parameters.W[l]: the array has L + 1 places, grads[0] stays empty.");

    // ---- a gradient check of your own (notebook 02) ----

    /// <summary>(J(θ + ε) − J(θ)) / ε.</summary>
    public static readonly Mistake OneSidedDifference = new("one-sided difference",
        "Nudging one way only measures the slope half a step to the side, off by about ε times the curvature. Nudge both ways, θ + ε and θ − ε: " +
        "the curvature cancels and the error drops to about ε².");

    /// <summary>(J(θ + ε) − J(θ − ε)) / ε.</summary>
    public static readonly Mistake HalfTheDistance = new("divided by ε where the points are 2ε apart",
        "A slope is the change divided by the distance it happened over: θ + ε and θ − ε are 2ε apart.");

    /// <summary>Every entry of θ nudged together: one number everywhere.</summary>
    public static readonly Mistake NudgedAllAtOnce = new("every entry nudged at once",
        "Moving every entry together measures how J changes along that one direction, the same number for every entry. Each entry's slope needs that entry moved alone, the others held still.");

    /// <summary>‖a − b‖ alone.</summary>
    public static readonly Mistake AbsoluteNotRelative = new("an absolute difference, not a relative one",
        "The same ‖a − b‖ is tiny for large gradients and huge for small ones: divide it by the sizes of the two, ‖a‖ + ‖b‖.");

    /// <summary>‖a − b‖ / ‖a‖ (or ‖b‖).</summary>
    public static readonly Mistake OneSizeOnly = new("divided by one size only",
        "Neither gradient is the true one — that is what the check is asking — so the difference is measured against both: ‖a‖ + ‖b‖.");

    /// <summary>‖a − b‖² / (‖a‖² + ‖b‖²).</summary>
    public static readonly Mistake SquaredSizes = new("sizes squared",
        "The size of a matrix is the square root of its sum of squares (FrobeniusNorm); without the root the ratio is not a relative error.");

    /// <summary>The layer with the bug named instead of the gradients that are wrong.</summary>
    public static readonly Mistake BlamedTheCause = new("named the layer that has the bug, not the gradients that are wrong",
        "The check compares numbers, so it points at the gradients that come out wrong. Read the table: which rows are far above 1e-7? " +
        "(Where the bug sits in the code is the next question — the table answers the first.)");

    // ---- the update and the training loop (notebook 03) ----

    /// <summary>An update that computes new matrices but never writes them into the parameters.</summary>
    public static readonly Mistake UpdateNotStored = new("the parameters were not changed",
        "parameters.W[l] - alpha * grads[l].dW makes a NEW matrix, and giving it a name (or a local variable) does not put it in the network: the network " +
        "still holds its old matrix, which cannot be swapped for another. Write the new numbers into the matrix the network holds (MathNet's operations " +
        "that take a result matrix do that), so that the next forward pass sees them.");

    /// <summary>Train never calls report.</summary>
    public static readonly Mistake NeverReports = new("report is never called",
        "report(iteration, cost) is how the live chart follows your training: call it once per iteration, after the update, with the iteration's number (1, 2, …) and its cost.");
}
