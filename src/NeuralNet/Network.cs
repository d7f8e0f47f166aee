using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet;

/// <summary>
/// A multi-layer perceptron: layers of units, each computing A_l = g_l(W_l·A_{l−1} + b_l), and a cost
/// that says how wrong the last layer's output is. Its passes are <see cref="Backprop"/>'s forward and backward
/// loops, run into fresh matrices on every call; a <c>Training.Trainer</c> repeats them with updates.
/// </summary>
/// <remarks>
/// <see cref="Forward"/>, <see cref="Backward"/> and the predictions allocate their own matrices and may run
/// together, but not while the network trains (training changes the parameters in place): a prediction from another
/// thread meanwhile, and a second training (from another thread, or from the first one's OnProgress), are refused
/// with an <see cref="InvalidOperationException"/> that says so. Predictions inside OnProgress, on the training thread,
/// see the weights between epochs and are fine. How the network knows it is training: Network.Ownership.cs.
/// </remarks>
/// <example>
/// <code>
/// var net = new Network([2, 4, 1], hidden: Activations.Tanh);     // sigmoid output, binary cross-entropy
/// var history = new Trainer(net).Train(X, Y, new TrainingOptions { Optimizer = new Sgd(0.5), Epochs = 2000 });
/// double accuracy = net.Accuracy(X, Y);
/// </code>
/// </example>
public sealed partial class Network
{
    /// <summary>
    /// A network with layer sizes [n_0 (inputs), n_1, …, n_L (outputs)], <paramref name="hidden"/>
    /// (ReLU unless given) on the hidden layers, <paramref name="output"/> (sigmoid unless given) on the
    /// last, the <paramref name="cost"/> (binary cross-entropy unless given) and weights drawn by
    /// <paramref name="initialization"/> (the original's: seed 3, randn·0.1, unless given).
    /// </summary>
    public Network(IReadOnlyList<int> layerSizes, Activation? hidden = null, Activation? output = null,
        Cost? cost = null, Initialization? initialization = null)
        : this(ActivationsFor(layerSizes, hidden ?? Activations.ReLU, output ?? Activations.Sigmoid), layerSizes,
            cost ?? Costs.BinaryCrossEntropy, initialization ?? Initialization.Original())
    {
    }

    private Network(Activation[] activations, IReadOnlyList<int> layerSizes, Cost cost, Initialization initialization)
        : this(initialization.Create(layerSizes), activations, cost)
    {
        Initialization = initialization;
    }

