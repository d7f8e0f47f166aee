using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Exercises;

/// <summary>
/// What your forward step keeps of layer l for your backward step: its input A_prev (for dW), its weights W (for
/// dA_prev) and its weighted sums Z (for g'(Z)). Your Forward returns one per layer, caches[1] … caches[L].
/// </summary>
public sealed record Cache(Matrix<double> A_prev, Matrix<double> W, Matrix<double> Z)
{
    /// <inheritdoc />
    public override string ToString() => $"cache: A_prev {Shape.Of(A_prev)}, W {Shape.Of(W)}, Z {Shape.Of(Z)}";
}

/// <summary>The gradients of layer l's parameters, ∂J/∂W_l and ∂J/∂b_l: your Backward returns one per layer, grads[1] … grads[L].</summary>
public sealed record Grads(Matrix<double> dW, Matrix<double> db)
{
    /// <inheritdoc />
    public override string ToString() => $"grads: dW {Shape.Of(dW)}, db {Shape.Of(db)}";
}

/// <summary>
/// Your network: the functions you wrote in notebooks 1 to 3, which <see cref="Check.YourNetwork"/> runs beside the
/// library's and <c>YourNetwork.TrainLive</c> trains. Make it from your functions by name:
/// <code>new NetworkParts(Forward, ComputeCost, Backward, UpdateParameters, Train)</code>
/// </summary>
/// <param name="Forward">Notebook 1: X and the parameters → the output AL and every layer's cache (ReLU hidden layers, a sigmoid output).</param>
/// <param name="ComputeCost">Notebook 1: the binary cross-entropy J of AL against Y.</param>
/// <param name="Backward">Notebook 2: AL, Y and the caches → every layer's dW and db.</param>
/// <param name="UpdateParameters">Notebook 3: W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l for every layer, in place.</param>
/// <param name="Train">Notebook 3: <c>iterations</c> steps of forward, cost, backward and update on the parameters, in place;
/// calls <c>report(iteration, cost)</c> after each; returns the cost of every iteration's forward pass.</param>
public sealed record NetworkParts(
    Func<Matrix<double>, Parameters, (Matrix<double> AL, Cache[] caches)> Forward,
    Func<Matrix<double>, Matrix<double>, double> ComputeCost,
    Func<Matrix<double>, Matrix<double>, Cache[], Grads[]> Backward,
    Action<Parameters, Grads[], double> UpdateParameters,
    Func<Matrix<double>, Matrix<double>, Parameters, double, int, Action<int, double>, double[]> Train)
{
    /// <summary>The library standing in for every part (<see cref="StandIn"/>).</summary>
    public static NetworkParts StandIns { get; } = new(StandIn.Forward, StandIn.ComputeCost, StandIn.Backward, StandIn.UpdateParameters, StandIn.Train);

    /// <summary>
    /// The library's training loop over these parts, standing in for a <see cref="Train"/> not written yet: the same
    /// forward, cost, backward and update, in the library's order (noted in <see cref="StandIn.Used"/> as "Train").
    /// </summary>
    public double[] TrainWithTheLibrarysLoop(Matrix<double> X, Matrix<double> Y, Parameters parameters, double alpha, int iterations, Action<int, double>? report)
    {
        StandIn.Note(nameof(Train));
        return Reference.Train(this, X, Y, parameters, alpha, iterations, report);
    }
}

/// <summary>
/// The library standing in for a function of your network you have not written yet: the same name and signature as
/// yours, the library's numbers (<see cref="Reference"/>). Each call is noted in <see cref="Used"/>, so a check can tell
/// your network from the library's and say which parts are still the library's.
/// </summary>
public static class StandIn
{
    private static readonly HashSet<string> _used = [];

