using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Training;

/// <summary>
/// Trains a network: epochs of steps — forward pass, cost, backward pass, update of every layer (but frozen
/// ones) — over the whole training set or shuffled mini-batches, with reports, validation, cancellation and
/// a diagnosis when the cost stops being a finite number. The passes are <see cref="Backprop"/>'s forward and
/// backward loops, run in buffers this trainer allocates once per batch size and reuses every step.
/// </summary>
/// <remarks>
/// A trainer is one training run of one network: it owns the optimizer's memory (one state per parameter
/// matrix), the step count, and the generators that shuffle the samples and draw dropout masks. Calling
/// <see cref="Train"/> again continues the run — "10 more epochs" goes on with the next shuffles and masks
/// and keeps momentum's velocity — as long as the options name the same optimizer object and the same
/// seeds; a different optimizer starts its memory afresh, a different seed its generator. Options are only
/// settings, so one <see cref="TrainingOptions"/> may be shared by several trainings.
/// One network trains one run at a time: a second <see cref="Train"/> on the same network while one runs (from another
/// thread, or from this one's OnProgress) is refused with an <see cref="InvalidOperationException"/>.
/// </remarks>
/// <param name="network">The network of this training run.</param>
public sealed class Trainer(Network network)
{
    private readonly Dictionary<Matrix<double>, double[][]> _state = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, Buffers> _buffers = [];
    private Optimizer? _optimizer;
    private (uint Seed, NumPyRandom Random)? _shuffle, _masks;
    private int[] _order = [];
    private long _updates;   // ever made by this trainer, whatever the optimizer

    /// <summary>The network being trained.</summary>
    public Network Network { get; } = network ?? throw new ArgumentNullException(nameof(network));

    /// <summary>Updates made so far in this run (t in Adam's bias correction).</summary>
    internal int Steps { get; private set; }