    /// <summary>A network made of existing parameters (used as they are, not copied), e.g. loaded from a file.</summary>
    public Network(Parameters parameters, IReadOnlyList<Activation> activations, Cost cost)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(cost);
        Activations.CheckPerLayer(activations, parameters.LayerCount);
        var outputLayer = parameters.W[parameters.LayerCount];
        if (activations[^1] is Softmax && outputLayer.RowCount == 1)
            throw new ArgumentException(
                "A softmax output over a single unit always outputs 1 and cannot learn. For two classes use one sigmoid unit " +
                "with binary cross-entropy, or give the output layer one unit per class.", nameof(activations));
        if (cost is BinaryCrossEntropy or CategoricalCrossEntropy && activations[^1] is ReLU or LeakyReLU or Tanh or Identity)
            throw new ArgumentException(
                $"{cost.Name} takes the logarithm of the outputs, so they must lie in (0, 1), but the output layer's {activations[^1].Name} " +
                $"gives {(activations[^1] is ReLU ? "0 and numbers above 1" : "negative numbers")}: the cost would be NaN or infinite from the first step. " +
                (cost is BinaryCrossEntropy ? "Use a sigmoid output with binary cross-entropy, " : "Use a softmax output with categorical cross-entropy, ") +
                "or mean squared error (mse) for an unbounded output.", nameof(cost));
        Parameters = parameters;
        Cost = cost;
        Layers = new LayerIndexed<Layer>(
            Enumerable.Range(1, parameters.LayerCount).Select(l => new Layer(l, parameters.W[l], parameters.b[l], activations[l - 1])).ToArray());
    }

    private static Activation[] ActivationsFor(IReadOnlyList<int> layerSizes, Activation hidden, Activation output)
    {
        MemoryBudget.CheckLayerSizes(layerSizes);
        return Activations.PerLayer(layerSizes.Count - 1, hidden, output);
    }

    /// <summary>The layers, by number 1 … L.</summary>
    public LayerIndexed<Layer> Layers { get; }

    /// <summary>All weights and biases (the same matrices the layers hold).</summary>
    public Parameters Parameters { get; }

    /// <summary>The cost training minimises.</summary>
    public Cost Cost { get; }

    /// <summary>How the weights were first drawn (null for a network built from existing parameters).</summary>
    public Initialization? Initialization { get; private init; }

    /// <summary>[n_0, n_1, …, n_L].</summary>
    public int[] LayerSizes => Parameters.LayerDims;

    /// <summary>How many numbers training adjusts.</summary>
    public int ParameterCount => Parameters.Count;

    /// <summary>The forward pass over X (features × samples): AL and every layer's cache, in fresh matrices.</summary>
    /// <exception cref="ArgumentException">X does not fit the first layer, or holds NaN or ±∞ (named by feature and sample).</exception>
    /// <exception cref="InvalidOperationException">the network is training on another thread (its weights are changing).</exception>
    public ForwardResult Forward(Matrix<double> X)
    {
        CheckNotTrainingElsewhere("predict with it");
        Checks.Samples(this, X, "X");
        Checks.FiniteToPredict(X, "X");
        var forward = AllocateForward(X.ColumnCount);
        Backprop.Forward(X, forward);
        return forward;
    }

    /// <summary>The backward pass from a forward pass's result and the labels: every layer's gradients, in fresh matrices.</summary>
    public Gradients Backward(ForwardResult forward, Matrix<double> Y)
    {
        ArgumentNullException.ThrowIfNull(forward);
        CheckNotTrainingElsewhere("backpropagate through it");
        Checks.Outputs(this, Y, forward.Samples, "Y");
        Checks.Finite(Y, "Y", "label");
        var gradients = Gradients.Allocate(forward);
        Backprop.Backward(forward, Y, Cost, 0, gradients);
        return gradients;
    }

    /// <summary>The cost J of the network's predictions for X against Y.</summary>
    public double ComputeCost(Matrix<double> X, Matrix<double> Y) => Cost.Compute(OutputFor(X, Y), Y);

    /// <summary>Caches for a pass of <paramref name="samples"/> columns through this network's layers.</summary>
    internal ForwardResult AllocateForward(int samples) =>
        ForwardResult.Allocate(Layers.Select(l => (l.W, l.b, l.Activation)).ToArray(), samples);

    /// <summary>The network's outputs AL for X: probabilities for sigmoid and softmax outputs.</summary>
    /// <exception cref="ArgumentException">X does not fit, or holds NaN or ±∞.</exception>
    /// <exception cref="InvalidOperationException">an output is not a finite number: the weights are not (a diverged training), or the values overflowed.</exception>
    public Matrix<double> PredictProbabilities(Matrix<double> X) => CheckOutputs(Forward(X).AL, X);

    /// <summary>The predicted class of each sample: 0 or 1 for one output unit (threshold 0.5), else the most probable row.</summary>
    public int[] PredictClasses(Matrix<double> X) => Metrics.Classes(PredictProbabilities(X));

    /// <summary>The fraction of samples of X whose prediction matches Y (see <see cref="Metrics.Accuracy"/>).</summary>
    public double Accuracy(Matrix<double> X, Matrix<double> Y) => Metrics.Accuracy(OutputFor(X, Y), Y);

    /// <summary>AL for X, once X and Y are known to fit the network and each other.</summary>
    private Matrix<double> OutputFor(Matrix<double> X, Matrix<double> Y)
    {
        CheckNotTrainingElsewhere("measure it");
        Checks.Samples(this, X, "X");
        Checks.Outputs(this, Y, X.ColumnCount, "Y");
        Checks.Finite(Y, "Y", "label");
        return CheckOutputs(Forward(X).AL, X);
    }

    /// <summary>
    /// Refuses outputs that are not finite numbers, which every summary would hide (NaN > 0.5 is false: class 0 for all),
    /// saying why: the weights (a diverged training), or an overflow inside the network from very large inputs.
    /// </summary>
    private Matrix<double> CheckOutputs(Matrix<double> al, Matrix<double> x)
    {
        if (Checks.FirstNonFinite(al) is not var (row, column, bad)) return al;
        string output = Invariant($"The output AL[{row}, {column}] (sample {column}) is {bad}, not a number a prediction can use. ");
        if (NonFiniteParameter() is var (name, value))
            throw new InvalidOperationException(output + Invariant($"The network's {name} is {value}: its training diverged. ") +
                "Re-create the network (or load a good model) and train it with a smaller learning rate.");
        throw new InvalidOperationException(output + "The weights are finite, so the numbers overflowed inside the network: " +
            Invariant($"the inputs are too large (the largest |x| is {Shape.Values(x).Max(Math.Abs):G4}). Scale them, e.g. pixels to [0, 1], or standardise the features."));
    }

    /// <summary>A deep copy: same layers, activations and cost, its own parameters.</summary>
    public Network Clone()
    {
        CheckNotTrainingElsewhere("copy it");
        return new(Parameters.Clone(), Layers.Select(l => l.Activation).ToArray(), Cost) { Initialization = Initialization };
    }

    /// <summary>
    /// The first weight or bias that is NaN or ±∞ ("W2[0, 3]" and its value), or null when every parameter is finite.
    /// A diverged training leaves such parameters; every prediction then comes out NaN.
    /// </summary>
    internal (string Name, double Value)? NonFiniteParameter()
    {
        foreach (var layer in Layers)
            foreach (var (name, p) in new[] { ("W", layer.W), ("b", layer.b) })
                if (Checks.FirstNonFinite(p) is var (row, column, value)) return (Invariant($"{name}{layer.Index}[{row}, {column}]"), value);
        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Invariant($"Network [{string.Join(" → ", LayerSizes)}], cost {Cost.Name}, {ParameterCount:N0} parameters") + string.Concat(Layers.Select(l => "\n  " + l));
}

