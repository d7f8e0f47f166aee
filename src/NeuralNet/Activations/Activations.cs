namespace NeuralNet;

/// <summary>The activations by name: <c>Activation.Sigmoid</c>-style shortcuts and lookup from text.</summary>
public static class Activations
{
    public static Sigmoid Sigmoid { get; } = new();
    public static ReLU ReLU { get; } = new();
    public static Tanh Tanh { get; } = new();
    public static Softmax Softmax { get; } = new();
    public static Identity Identity { get; } = new();
    public static LeakyReLU LeakyReLU { get; } = new();

    /// <summary>The names <see cref="FromName"/> understands.</summary>
    public static IReadOnlyList<string> Names => Keys;
    private static readonly string[] Keys = ["sigmoid", "relu", "leaky_relu", "tanh", "softmax", "identity"];   // in ActivationKind's order

    /// <summary>
    /// The activation called <paramref name="name"/> ("relu", "sigmoid", "tanh", "softmax", "identity",
    /// "leaky_relu" or "leaky_relu(0.2)"), ignoring case — see <see cref="ActivationId.Parse"/>.
    /// </summary>
    public static Activation FromName(string name) => FromId(ActivationId.Parse(name));

    /// <summary>The activation with the given id (the shared instance, or a leaky ReLU with the id's slope).</summary>
    public static Activation FromId(ActivationId id) => id.Kind switch
    {
        ActivationKind.LeakyReLU when id.Slope != NeuralNet.LeakyReLU.DefaultSlope => new LeakyReLU(id.Slope),
        var kind when (uint)kind < Keys.Length => ById[(int)kind],
        _ => throw new ArgumentOutOfRangeException(nameof(id), $"{id.Kind} is not an activation kind."),
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

    internal static int IndexOf(string key) => Array.IndexOf(Keys, key);

    private static readonly Activation[] ById = [Sigmoid, ReLU, LeakyReLU, Tanh, Softmax, Identity];
}
