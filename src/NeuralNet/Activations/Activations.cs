namespace NeuralNet;

/// <summary>The activations by name: <c>Activations.Sigmoid</c>-style shortcuts and lookup from text.</summary>
public static class Activations
{
    public static ElementwiseActivation Sigmoid { get; } = new Sigmoid();
    public static ElementwiseActivation ReLU { get; } = new ReLU();
    public static ElementwiseActivation Tanh { get; } = new Tanh();
    public static Activation Softmax { get; } = new Softmax();
    public static ElementwiseActivation Identity { get; } = new Identity();
    public static ElementwiseActivation LeakyReLU { get; } = new LeakyReLU();

    /// <summary>The names <see cref="FromName"/> understands, and model files store: <c>Names[(int)kind]</c> is the kind's.</summary>
    public static IReadOnlyList<string> Names => Keys;
    internal static readonly string[] Keys = ["sigmoid", "relu", "leaky_relu", "tanh", "softmax", "identity"];   // in ActivationKind's order

    private static readonly Activation[] ByKind = [Sigmoid, ReLU, LeakyReLU, Tanh, Softmax, Identity];

    /// <summary>
    /// The activation called <paramref name="name"/> ("relu", "sigmoid", "tanh", "softmax", "identity",
    /// "leaky_relu" or "leaky_relu(0.2)"), ignoring case — see <see cref="ActivationId.Parse"/>: the shared instance,
    /// or a leaky ReLU with the slope written.
    /// </summary>
    public static Activation FromName(string name) => ActivationId.Parse(name) switch
    {
        { Kind: ActivationKind.LeakyReLU, Slope: var slope } when slope != NeuralNet.LeakyReLU.DefaultSlope => new LeakyReLU(slope),
        var id => ByKind[(int)id.Kind],
    };

    /// <summary><paramref name="hidden"/> on layers 1 … L−1 and <paramref name="output"/> on layer L, for <paramref name="layers"/> = L.</summary>
    internal static Activation[] PerLayer(int layers, Activation hidden, Activation output) =>
        Enumerable.Range(1, layers).Select(l => l < layers ? hidden : output).ToArray();

    /// <summary>Refuses a list that does not give each of the <paramref name="layers"/> layers an activation.</summary>
    internal static void CheckPerLayer(IReadOnlyList<Activation> activations, int layers)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count != layers)
            throw new ArgumentException($"The network has {layers} layers but {activations.Count} activations were given; give one per layer.", nameof(activations));
        if (activations.Any(a => a is null))
            throw new ArgumentException("Every layer needs an activation; one of them is null.", nameof(activations));
    }
}