/// <summary>
/// One layer l of a network: its weights W (units × inputs), biases b (units × 1) and activation g.
/// Its forward step is A = g(W·A_prev + b) and its backward step dZ = dA ⊙ g'(Z), then dW, db and dA_prev
/// (<see cref="Backprop.LayerForward"/>, and the body of <see cref="Backprop.Backward"/>'s loop).
/// </summary>
public sealed class Layer
{
    internal Layer(int index, Matrix<double> w, Matrix<double> b, Activation activation)
    {
        Index = index;
        W = w;
        this.b = b;
        Activation = activation;
    }

    /// <summary>l, the layer's number (1 is the first hidden layer; the input is layer 0).</summary>
    public int Index { get; }

    /// <summary>W_l: row i holds the weights unit i gives each of its inputs.</summary>
    public Matrix<double> W { get; }

    /// <summary>b_l: one bias per unit.</summary>
    public Matrix<double> b { get; }

    /// <summary>g_l.</summary>
    public Activation Activation { get; }

    /// <summary>n_{l−1}, the number of inputs each unit receives.</summary>
    public int Inputs => W.ColumnCount;

    /// <summary>n_l, the number of units.</summary>
    public int Units => W.RowCount;

    /// <summary>n_l·n_{l−1} weights plus n_l biases.</summary>
    public int ParameterCount => Units * Inputs + Units;

    /// <inheritdoc />
    public override string ToString() =>
        Invariant($"Layer {Index}: {Inputs} → {Units} units, {Activation.Name}; W {Shape.Of(W)}, b {Shape.Of(b)}; {ParameterCount:N0} parameters");
}