    /// <summary>The functions that stood in since the last <see cref="ClearUsed"/>, by name.</summary>
    public static IReadOnlyCollection<string> Used
    {
        get { lock (_used) return _used.Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>Forgets which functions stood in.</summary>
    public static void ClearUsed()
    {
        lock (_used) _used.Clear();
    }

    internal static void Note(string name)
    {
        lock (_used) _used.Add(name);
    }

    /// <summary>The library's relu(Z) (notebook 1).</summary>
    public static Matrix<double> Relu(Matrix<double> Z) { Note(nameof(Relu)); return Reference.Relu(Z); }

    /// <summary>The library's σ(Z) (notebook 1).</summary>
    public static Matrix<double> Sigmoid(Matrix<double> Z) { Note(nameof(Sigmoid)); return Reference.Sigmoid(Z); }

    /// <summary>The library's Z = W·A_prev + b (notebook 1).</summary>
    public static Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b) { Note(nameof(LinearForward)); return Reference.LinearForward(A_prev, W, b); }

    /// <summary>The library's forward pass (notebook 1).</summary>
    public static (Matrix<double> AL, Cache[] caches) Forward(Matrix<double> X, Parameters parameters) { Note(nameof(Forward)); return Reference.Forward(X, parameters); }

    /// <summary>The library's binary cross-entropy (notebook 1).</summary>
    public static double ComputeCost(Matrix<double> AL, Matrix<double> Y) { Note(nameof(ComputeCost)); return Reference.ComputeCost(AL, Y); }

    /// <summary>The library's dA ⊙ relu'(Z) (notebook 2).</summary>
    public static Matrix<double> ReluBackward(Matrix<double> dA, Matrix<double> Z) { Note(nameof(ReluBackward)); return Reference.ReluBackward(dA, Z); }

    /// <summary>The library's dA ⊙ σ'(Z) (notebook 2).</summary>
    public static Matrix<double> SigmoidBackward(Matrix<double> dA, Matrix<double> Z) { Note(nameof(SigmoidBackward)); return Reference.SigmoidBackward(dA, Z); }

    /// <summary>The library's linear backward step (notebook 2).</summary>
    public static (Matrix<double> dW, Matrix<double> db, Matrix<double> dA_prev) LinearBackward(Matrix<double> dZ, Matrix<double> A_prev, Matrix<double> W) { Note(nameof(LinearBackward)); return Reference.LinearBackward(dZ, A_prev, W); }

    /// <summary>The library's backward pass (notebook 2).</summary>
    public static Grads[] Backward(Matrix<double> AL, Matrix<double> Y, Cache[] caches) { Note(nameof(Backward)); return Reference.Backward(AL, Y, caches); }

    /// <summary>The library's update of every layer (notebook 3).</summary>
    public static void UpdateParameters(Parameters parameters, Grads[] grads, double alpha) { Note(nameof(UpdateParameters)); Reference.UpdateParameters(parameters, grads, alpha); }

    /// <summary>The library's training loop (notebook 3).</summary>
    public static double[] Train(Matrix<double> X, Matrix<double> Y, Parameters parameters, double alpha, int iterations, Action<int, double> report) { Note(nameof(Train)); return Reference.Train(X, Y, parameters, alpha, iterations, report); }
}

/// <summary>
/// The library's version of each function you write for your network, with your function's name and signature: what the
/// checks compare yours with, and what <see cref="StandIn"/> runs. Each is the library's own step (DeepNN, Activations).
/// </summary>
internal static class Reference
{
    /// <summary>relu(Z), entry by entry (notebook 1).</summary>
    public static Matrix<double> Relu(Matrix<double> Z) => Activations.ReLU.Forward(Z);

    /// <summary>σ(Z), entry by entry (notebook 1).</summary>
    public static Matrix<double> Sigmoid(Matrix<double> Z) => Activations.Sigmoid.Forward(Z);

    /// <summary>Z = W·A_prev + b (notebook 1).</summary>
    public static Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b) => DeepNN.LinearForward(A_prev, W, b);

    /// <summary>The library's own pass behind caches this class made: its backward pass then runs as the library's does.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Cache[], ForwardResult> Passes = [];

    /// <summary>The forward pass, ReLU on the hidden layers and the sigmoid on the output (notebook 1).</summary>
    public static (Matrix<double> AL, Cache[] caches) Forward(Matrix<double> X, Parameters parameters)
    {
        var forward = DeepNN.ForwardPass(X, parameters);
        var caches = new Cache[parameters.LayerCount + 1];
        for (int l = 1; l <= parameters.LayerCount; l++)
        {
            var c = forward.Caches[l];
            caches[l] = new Cache(c.A_prev, c.W, c.Z);
        }
        Passes.AddOrUpdate(caches, forward);
        return (forward.AL, caches);
    }

