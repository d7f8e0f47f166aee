namespace NeuralNet.Exercises;

/// <summary>
/// A classic mistake a check can recognise: its name ("missing bias") and a hint that points at the idea
/// the mistake misses — never at the code that fixes it. The instances in <see cref="Mistakes"/> are the
/// only ones; compare them by reference.
/// </summary>
public sealed class Mistake
{
    internal Mistake(string name, string hint)
    {
        Name = name;
        Hint = hint;
    }

    /// <summary>The mistake's name, as a teacher would say it: "missing bias".</summary>
    public string Name { get; }

    /// <summary>What idea to look at again.</summary>
    public string Hint { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The mistakes the checks recognise by name. Partial: a group of exercises may declare its own mistakes in a file of
/// its own (Mistakes.Topic.cs); <see cref="All"/> finds every one.
/// </summary>
public static partial class Mistakes
{
    // ---- the classic ones, shared by many exercises ----

    /// <summary>Z = W·A_prev without + b.</summary>
    public static readonly Mistake MissingBias = new("missing bias",
        "Each unit adds its own bias to its weighted sum — for every sample. Where does b enter your result?");

    /// <summary>b (one column) added to Z (one column per sample) without repeating it for every column.</summary>
    public static readonly Mistake BiasNotBroadcast = new("bias not added to every column",
        "b has one number per unit but Z has one column per sample, and MathNet adds only matrices of the same shape. " +
        "Every sample gets the same bias: each column of Z needs all of b added to it.");

    /// <summary>A sum over the samples where the equation has an average.</summary>
    public static readonly Mistake MissingOneOverM = new("missing 1/m",
        "The cost J is an average over the m samples, so every gradient of J is an average too: a sum over the samples needs dividing by m.");

    /// <summary>An average where the equation has none.</summary>
    public static readonly Mistake ExtraOneOverM = new("extra 1/m",
        "Only the gradients of the parameters (dW, db) average over the samples. dA_prev keeps one column per sample — " +
        "each sample's own gradient — so nothing is summed there and nothing needs dividing by m.");

    /// <summary>The right numbers, transposed: a ᵀ on the wrong factor, or none where one was needed.</summary>
    public static readonly Mistake TransposeWrongSide = new("transpose on the wrong side",
        "Every shape says what its rows and columns are — units, inputs, samples — and a gradient has the shape of what it is the gradient of. " +
        "Write down the shape of each factor and of the result you need, and pick the transpose that makes them chain into it.");

    /// <summary>A ᵀ on a factor that chains as it is given.</summary>
    public static readonly Mistake TransposeTooMany = new("needless transpose",
        "Write each factor's shape as it is given and the shape of the result you need: when they already chain into it, no transpose is needed.");

    /// <summary>Factors of a matrix product in the wrong order.</summary>
    public static readonly Mistake WrongOrder = new("matrix product in the wrong order",
        "A·B and B·A are different things — often only one of them is even defined. The inner sizes must agree: (rows × k)·(k × columns).");

    /// <summary>A matrix product where the equation multiplies entry by entry.</summary>
    public static readonly Mistake MatrixProductForElementwise = new("matrix product (*) where element-wise ⊙ was meant",
        "The activation acts on each entry alone, so the chain rule multiplies each entry by its own derivative: entry by entry (⊙), not a matrix product. " +
        "In MathNet, * between two matrices is the matrix product.");

    /// <summary>An entry-by-entry product where the equation has a matrix product.</summary>
    public static readonly Mistake ElementwiseForMatrixProduct = new("element-wise ⊙ where a matrix product was meant",
        "A matrix product combines a whole row of the left factor with a whole column of the right one — a unit's weighted sum of all its inputs, or a gradient summed over all samples. " +
        "Entry by entry (⊙) only pairs entries at the same position.");

    /// <summary>A sum over rows where the equation sums over columns (samples), or the reverse.</summary>
    public static readonly Mistake SumOverWrongAxis = new("sum over the wrong axis",
        "Ask what the sum runs over. The gradient of a parameter sums over the samples — the columns — and keeps one number per unit, one per row.");

    /// <summary>Softmax normalised over the samples (a row, or the whole matrix) instead of over the classes of one sample.</summary>
    public static readonly Mistake SoftmaxWrongAxis = new("softmax normalised over the wrong axis",
        "Ask what the sum runs over. Softmax normalises over the classes of one sample — the rows of one column — so that each column adds up to 1.");

    /// <summary>The derivative of another activation than the layer's.</summary>
    public static readonly Mistake WrongActivationDerivative = new("derivative of the wrong activation",
        "Each layer passes the gradient back through its own activation: use the derivative of the function this layer applied.");

    /// <summary>g'(Z) alone, without the incoming gradient dA.</summary>
    public static readonly Mistake MissingIncomingGradient = new("chain rule missing dA",
        "The chain rule multiplies the local derivative g'(Z) by the gradient that arrives from above, dA. Your result looks like g'(Z) alone.");

    /// <summary>g(Z) where the chain rule needs g'(Z).</summary>
    public static readonly Mistake ValueForDerivative = new("the activation where its derivative was meant",
        "The chain rule needs the activation's slope g'(Z) — how much A moves when Z moves — not its value g(Z).");

    /// <summary>db with one column per sample: the sum over the samples left out.</summary>
    public static readonly Mistake NotSummedOverSamples = new("db not summed over the samples",
        "b has one number per unit and every sample uses it, so its gradient collects every sample's contribution: one number per unit.");

    /// <summary>σ'(z) computed as z(1 − z) instead of a(1 − a).</summary>
    public static readonly Mistake SigmoidDerivativeOfZ = new("σ' computed from Z instead of σ(Z)",
        "σ'(z) = σ(z)(1 − σ(z)): the factors are the sigmoid's output, not its input z.");

    /// <summary>A path's local derivative taken with respect to the other input (∂(w·x)/∂w written as w).</summary>
    public static readonly Mistake WrongLocalDerivative = new("local derivative of the wrong input",
        "Along a path, each arrow carries the derivative of its head with respect to its tail, the others held still: for a product, that is the other factor.");

    /// <summary>σ'(z) multiplied in again after a − y, which already contains it.</summary>
    public static readonly Mistake SigmoidDerivativeTwice = new("σ' counted twice",
        "a − y is already ∂ℓ/∂z: the sigmoid's slope is inside it (−1/a times a(1 − a)). Each arrow of the path enters the product once.");

    /// <summary>y − a where a − y was meant: the gradient of the reward, not of the loss.</summary>
    public static readonly Mistake GradientSign = new("sign of the gradient",
        "The gradient says how the loss grows. When the neuron's a is above the label, raising z raises the loss, so ∂ℓ/∂z is positive there.");

    /// <summary>The function wrote into a matrix it was given (MapInplace, Subtract(…, W), an index assignment) instead of a new one.</summary>
    public static readonly Mistake ChangedItsInput = new("changed a matrix it was given",
        "A function that writes into its inputs changes them for everyone who still holds them, and in a network someone always does: " +
        "the forward pass keeps Z and A_prev in the cache for the backward step, and a training step reads the same W and X again. " +
        "Build the result in a new matrix (Map rather than MapInplace, A − B rather than A.Subtract(B, A)), unless the task says to change it in place — " +
        "and a function that nudges its input on purpose, as a gradient check does, must put back exactly what was there.");

    /// <summary>W + α·dW.</summary>
    public static readonly Mistake UpdateWrongSign = new("update with the wrong sign",
        "The gradient points uphill — the direction in which the cost grows fastest. A step that lowers the cost goes the other way.");

    /// <summary>W − dW: the step not scaled by the learning rate.</summary>
    public static readonly Mistake MissingLearningRate = new("learning rate missing",
        "The gradient gives the direction; the learning rate α decides how far to go along it.");

    /// <summary>The step α·dW returned instead of the new W.</summary>
    public static readonly Mistake ReturnedTheStep = new("returned the step, not the new weights",
        "The update moves W: the result is where W ends up, its old value plus the (downhill) step.");

    // ---- mistakes of one exercise ----

    /// <summary>1 / (1 + e^z): σ(−z).</summary>
    public static readonly Mistake SigmoidExponentSign = new("sign of the exponent",
        "σ(z) grows with z: large z gives nearly 1, very negative z nearly 0. Check your formula at z = 5: which way does it go?");

    /// <summary>1 / e^(−z) or e^(−z) / …: the "1 +" lost.</summary>
    public static readonly Mistake SigmoidMissingOne = new("1 + missing in the denominator",
        "σ(z) lies between 0 and 1 for every z; at z = 0 it is exactly ½. What does your formula give at z = 0?");

    /// <summary>Z returned as it is: the negative entries kept.</summary>
    public static readonly Mistake ReluNegativesKept = new("negatives not set to 0",
        "ReLU keeps a positive weighted sum as it is but turns every negative one into 0. Which entries of your result are still negative?");

    /// <summary>min(0, z) instead of max(0, z).</summary>
    public static readonly Mistake ReluMin = new("min where max was meant",
        "ReLU keeps the positive sums and sets the negative ones to 0: the result is never negative.");

    /// <summary>The step function (ReLU's derivative) instead of ReLU.</summary>
    public static readonly Mistake ReluStep = new("ReLU's derivative instead of ReLU",
        "ReLU passes a positive z through unchanged — 2.5 stays 2.5. Only the derivative is 0 or 1.");

    /// <summary>The cost without its leading minus.</summary>
    public static readonly Mistake CostSign = new("minus sign missing",
        "log of a probability is never positive, so the loss needs a minus to be a penalty: a confident right answer costs 0, a wrong one a lot.");

    /// <summary>Only y·log(a), the (1 − y)·log(1 − a) term lost.</summary>
    public static readonly Mistake CostMissingTerm = new("the term for label 0 is missing",
        "A sample whose label is 0 must cost something too when a is near 1. Which term of the loss is non-zero when y = 0?");

    /// <summary>An int divided by an int.</summary>
    public static readonly Mistake IntegerDivision = new("integer division",
        "In C#, an int divided by an int is an int, rounded down: 7 / 8 is 0. At least one side must be a double.");

    /// <summary>The share of wrong answers instead of right ones.</summary>
    public static readonly Mistake CountedTheWrongOnes = new("counted the wrong answers",
        "Accuracy is the share of samples the network gets right. Yours adds up to 1 with it: is the comparison or the threshold the wrong way round?");

    /// <summary>A percentage where a fraction was asked for.</summary>
    public static readonly Mistake Percentage = new("a percentage, not a fraction",
        "Accuracy here is a fraction between 0 and 1, as the library gives it.");

    /// <summary>λ/(2m)·W: the ½ of the penalty kept after differentiating.</summary>
    public static readonly Mistake KeptTheHalf = new("the ½ of the penalty kept",
        "The penalty has ½·w² in it precisely so that its derivative is clean: d/dw of ½·w² is w, with no ½ left.");

    /// <summary>(λ/m)·W⊙W: the penalty's term, not its derivative.</summary>
    public static readonly Mistake SquaredNotDifferentiated = new("the square, not its derivative",
        "The gradient is the derivative of the penalty with respect to each weight; the derivative of w² is 2w, not w².");

    /// <summary>Softmax without the exponential.</summary>
    public static readonly Mistake SoftmaxMissingExp = new("exponential missing",
        "Softmax exponentiates each score first — that makes every probability positive, also for negative scores.");

    /// <summary>e^z overflowing for large scores.</summary>
    public static readonly Mistake SoftmaxOverflow = new("overflow on large scores",
        "e^1000 is infinite in a double, and ∞/∞ is NaN. Adding the same number to all scores of a sample does not change softmax: choose one that keeps the exponentials small.");

    /// <summary>The training loop never updates the output layer (the original's bug).</summary>
    public static readonly Mistake UpdateSkipsOutputLayer = new("output layer never updated",
        "This is the original project's bug: the update must reach every layer, 1 to L, the output layer included — and write into the parameters themselves, not into a copy. Where does your loop stop?");

    /// <summary>The training loop never updates the first layer.</summary>
    public static readonly Mistake UpdateSkipsFirstLayer = new("first layer never updated",
        "Layers are numbered from 1: the update loop must reach every layer, 1 to L. Where does your loop start?");

    /// <summary>The cost recorded after the update instead of from the iteration's forward pass.</summary>
    public static readonly Mistake CostAfterUpdate = new("cost recorded after the update",
        "Each iteration's cost is the one of its own forward pass — before its update — as the library records it.");

    /// <summary>A hidden layer with the output layer's activation.</summary>
    public static readonly Mistake WrongHiddenActivation = new("wrong activation on the hidden layers",
        "The network of this exercise uses ReLU on every hidden layer and the sigmoid only on the output layer.");

    /// <summary>Every mistake, in every file of this class.</summary>
    /// <remarks>
    /// Gathered on first use, not by a field initializer: the initializers of a partial class's files run in an order the
    /// compiler chooses, so at that point another file's mistakes could still be null.
    /// </remarks>
    public static IReadOnlyList<Mistake> All => all ??= typeof(Mistakes).GetFields()
        .Where(f => f.FieldType == typeof(Mistake)).Select(f => (Mistake)f.GetValue(null)!).ToArray();

    private static Mistake[]? all;
}
