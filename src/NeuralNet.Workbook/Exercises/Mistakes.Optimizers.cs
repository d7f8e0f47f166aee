namespace NeuralNet.Exercises;

/// <summary>The mistakes of notebook 06's construction: mini-batches, the momentum step and the training loop around them.</summary>
public static partial class Mistakes
{
    // ---- the batches of an epoch

    /// <summary>The batches cut from the samples in their order (or the order given), not shuffled.</summary>
    public static readonly Mistake BatchesNotShuffled = new("batches not shuffled",
        "A mini-batch method shuffles the samples at the start of every epoch, so that each step sees a different mix of them; " +
        "your batches take the samples in the order they came in.");

    /// <summary>Every epoch shuffles 0, 1, …, m − 1 afresh (a new permutation, or a copy of order) instead of the previous epoch's order.</summary>
    public static readonly Mistake OrderNotKept = new("order reshuffled from the start every epoch",
        "The library keeps one order for the whole run and shuffles it again at the start of every epoch: epoch 2 shuffles " +
        "the order epoch 1 left, not 0, 1, …, m − 1. That only works if the order you were given is the one you shuffle, in place.");

    /// <summary>The samples are permuted, but not as the library's generator permutes them.</summary>
    public static readonly Mistake NotTheLibraryShuffle = new("shuffled another way than the library",
        "The same seed must give the same batches as the library's training: shuffle with the generator you are given (not a new one), " +
        "once per epoch, the way np.random.shuffle does — the generator's own shuffle does exactly that.");

    /// <summary>m / |B| full batches only: the last, smaller batch left out.</summary>
    public static readonly Mistake LastBatchDropped = new("last partial batch dropped",
        "When |B| does not divide m, the last batch is smaller — it holds the samples that are left. The library keeps it, " +
        "so every sample is seen once per epoch.");

    /// <summary>X's columns and Y's columns shuffled with two different orders.</summary>
    public static readonly Mistake ShuffledApart = new("X and Y shuffled apart",
        "Column j of Y is the label of column j of X. A batch must take the same samples from both, in the same order, " +
        "or each picture arrives with another picture's label.");

    // ---- the momentum step

    /// <summary>v ← β·v + (1 − β)·dW: the averaged form of momentum, not the library's sum.</summary>
    public static readonly Mistake MomentumAveraged = new("(1 − β) on the gradient",
        "There are two ways to write momentum. This notebook's (and the library's) velocity is a running sum, v ← β·v + dW, " +
        "which grows to about dW/(1 − β) and is what makes its steps up to ten times longer; the averaged form scales the gradient by (1 − β).");

    /// <summary>β and 1 − β exchanged: v ← (1 − β)·v + β·dW.</summary>
    public static readonly Mistake MomentumBetaSwapped = new("β and 1 − β swapped",
        "β is how much of the old velocity each step keeps (0.9: most of it); the new gradient is added on top. Yours keeps only a little of the old velocity.");

    /// <summary>W − α·dW: the velocity computed but the step taken along the gradient.</summary>
    public static readonly Mistake SteppedAlongGradient = new("step along dW, not v",
        "Momentum's point is that the step follows the velocity — the remembered sum of gradients — not this step's gradient alone.");

    /// <summary>v ← β·v + α·dW: α inside the velocity — and then W ← W − α·v (α twice) or W ← W − v (another way to write momentum).</summary>
    public static readonly Mistake LearningRateInVelocity = new("learning rate inside the velocity",
        "Here the velocity is a sum of gradients, v ← β·v + dW, and α scales only the step taken along it. With α inside v and again in the step, " +
        "it is applied twice; with α only inside v (W ← W − v) it is another way to write momentum — not this notebook's, whose v the next step expects.");

    /// <summary>The velocity started from 0 at every step (or never written back), so it never remembers anything.</summary>
    public static readonly Mistake VelocityNotKept = new("velocity not kept between steps",
        "v is the memory of the run: each step starts from the velocity the previous step left, and leaves its new velocity in the same matrix for the next one. " +
        "A velocity made anew (or assigned to a new matrix, which the caller never sees) forgets everything, and momentum becomes plain gradient descent.");

    /// <summary>The new W computed but never written into the parameter's own matrix.</summary>
    public static readonly Mistake ParameterNotChanged = new("the new W never written into W",
        "The step must change the parameter itself — the matrix the network holds. Assigning a new matrix to the name W inside the function changes nothing outside it.");

    // ---- the training loop

    /// <summary>A new generator made every epoch: the same shuffles again and again.</summary>
    public static readonly Mistake GeneratorEveryEpoch = new("generator made anew every epoch",
        "A generator made again from the same seed draws the same numbers again. The library makes one generator for the whole run, before the first epoch, and lets it go on.");

    /// <summary>One velocity shared by several parameters (of the same shape).</summary>
    public static readonly Mistake VelocityShared = new("one velocity shared by several parameters",
        "Each parameter matrix — every W and every b of every layer — has its own velocity, of its own shape: the memory of its own gradients.");

    /// <summary>The velocities made anew every epoch.</summary>
    public static readonly Mistake VelocityResetEachEpoch = new("velocities reset every epoch",
        "The velocities are made once, before the first epoch, and carried from step to step across epochs; an epoch is only a pass over the data.");

    /// <summary>L2's term divided by the batch size |B| instead of the number of training samples m.</summary>
    public static readonly Mistake L2OverBatch = new("L2 divided by the batch size",
        "The penalty (λ/2m)·Σ‖W‖² belongs to the cost over all m training samples, so every step — whatever its batch size — adds the same (λ/m)·W. " +
        "Divided by |B|, a small last batch would decay the weights harder. (Trainer.Objective with a Regularization divides by the columns it is given: the batch's.)");

    /// <summary>The training run without the L2 term.</summary>
    public static readonly Mistake L2Missing = new("L2 term missing",
        "Train is given λ: with L2, each step's cost gains the penalty (λ/2m)·Σ‖W‖², and every W's gradient gains the penalty's derivative with respect to that W. " +
        "Wrong costs with right weights mean the cost's term is missing; wrong weights, the gradient's.");

    /// <summary>(λ/m)·b added to db as well.</summary>
    public static readonly Mistake L2OnBiases = new("L2 on the biases too",
        "The penalty sums the squares of the weights W only — biases are left alone — so db gains nothing.");

    /// <summary>No parameter of some layer, or no bias, updated.</summary>
    public static readonly Mistake SomeParametersNotUpdated = new("some parameters never updated",
        "Every step updates every parameter of every layer, 1 to L: each W and each b, each with its own gradient and its own velocity.");

    /// <summary>Train called the library's training instead of running its own loop.</summary>
    public static readonly Mistake UsedLibraryTraining = new("the library's training, not yours",
        "The exercise is to write the loop: batches from your MiniBatches, the gradients of each batch from Trainer.Objective, and your MomentumStep on every parameter.");
}