    /// <summary>The binary cross-entropy J (notebook 1).</summary>
    public static double ComputeCost(Matrix<double> AL, Matrix<double> Y) => DeepNN.ComputeCost(AL, Y);

    /// <summary>dZ = dA ⊙ relu'(Z) (notebook 2).</summary>
    public static Matrix<double> ReluBackward(Matrix<double> dA, Matrix<double> Z) => Activations.ReLU.Backward(dA, Z, Activations.ReLU.Forward(Z));

    /// <summary>dZ = dA ⊙ σ'(Z) (notebook 2).</summary>
    public static Matrix<double> SigmoidBackward(Matrix<double> dA, Matrix<double> Z) => Activations.Sigmoid.Backward(dA, Z, Activations.Sigmoid.Forward(Z));

    /// <summary>(dW, db, dA_prev) of the layer Z = W·A_prev + b (notebook 2).</summary>
    public static (Matrix<double> dW, Matrix<double> db, Matrix<double> dA_prev) LinearBackward(Matrix<double> dZ, Matrix<double> A_prev, Matrix<double> W)
    {
        // A layer cache of the library's with this A_prev and W (its Z is never read by the linear step's backward).
        var cache = DeepNN.LinearActivationForward(A_prev, W, Matrix<double>.Build.Dense(W.RowCount, 1), Activations.Identity);
        var g = DeepNN.LinearBackward(dZ, cache);
        return (g.dW, g.db, g.dA_prev!);
    }

    /// <summary>Every layer's gradients from the caches: dZ_L = AL − Y, then the four equations from L down to 1 (notebook 2).</summary>
    public static Grads[] Backward(Matrix<double> AL, Matrix<double> Y, Cache[] caches)
    {
        int L = caches.Length - 1;
        // Caches of the library's own pass, as they were made: its backward pass (which skips layer 1's unused dA_prev).
        if (Passes.TryGetValue(caches, out var forward) && ReferenceEquals(AL, forward.AL)
            && Enumerable.Range(1, L).All(l => ReferenceEquals(caches[l].Z, forward.Caches[l].Z)))
        {
            var library = DeepNN.BackwardPass(AL, Y, forward);
            return [null!, .. Enumerable.Range(1, L).Select(l => new Grads(library[l].dW, library[l].db))];
        }
        var grads = new Grads[L + 1];
        var dZ = AL - Y;
        for (int l = L; l >= 1; l--)
        {
            var (dW, db, dAPrev) = LinearBackward(dZ, caches[l].A_prev, caches[l].W);
            grads[l] = new Grads(dW, db);
            if (l > 1) dZ = ReluBackward(dAPrev, caches[l - 1].Z);
        }
        return grads;
    }

    /// <summary>W_l ← W_l − α·dW_l and b_l ← b_l − α·db_l for every layer, in place (notebook 3).</summary>
    public static void UpdateParameters(Parameters parameters, Grads[] grads, double alpha)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(grads);
        for (int l = 1; l <= parameters.LayerCount; l++)
        {
            parameters.W[l].Subtract(alpha * grads[l].dW, parameters.W[l]);
            parameters.b[l].Subtract(alpha * grads[l].db, parameters.b[l]);
        }
    }

    /// <summary>Full-batch gradient descent: forward, cost, backward and update, <paramref name="iterations"/> times (notebook 3).</summary>
    public static double[] Train(Matrix<double> X, Matrix<double> Y, Parameters parameters, double alpha, int iterations, Action<int, double> report) =>
        Train(Parts, X, Y, parameters, alpha, iterations, report);

    /// <summary>The library's parts, as one network.</summary>
    public static NetworkParts Parts { get; } = new(Forward, ComputeCost, Backward, UpdateParameters, Train);

    /// <summary>The same loop over the given parts: yours, where you have written them.</summary>
    internal static double[] Train(NetworkParts parts, Matrix<double> X, Matrix<double> Y, Parameters parameters, double alpha, int iterations, Action<int, double>? report)
    {
        var costs = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var (AL, caches) = parts.Forward(X, parameters);
            costs[i] = parts.ComputeCost(AL, Y);
            var grads = parts.Backward(AL, Y, caches);
            parts.UpdateParameters(parameters, grads, alpha);
            report?.Invoke(i + 1, costs[i]);
        }
        return costs;
    }
}
