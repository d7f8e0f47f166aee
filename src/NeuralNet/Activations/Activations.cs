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
    public static IReadOnlyList<string> Names { get; } = ["sigmoid", "relu", "leaky_relu", "tanh", "softmax", "identity"];

    /// <summary>
    /// The activation called <paramref name="name"/> ("relu", "sigmoid", "tanh", "softmax", "identity",
    /// "leaky_relu" or "leaky_relu(0.2)"), ignoring case — see <see cref="ActivationId.Parse"/>.
    /// </summary>
    public static Activation FromName(string name) => FromId(ActivationId.Parse(name));

    /// <summary>The activation with the given id (the shared instance, or a leaky ReLU with the id's slope).</summary>
    public static Activation FromId(ActivationId id) => id.Kind switch
    {
        ActivationKind.Sigmoid => Sigmoid,
        ActivationKind.ReLU => ReLU,
        ActivationKind.LeakyReLU => id.Slope == NeuralNet.LeakyReLU.DefaultSlope ? LeakyReLU : new LeakyReLU(id.Slope),
        ActivationKind.Tanh => Tanh,
        ActivationKind.Softmax => Softmax,
        ActivationKind.Identity => Identity,
        _ => throw new ArgumentOutOfRangeException(nameof(id), $"{id.Kind} is not an activation kind."),
    };
}
