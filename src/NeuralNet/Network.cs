using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Random;
using NeuralNet.Training;

namespace NeuralNet;

/// <summary>
/// A multi-layer perceptron: layers of units, each computing A_l = g_l(W_l·A_{l−1} + b_l), and a cost
/// that says how wrong the last layer's output is. It trains by the steps of <see cref="DeepNN"/>:
/// forward pass, cost, backward pass, update — repeated.
/// </summary>
/// <remarks>
/// Not thread-safe: <see cref="Train"/>, <see cref="TrainingCost"/>, <see cref="TrainingObjective"/> and
/// <see cref="GradientCheck"/> share the network's reusable buffers, so use one network from one thread at a time.
/// (<see cref="Forward"/> and the predictions allocate their own matrices and may run together, but not during training.)
/// </remarks>
/// <example>
/// <code>
/// var net = new Network([2, 4, 1], hidden: Activations.Tanh);     // sigmoid output, binary cross-entropy
/// var history = net.Train(X, Y, new TrainingOptions { LearningRate = 0.5, Epochs = 2000 });
/// double accuracy = net.Accuracy(X, Y);
/// </code>
/// </example>
public sealed class Network
{
    private readonly Activation[] _activations;
    private readonly Dictionary<int, Workspace> _workspaces = [];

    /// <summary>
    /// A network with layer sizes [n_0 (inputs), n_1, …, n_L (outputs)], <paramref name="hidden"/>
    /// (ReLU unless given) on the hidden layers, <paramref name="output"/> (sigmoid unless given) on the
    /// last, the <paramref name="cost"/> (binary cross-entropy unless given) and weights drawn by
    /// <paramref name="initialization"/> (the original's: seed 3, randn·0.1, unless given).
    /// </summary>
    public Network(IReadOnlyList<int> layerSizes, Activation? hidden = null, Activation? output = null,
        Cost? cost = null, Initialization? initialization = null)
        : this(layerSizes, ActivationsFor(layerSizes, hidden ?? global::NeuralNet.Activations.ReLU, output ?? global::NeuralNet.Activations.Sigmoid),
            cost ?? Costs.BinaryCrossEntropy, initialization)
    {
    }

    /// <summary>A network with one activation per layer (<paramref name="activations"/>[0] is layer 1's).</summary>
    public Network(IReadOnlyList<int> layerSizes, IReadOnlyList<Activation> activations, Cost cost, Initialization? initialization = null)
        : this((initialization ?? Initialization.Original()).Create(layerSizes), activations, cost)
    {
        Initialization = initialization ?? Initialization.Original();
    }