    /// <summary>
    /// Trains on X (features × samples) and Y (outputs × samples) for <see cref="TrainingOptions.Epochs"/> more
    /// epochs, continuing this run. Each step's cost and accuracy are read off its own forward pass. Returns the
    /// history of these epochs.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The cost became NaN or infinite; the message names the step and the likely cause.</exception>
    /// <exception cref="InvalidOperationException">The network is already training (on another thread, or this Train was called from its own OnProgress).</exception>
    public TrainingHistory Train(Matrix<double> X, Matrix<double> Y, TrainingOptions? options = null)
    {
        using var training = Network.StartTraining();
        options ??= new TrainingOptions();
        options.Validate(Network.Layers.Count);
        var optimizer = options.Optimizer;
        CheckData(X, Y, "X", "Y");
        if (options.ValidationX is { } vx && options.ValidationY is { } vy) CheckData(vx, vy, "ValidationX", "ValidationY");

        if (!ReferenceEquals(optimizer, _optimizer)) (_optimizer, Steps) = (optimizer, 0);
        if (Steps == 0) _state.Clear();
        int m = X.ColumnCount;
        var shuffle = Continue(ref _shuffle, options.ShuffleSeed);
        if (_order.Length != m) _order = Enumerable.Range(0, m).ToArray();
        var regularization = options.Regularization;
        var masks = Continue(ref _masks, regularization.DropoutSeed);
        var dropout = regularization.DropoutRate > 0 ? new Dropout(regularization.DropoutRate, masks) : null;

        var frozen = new HashSet<int>(options.FrozenLayers);
        int batch = Math.Min(options.BatchSize ?? m, m);
        var history = new TrainingHistory(optimizer.LearningRate, optimizer.Name) { StepsPerEpoch = (m + batch - 1) / batch };
        bool fullBatch = batch == m;
        var output = options.PrintCost ? options.Output ?? Console.Out : null;
        // L2 belongs to the objective over all m training samples, (λ/2m)·Σ‖W‖²: every step, whatever its
        // batch size, adds the same (λ/m)·W to dW, so a small last batch does not decay the weights harder.
        double l2OverM = regularization.L2 / m;
        var cancel = options.Cancellation;
        int lastReported = 0;
        try
        {
            for (int epoch = 1; epoch <= options.Epochs && !cancel.IsCancellationRequested; epoch++)
            {
                if (!fullBatch) shuffle.Shuffle(_order);
                double costSum = 0;
                int correct = 0, seen = 0;
                for (int start = 0; start < m && !(seen > 0 && cancel.IsCancellationRequested); start += batch)
                {
                    int size = Math.Min(batch, m - start);
                    var buffers = BuffersFor(size);
                    var (xb, yb) = fullBatch ? (X, Y) : buffers.Gather(X, Y, _order, start);
                    double cost = Step(Network, xb, yb, l2OverM, dropout, buffers.Forward, buffers.Gradients);
                    if (!double.IsFinite(cost))
                        throw _updates == 0 ? NotFiniteAtStart(cost, buffers.Forward, xb)
                            : Diverged(epoch, fullBatch ? null : start / batch + 1, cost, optimizer.LearningRate, history);
                    costSum += cost * size;
                    correct += Metrics.CountCorrect(buffers.Forward.AL, yb);
                    seen += size;
                    Update(optimizer, buffers.Gradients, frozen);
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
            if (history.Epochs > lastReported) Report(history.Epochs, options, history, output);
        }
        finally
        {
            foreach (var b in _buffers.Values) b.ReleaseInput();
        }
        return history;
    }

    /// <summary>
    /// The training objective and its gradients at the network's current parameters, exactly as a training
    /// step computes them: J plus L2's (λ/2m)·Σ‖W‖², and dropout masks drawn from a generator seeded with
    /// <see cref="Regularization.DropoutSeed"/> — so two calls with the same arguments use the same masks,
    /// which is what a gradient check of dropout needs. Nothing is updated.
    /// </summary>
    public static (double Cost, Gradients Gradients) Objective(Network network, Matrix<double> X, Matrix<double> Y, Regularization? regularization = null)
    {
        var objective = new ObjectiveAt(network, X, Y, regularization);
        var gradients = Gradients.Allocate(objective.Forward);
        return (objective.Evaluate(gradients), gradients);
    }

    /// <summary>
    /// The training objective (see <see cref="Objective"/>) of one network on one X and Y, checked once — shapes, finite
    /// numbers, the regularisation — and then evaluated as often as wanted in the same buffers (the gradient check nudges
    /// every parameter and evaluates twice per nudge).
    /// </summary>
    internal sealed class ObjectiveAt
    {
        private readonly Network _network;
        private readonly Matrix<double> _x, _y;
        private readonly Regularization _regularization;
        private readonly NumPyRandom _masks;

        public ObjectiveAt(Network network, Matrix<double> x, Matrix<double> y, Regularization? regularization)
        {
            ArgumentNullException.ThrowIfNull(network);
            _regularization = regularization ?? Regularization.None;
            _regularization.Validate();
            Checks.Samples(network, x, "X");
            Checks.Outputs(network, y, x.ColumnCount, "Y");
            Checks.Finite(x, "X");
            Checks.Finite(y, "Y", "label");
            (_network, _x, _y) = (network, x, y);
            _masks = new NumPyRandom(_regularization.DropoutSeed);
            Forward = network.AllocateForward(x.ColumnCount);
        }

        /// <summary>The forward pass's buffers, reused by every evaluation.</summary>
        public ForwardResult Forward { get; }

        /// <summary>J at the network's current parameters; with <paramref name="gradients"/>, also the backward pass into them.</summary>
        public double Evaluate(Gradients? gradients = null)
        {
            _masks.Seed(_regularization.DropoutSeed);   // the same masks on every evaluation
            var dropout = _regularization.DropoutRate > 0 ? new Dropout(_regularization.DropoutRate, _masks) : null;
            return Step(_network, _x, _y, _regularization.L2 / _x.ColumnCount, dropout, Forward, gradients);
        }
    }

    /// <summary>
    /// One step's passes: the forward loop, the cost J + (λ/2m)·Σ‖W‖², and — when <paramref name="grads"/> is
    /// given and the cost is finite — the backward loop. Returns the cost.
    /// </summary>
    private static double Step(Network net, Matrix<double> x, Matrix<double> y, double l2OverM, Dropout? dropout,
        ForwardResult forward, Gradients? grads)
    {
        Backprop.Forward(x, forward, dropout);
        double cost = net.Cost.Compute(forward.AL, y) + Backprop.L2Penalty(forward, l2OverM);
        if (grads is not null && double.IsFinite(cost)) Backprop.Backward(forward, y, net.Cost, l2OverM, grads);
        return cost;
    }

    /// <summary>θ ← rule(θ, g) for every W and b but the frozen layers', each with its own optimizer state.</summary>
    private void Update(Optimizer optimizer, Gradients grads, HashSet<int> frozen)
    {
        Steps++;
        _updates++;
        for (int l = 1; l <= Network.Layers.Count; l++)
        {
            if (frozen.Contains(l)) continue;
            var (layer, g) = (Network.Layers[l], grads[l]);
            optimizer.Update(Shape.Values(layer.W), Shape.Values(g.dW), StateOf(optimizer, layer.W), Steps);
            optimizer.Update(Shape.Values(layer.b), Shape.Values(g.db), StateOf(optimizer, layer.b), Steps);
        }
    }

    private double[][] StateOf(Optimizer optimizer, Matrix<double> parameter)
    {
        if (!_state.TryGetValue(parameter, out var state))
            _state[parameter] = state = optimizer.NewState(parameter.RowCount * parameter.ColumnCount);
        return state;
    }

    /// <summary>The generator of this run for <paramref name="seed"/>: the one already running, or a fresh one when the seed is new.</summary>
    private static NumPyRandom Continue(ref (uint Seed, NumPyRandom Random)? stream, uint seed)
    {
        if (stream is not { } s || s.Seed != seed) stream = (seed, new NumPyRandom(seed));
        return stream.Value.Random;
    }

    private void Report(int epoch, TrainingOptions options, TrainingHistory history, TextWriter? output)
    {
        double? validationCost = null, validationAccuracy = null;
        if (options.ValidationX is { } vx && options.ValidationY is { } vy)
        {
            var al = Network.Forward(vx).AL;
            validationCost = Network.Cost.Compute(al, vy);
            validationAccuracy = Metrics.Accuracy(al, vy);
            history.AddValidation(epoch, validationCost.Value, validationAccuracy.Value);
        }
        var progress = new TrainingProgress(epoch, options.Epochs, history.Costs[^1], history.Accuracies[^1],
            validationCost, validationAccuracy, history);
        output?.WriteLine(progress);
        options.OnProgress?.Invoke(progress);
    }

    /// <summary>Shapes, then finite numbers, then labels the cost can use — each failure named where it is.</summary>
    private void CheckData(Matrix<double> x, Matrix<double> y, string xName, string yName)
    {
        Checks.Samples(Network, x, xName);
        Checks.Outputs(Network, y, x.ColumnCount, yName);
        Checks.Finite(x, xName);
        Checks.Finite(y, yName, "label");
        Network.Cost.ValidateLabels(y);
    }

    /// <summary>
    /// The cost is not finite at the run's first step, before any update: not the learning rate's doing. The data
    /// were checked finite, so it is the weights, or outputs the cost cannot take (a log of 0) — say which.
    /// </summary>
    private CostNotFiniteException NotFiniteAtStart(double cost, ForwardResult forward, Matrix<double> x)
    {
        string start = Invariant($"The cost is {cost} at the first step, before any update, so the learning rate is not the cause. ");
        if (Network.NonFiniteParameter() is var (name, value))
            return new(start + Invariant($"The weights are: {name} = {value}. ") + "Re-create the network (or load a good model) before training.");
        var al = Shape.Values(forward.AL);
        int rows = forward.AL.RowCount;
        int edge = Array.FindIndex(al, a => a is 0 or 1 || !double.IsFinite(a));
        double largest = Shape.Values(x).Max(Math.Abs);
        string where = edge >= 0 ? Invariant($" Sample {edge / rows}'s output AL[{edge % rows}, {edge / rows}] = {al[edge]}, where {Network.Cost.Name} takes log(0).") : "";
        return new(start + $"The outputs reach the edge of what {Network.Cost.Name} can take.{where} " +
            Invariant($"The inputs may be too large (the largest |x| is {largest:G4}): scale them, e.g. pixels to [0, 1], or standardise the features."));
    }

    private static TrainingDivergedException Diverged(int epoch, int? step, double cost, double learningRate, TrainingHistory history)
    {
        string where = step is null ? $"iteration {epoch}" : $"epoch {epoch}, batch {step}";
        string last = history.Epochs > 0 ? Invariant($" (the previous cost was {history.Costs[^1]:G6})") : "";
        return new TrainingDivergedException(
            Invariant($"The cost became {cost} at {where}{last}, so training stopped. ") +
            Invariant($"Usually the learning rate ({learningRate}) is too high and the weights blew up: try {learningRate / 10:G3}. ") +
            "Also check the inputs for very large values (scale pixels to [0, 1]).",
            epoch, cost, history);
    }

    private Buffers BuffersFor(int samples)
    {
        if (!_buffers.TryGetValue(samples, out var buffers))
        {
            if (_buffers.Count > 4) _buffers.Clear();
            _buffers[samples] = buffers = new Buffers(Network.AllocateForward(samples));
        }
        return buffers;
    }

    /// <summary>
    /// One batch size's matrices, allocated once and reused every step: the forward pass's Z, A (and dropout
    /// masks), the gradients, and — for mini-batches — the batch's own copy of its columns of X and Y.
    /// </summary>
    private sealed class Buffers(ForwardResult forward)
    {
        private Matrix<double>? _x, _y;

        public ForwardResult Forward { get; } = forward;
        public Gradients Gradients { get; } = Gradients.Allocate(forward);

        /// <summary>Copies the batch's columns of X and Y (order[start …]) into this size's own matrices.</summary>
        public (Matrix<double> X, Matrix<double> Y) Gather(Matrix<double> x, Matrix<double> y, int[] order, int start)
        {
            _x ??= Matrix<double>.Build.Dense(x.RowCount, Forward.Samples);
            _y ??= Matrix<double>.Build.Dense(y.RowCount, Forward.Samples);
            Shape.GatherColumns(x, order, start, _x);
            Shape.GatherColumns(y, order, start, _y);
            return (_x, _y);
        }

        /// <summary>Drops the reference to the caller's X that layer 1's cache holds (the buffers are kept).</summary>
        public void ReleaseInput() => Forward.Caches[1].A_prev = null!;
    }
}
