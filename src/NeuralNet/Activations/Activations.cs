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
    /// "leaky_relu" or "leaky_relu(0.2)"), ignoring case.
    /// </summary>
    public static Activation FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        if (key.StartsWith("leaky_relu(", StringComparison.Ordinal) && key.EndsWith(')'))
        {
            string inner = key["leaky_relu(".Length..^1];
            if (double.TryParse(inner, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double alpha))
                return new LeakyReLU(alpha);
        }
        return key switch
        {
            "sigmoid" => Sigmoid,
            "relu" => ReLU,
            "leaky_relu" or "leakyrelu" => LeakyReLU,
            "tanh" => Tanh,
            "softmax" => Softmax,
            "identity" or "linear" => Identity,
            _ => throw new ArgumentException(
                $"Unknown activation \"{name}\". Known: {string.Join(", ", Names)} (or leaky_relu(α)).", nameof(name)),
        };
    }
}