    /// <summary>A network made of existing parameters (used as they are, not copied), e.g. loaded from a file.</summary>
    public Network(Parameters parameters, IReadOnlyList<Activation> activations, Cost cost)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(cost);
        if (activations.Count != parameters.LayerCount)
            throw new ArgumentException(
                $"The network has {parameters.LayerCount} layers but {activations.Count} activations were given; give one per layer.", nameof(activations));
        if (activations.Any(a => a is null))
            throw new ArgumentException("Every layer needs an activation; one of them is null.", nameof(activations));
        var outputLayer = parameters.W[parameters.LayerCount];
        if (activations[^1] is Softmax && outputLayer.RowCount == 1)
            throw new ArgumentException(
                "A softmax output over a single unit always outputs 1 and cannot learn. For two classes use one sigmoid unit " +
                "with binary cross-entropy, or give the output layer one unit per class.", nameof(activations));
        Parameters = parameters;
        _activations = activations.ToArray();
        Cost = cost;
        Layers = new LayerIndexed<Layer>(
            Enumerable.Range(1, parameters.LayerCount).Select(l => new Layer(l, parameters.W[l], parameters.b[l], _activations[l - 1])).ToArray());
    }

    private static Activation[] ActivationsFor(IReadOnlyList<int> layerSizes, Activation hidden, Activation output)
    {
        Initialization.CheckLayerDims(layerSizes);
        return Enumerable.Range(1, layerSizes.Count - 1).Select(l => l < layerSizes.Count - 1 ? hidden : output).ToArray();
    }

    /// <summary>The layers, by number 1 … L.</summary>
    public LayerIndexed<Layer> Layers { get; }

    /// <summary>All weights and biases (the same matrices the layers hold).</summary>
    public Parameters Parameters { get; }

    /// <summary>Each layer's activation, layer 1 first.</summary>
    public IReadOnlyList<Activation> Activations => Array.AsReadOnly(_activations);

    /// <summary>The cost training minimises.</summary>
    public Cost Cost { get; }

    /// <summary>How the weights were first drawn (null for a network built from existing parameters).</summary>
    public Initialization? Initialization { get; private init; }

    /// <summary>[n_0, n_1, …, n_L].</summary>
    public int[] LayerSizes => Parameters.LayerDims;

    /// <summary>How many numbers training adjusts.</summary>
    public int ParameterCount => Parameters.Count;

    /// <summary>The history of the most recent <see cref="Train"/> call (null before any).</summary>
    public TrainingHistory? History { get; set; }

    /// <summary>The forward pass over X (features × samples): AL and every layer's cache.</summary>
    public ForwardResult Forward(Matrix<double> X)
    {
        CheckX(X, "X");
        return DeepNN.ForwardPass(X, Parameters, _activations);
    }

    /// <summary>The backward pass from a forward pass's result and the labels: every layer's gradients.</summary>
    public Gradients Backward(ForwardResult forward, Matrix<double> Y)
    {
        ArgumentNullException.ThrowIfNull(forward);
        return DeepNN.BackwardPass(forward.AL, Y, forward, Cost);
    }

    /// <summary>The cost of the network's predictions for X against Y.</summary>
    public double ComputeCost(Matrix<double> X, Matrix<double> Y) => Cost.Compute(Forward(X).AL, Y);

    /// <summary>
    /// The training objective and its gradients, exactly as one training step computes them: with L2's
    /// penalty (λ/2m)·Σ‖W‖² and dropout masks drawn from a generator seeded with the regularisation's
    /// <see cref="Regularization.DropoutSeed"/> — so two calls with the same arguments use the same masks,
    /// which is what a gradient check of dropout needs. Nothing is updated.
    /// </summary>
    public (double Cost, Gradients Gradients) TrainingObjective(Matrix<double> X, Matrix<double> Y, Regularization? regularization = null)
    {
        var (cost, ws) = TrainingForward(X, Y, regularization ?? Regularization.None);
        ws.Backward(Y, Cost, (regularization ?? Regularization.None).L2 / X.ColumnCount);
        var gradients = ws.CopyGradients();
        ReleaseInputs();
        return (cost, gradients);
    }

    /// <summary>The training objective's value alone (see <see cref="TrainingObjective"/>).</summary>
    public double TrainingCost(Matrix<double> X, Matrix<double> Y, Regularization? regularization = null)
    {
        double cost = TrainingForward(X, Y, regularization ?? Regularization.None).Cost;
        ReleaseInputs();
        return cost;
    }

    private (double Cost, Workspace Workspace) TrainingForward(Matrix<double> x, Matrix<double> y, Regularization regularization)
    {
        ArgumentNullException.ThrowIfNull(regularization);
        regularization.Validate();
        CheckX(x, "X");
        CheckY(y, x.ColumnCount, "Y");
        var ws = WorkspaceFor(x.ColumnCount);
        ws.Forward(x, regularization.DropoutRate, new NumPyRandom(regularization.DropoutSeed));
        return (Cost.Compute(ws.AL, y) + L2Penalty(regularization.L2 / x.ColumnCount), ws);
    }

    /// <summary>(λ/m)/2 · Σ_l ‖W_l‖², the L2 term of the cost, given λ/m.</summary>
    private double L2Penalty(double lambdaOverM)
    {
        if (lambdaOverM == 0) return 0;
        double sum = 0;
        foreach (var layer in Layers)
            foreach (double w in Shape.Values(layer.W)) sum += w * w;
        return lambdaOverM / 2.0 * sum;
    }

    /// <summary>Drops the workspaces' references to the caller's X (the buffers themselves are kept for reuse).</summary>
    private void ReleaseInputs()
    {
        foreach (var ws in _workspaces.Values) ws.ReleaseInput();
    }

    /// <summary>The network's outputs AL for X: probabilities for sigmoid and softmax outputs.</summary>
    public Matrix<double> PredictProbabilities(Matrix<double> X) => Forward(X).AL;

    /// <summary>The predicted class of each sample: 0 or 1 for one output unit (threshold 0.5), else the most probable row.</summary>
    public int[] PredictClasses(Matrix<double> X) => Metrics.Classes(PredictProbabilities(X));

    /// <summary>The predictions encoded like the labels: a 0/1 row for one output unit, else one-hot columns.</summary>
    public Matrix<double> Predict(Matrix<double> X)
    {
        var classes = PredictClasses(X);
        int n = Layers[Layers.Count].Units;
        var result = Matrix<double>.Build.Dense(n, classes.Length);
        for (int j = 0; j < classes.Length; j++)
        {
            if (n == 1) result[0, j] = classes[j];
            else result[classes[j], j] = 1;
        }
        return result;
    }

    /// <summary>The fraction of samples of X whose prediction matches Y (see <see cref="Metrics.Accuracy"/>).</summary>
    public double Accuracy(Matrix<double> X, Matrix<double> Y)
    {
        var al = PredictProbabilities(X);
        CheckY(Y, al.ColumnCount, "Y");
        return Metrics.Accuracy(al, Y);
    }

    /// <summary>Saves the network and its history as JSON (see <see cref="ModelFile"/>); the file is replaced atomically.</summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Loads a network saved with <see cref="Save"/>.</summary>
    public static Network Load(string path) => ModelFile.Load(path);

    /// <summary>A deep copy: same layers, activations and cost, its own parameters.</summary>
    public Network Clone() => new(Parameters.Clone(), _activations, Cost) { Initialization = Initialization };

    /// <summary>
    /// Trains on X (features × samples) and Y (outputs × samples): each step a forward pass, the cost and
    /// accuracy read off that same pass, a backward pass and an update of every layer (but frozen ones).
    /// Returns the history, which is also kept in <see cref="History"/>.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The cost became NaN or infinite; the message names the iteration.</exception>
    public TrainingHistory Train(Matrix<double> X, Matrix<double> Y, TrainingOptions? options = null)
    {
        options ??= new TrainingOptions();
        options.Validate(Layers.Count);
        CheckX(X, "X");
        CheckY(Y, X.ColumnCount, "Y");
        Cost.ValidateLabels(Y);
        if (options.ValidationX is { } vx && options.ValidationY is { } vy)
        {
            CheckX(vx, "ValidationX");
            CheckY(vy, vx.ColumnCount, "ValidationY");
            Cost.ValidateLabels(vy);
        }

        var optimizer = options.CreateOptimizer();
        optimizer.Reset();   // momentum and Adam start from zero on every call: re-running a cell gives the same numbers
        var frozen = new HashSet<int>(options.FrozenLayers);
        int m = X.ColumnCount;
        int batch = Math.Min(options.BatchSize ?? m, m);
        var history = new TrainingHistory(optimizer.LearningRate, optimizer.Name) { StepsPerEpoch = (m + batch - 1) / batch };
        History = history;
        bool fullBatch = batch == m;
        var order = Enumerable.Range(0, m).ToArray();
        var rng = new NumPyRandom(options.ShuffleSeed);
        var output = options.PrintCost ? options.Output ?? Console.Out : null;
        var regularization = options.Regularization;
        var masks = new NumPyRandom(regularization.DropoutSeed);
        // L2 belongs to the objective over all m training samples, (λ/2m)·Σ‖W‖²: every step, whatever its
        // batch size, adds the same (λ/m)·W to dW, so a small last batch does not decay the weights harder.
        double l2 = regularization.L2 / m;
        int lastReported = 0;
        try
        {
            for (int epoch = 1; epoch <= options.Epochs && !options.Cancellation.IsCancellationRequested; epoch++)
            {
                if (!fullBatch) rng.Shuffle(order);
                double costSum = 0;
                int correct = 0, seen = 0;
                for (int start = 0; start < m && !(seen > 0 && options.Cancellation.IsCancellationRequested); start += batch)
                {
                    int size = Math.Min(batch, m - start);
                    var ws = WorkspaceFor(size);
                    var (xb, yb) = fullBatch ? (X, Y) : ws.Gather(X, Y, order, start);
                    ws.Forward(xb, regularization.DropoutRate, masks);
                    double cost = Cost.Compute(ws.AL, yb) + L2Penalty(l2);
                    if (!double.IsFinite(cost))
                        throw Diverged(epoch, fullBatch ? null : start / batch + 1, cost, optimizer.LearningRate, history);
                    costSum += cost * size;
                    correct += Metrics.CountCorrect(ws.AL, yb);
                    seen += size;
                    ws.Backward(yb, Cost, l2);
                    optimizer.BeginStep();
                    for (int l = 1; l <= Layers.Count; l++)
                    {
                        if (frozen.Contains(l)) continue;
                        optimizer.Update(2 * l - 2, Shape.Values(Layers[l].W), Shape.Values(ws.dW[l - 1]));
                        optimizer.Update(2 * l - 1, Shape.Values(Layers[l].b), Shape.Values(ws.db[l - 1]));
                    }
                }
                // A cancelled epoch is recorded over the samples it did see, and marks the run as stopped.
                history.Add(costSum / seen, (double)correct / seen);
                if (seen < m) history.Stopped = true;

                if ((epoch - 1) % options.ReportEvery == 0 || epoch == options.Epochs || history.Stopped)
                {
                    Report(epoch, options, history, output);
                    lastReported = epoch;
                }
            }
            if (history.Epochs < options.Epochs) history.Stopped = true;
            // Stopped between reports: report the last epoch, so live charts and progress end where training did.
            if (history.Epochs > lastReported && history.Epochs > 0) Report(history.Epochs, options, history, output);
        }
        finally
        {
            ReleaseInputs();
        }
        return history;
    }

    private void Report(int epoch, TrainingOptions options, TrainingHistory history, TextWriter? output)
    {
        double? validationCost = null, validationAccuracy = null;
        if (options.ValidationX is { } vx && options.ValidationY is { } vy)
        {
            var al = DeepNN.ForwardPass(vx, Parameters, _activations).AL;
            validationCost = Cost.Compute(al, vy);
            validationAccuracy = Metrics.Accuracy(al, vy);
            history.AddValidation(epoch, validationCost.Value, validationAccuracy.Value);
        }
        var progress = new TrainingProgress(epoch, options.Epochs, history.Costs[^1], history.Accuracies[^1],
            validationCost, validationAccuracy, history);
        output?.WriteLine(progress);
        options.OnProgress?.Invoke(progress);
    }

    private static TrainingDivergedException Diverged(int epoch, int? step, double cost, double learningRate, TrainingHistory history)
    {
        string where = step is null ? $"iteration {epoch}" : $"epoch {epoch}, batch {step}";
        string last = history.Epochs > 0 ? $" (the previous cost was {history.Costs[^1]:G6})" : "";
        return new TrainingDivergedException(
            $"The cost became {cost} at {where}{last}, so training stopped. " +
            $"Usually the learning rate ({learningRate}) is too high and the weights blew up: try {learningRate / 10:G3}. " +
            "Also check the inputs for NaN or very large values (scale pixels to [0, 1]).",
            epoch, cost, history);
    }

    private void CheckX(Matrix<double> x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        LayerMath.CheckInput(1, x, Layers[1].W, Layers[1].b, name);
        if (x.ColumnCount == 0)
            throw new ArgumentException($"{name} has no samples (0 columns).", name);
    }

    private void CheckY(Matrix<double> y, int samples, string name)
    {
        ArgumentNullException.ThrowIfNull(y, name);
        int outputs = Layers[Layers.Count].Units;
        if (y.RowCount != outputs || y.ColumnCount != samples)
        {
            string hint = y.RowCount == samples && y.ColumnCount == outputs ? $" It looks transposed: try {name}.Transpose()." : "";
            throw new ShapeMismatchException(
                $"Layer {Layers.Count} (output): it has {outputs} unit{(outputs == 1 ? "" : "s")}, so {name} must be {Shape.Of(outputs, samples)} " +
                $"(one row per output unit, one column per sample), but {name} is {Shape.Of(y)}.{hint}");
        }
    }

    private Workspace WorkspaceFor(int samples)
    {
        if (!_workspaces.TryGetValue(samples, out var ws))
        {
            if (_workspaces.Count > 4) _workspaces.Clear();
            _workspaces[samples] = ws = new Workspace(this, samples);
        }
        return ws;
    }

    private static void AddScaled(Matrix<double> target, Matrix<double> source, double factor)
    {
        var t = Shape.Values(target);
        var s = Shape.Values(source);
        for (int i = 0; i < t.Length; i++) t[i] += factor * s[i];
    }

    private static void PointwiseMultiplyInPlace(Matrix<double> target, Matrix<double> factor)
    {
        var t = Shape.Values(target);
        var f = Shape.Values(factor);
        for (int i = 0; i < t.Length; i++) t[i] *= f[i];
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder($"Network [{string.Join(" → ", LayerSizes)}], cost {Cost.Name}, {ParameterCount:N0} parameters");
        foreach (var layer in Layers) text.Append("\n  ").Append(layer);
        return text.ToString();
    }

    /// <summary>
    /// The buffers of one training step for a batch of a given size, allocated once and reused every
    /// step: Z, A and dZ per layer, dA_prev below each layer, dW and db, and the batch's own X and Y.
    /// The math is <see cref="LayerMath"/>'s, the same the step functions use.
    /// </summary>
    private sealed class Workspace
    {
        private readonly Network _net;
        private readonly Matrix<double>[] _z, _a, _dZ, _dAPrev;
        private readonly Matrix<double>?[] _dropped, _mask;
        private Matrix<double>? _xb, _yb;
        private Matrix<double> _x = null!;
        private readonly int _m;

        public void ReleaseInput() => _x = null!;

        public Workspace(Network net, int m)
        {
            _net = net;
            int count = net.Layers.Count;
            Matrix<double> Dense(int r, int c) => Matrix<double>.Build.Dense(r, c);
            _z = net.Layers.Select(l => Dense(l.Units, m)).ToArray();
            _a = net.Layers.Select(l => Dense(l.Units, m)).ToArray();
            _dZ = net.Layers.Select(l => Dense(l.Units, m)).ToArray();
            _dAPrev = net.Layers.Select(l => l.Index > 1 ? Dense(l.Inputs, m) : null!).ToArray();
            dW = net.Layers.Select(l => Dense(l.Units, l.Inputs)).ToArray();
            db = net.Layers.Select(l => Dense(l.Units, 1)).ToArray();
            _dropped = new Matrix<double>?[count];
            _mask = new Matrix<double>?[count];
            _m = m;
        }

        public Matrix<double> AL => _a[^1];
        public Matrix<double>[] dW { get; }
        public Matrix<double>[] db { get; }

        /// <summary>Copies the batch's columns of X and Y into this workspace's own buffers.</summary>
        public (Matrix<double> X, Matrix<double> Y) Gather(Matrix<double> x, Matrix<double> y, int[] order, int start)
        {
            _xb ??= Matrix<double>.Build.Dense(x.RowCount, _m);   // only mini-batches need their own copies
            _yb ??= Matrix<double>.Build.Dense(y.RowCount, _m);
            Copy(Shape.Values(x), x.RowCount, Shape.Values(_xb));
            Copy(Shape.Values(y), y.RowCount, Shape.Values(_yb));
            return (_xb, _yb);

            void Copy(double[] src, int rows, double[] dst)
            {
                int m = dst.Length / rows;
                for (int j = 0; j < m; j++) Array.Copy(src, order[start + j] * rows, dst, j * rows, rows);
            }
        }

        private bool _dropout;

        /// <summary>
        /// The forward pass into this workspace. With a dropout rate p &gt; 0, each hidden layer's output is
        /// multiplied by a fresh mask D (entries 0 with probability p, else 1/(1 − p)); the layer above reads
        /// the dropped activations, while g'(Z) in the backward pass still uses the undropped A = g(Z).
        /// </summary>
        public void Forward(Matrix<double> x, double dropoutRate, NumPyRandom masks)
        {
            _x = x;
            _dropout = dropoutRate > 0;
            var a = x;
            for (int i = 0; i < _z.Length; i++)
            {
                var layer = _net.Layers[i + 1];
                LayerMath.LinearForward(a, layer.W, layer.b, _z[i]);
                layer.Activation.Forward(_z[i], _a[i]);
                a = _a[i];
                if (_dropout && i < _z.Length - 1)
                {
                    _mask[i] ??= Matrix<double>.Build.Dense(_a[i].RowCount, _a[i].ColumnCount);
                    _dropped[i] ??= Matrix<double>.Build.Dense(_a[i].RowCount, _a[i].ColumnCount);
                    var d = Shape.Values(_mask[i]!);
                    var av = Shape.Values(_a[i]);
                    var dropped = Shape.Values(_dropped[i]!);
                    double keep = 1 - dropoutRate;
                    for (int k = 0; k < d.Length; k++)
                    {
                        d[k] = masks.NextDouble() < keep ? 1 / keep : 0;
                        dropped[k] = av[k] * d[k];
                    }
                    a = _dropped[i]!;
                }
            }
        }

        /// <summary>What layer i (0-based) passed upwards: its dropped activations during dropout, else A.</summary>
        private Matrix<double> Output(int i) => _dropout && i < _z.Length - 1 ? _dropped[i]! : _a[i];

        public Gradients CopyGradients() =>
            new(Enumerable.Range(0, _z.Length).Select(i => new LayerGradients(i + 1, null, _dZ[i].Clone(), dW[i].Clone(), db[i].Clone(),
                i > 0 ? _dAPrev[i].Clone() : null)).ToArray());

        /// <summary>The backward pass; <paramref name="l2"/> is λ/m, the L2 weight already divided by the training set's size.</summary>
        public void Backward(Matrix<double> y, Cost cost, double l2)
        {
            int last = _z.Length - 1;
            var output = _net.Layers[last + 1];
            if (!cost.TryOutputDelta(output.Activation, _a[last], y, _dZ[last]))
            {
                cost.Gradient(_a[last], y, _dZ[last]);                                  // dAL
                output.Activation.Backward(_dZ[last], _z[last], _a[last], _dZ[last]);    // dZ = dAL ⊙ g'(Z), in place
            }
            for (int i = last; i >= 0; i--)
            {
                var layer = _net.Layers[i + 1];
                var aPrev = i == 0 ? _x : Output(i - 1);
                LayerMath.LinearBackward(_dZ[i], aPrev, layer.W, dW[i], db[i], i > 0 ? _dAPrev[i] : null);
                if (l2 != 0) AddScaled(dW[i], layer.W, l2);                           // dW += (λ/m)·W
                if (i > 0)
                {
                    if (_dropout) PointwiseMultiplyInPlace(_dAPrev[i], _mask[i - 1]!);  // dA ← dA ⊙ D
                    var below = _net.Layers[i];
                    below.Activation.Backward(_dAPrev[i], _z[i - 1], _a[i - 1], _dZ[i - 1]);
                }
            }
        }
    }
}
