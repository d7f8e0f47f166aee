using static System.FormattableString;

namespace NeuralNet.Training;

/// <summary>
/// An update rule: given a parameter θ and its gradient g, move θ downhill. A rule is only the settings
/// (α, β…): the memory of rules that have one (momentum's velocity, Adam's moments) belongs to the training
/// run, which keeps one <see cref="NewState">state</see> per parameter matrix — so one optimizer object can
/// be shared by several trainings without them touching each other.
/// </summary>
/// <param name="learningRate">α, the step size.</param>
public abstract class Optimizer(double learningRate)
{
    /// <summary>α, the step size.</summary>
    public double LearningRate { get; } = Checks.LearningRate(learningRate);

    /// <summary>The rule's name, for display.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Fresh memory for one parameter of <paramref name="length"/> numbers, all zeros: none for gradient
    /// descent, the velocity v for momentum, the moments m and v for Adam.
    /// </summary>
    public virtual double[][] NewState(int length) => [];

    /// <summary>
    /// θ ← rule(θ, g) for one parameter, with that parameter's own <paramref name="state"/> (from <see cref="NewState"/>),
    /// at <paramref name="step"/> t = 1, 2, … of the run (Adam's bias correction needs it).
    /// </summary>
    public abstract void Update(double[] parameter, double[] gradient, double[][] state, int step);

    /// <summary>Returns a memory factor β if it is in [0, 1), else refuses it naming the rule's <paramref name="what"/> and the usual value.</summary>
    protected static double CheckDecay(double beta, string parameter, string what, double usual) =>
        beta >= 0 && beta < 1 ? beta : throw new ArgumentOutOfRangeException(parameter, Invariant($"{what} must be in [0, 1), not {beta}; {usual} is usual."));

    /// <inheritdoc />
    public override string ToString() => Invariant($"{Name} (α = {LearningRate})");
}

/// <summary>Plain gradient descent: θ ← θ − α·g. The original's update.</summary>
public sealed class Sgd(double learningRate = 0.05) : Optimizer(learningRate)
{
    public override string Name => "gradient descent";

    public override void Update(double[] parameter, double[] gradient, double[][] state, int step) => Backprop.Step(parameter, gradient, LearningRate);
}

/// <summary>
/// Gradient descent with momentum: v ← β·v + g, then θ ← θ − α·v. The velocity v remembers recent
/// gradients, so steps grow along directions that keep agreeing and cancel where they zig-zag.
/// </summary>
public sealed class Momentum : Optimizer
{
    /// <summary>Momentum with step size α and memory β (0.9 is usual).</summary>
    public Momentum(double learningRate = 0.01, double beta = 0.9) : base(learningRate)
    {
        Beta = CheckDecay(beta, nameof(beta), "Momentum's β", 0.9);
    }

    /// <summary>β, how much of the previous velocity each step keeps.</summary>
    public double Beta { get; }

    public override string Name => Invariant($"momentum (β = {Beta})");

    /// <summary>The velocity v.</summary>
    public override double[][] NewState(int length) => [new double[length]];

    public override void Update(double[] parameter, double[] gradient, double[][] state, int step)
    {
        var v = state[0];
        for (int i = 0; i < parameter.Length; i++)
        {
            v[i] = Beta * v[i] + gradient[i];
            parameter[i] -= LearningRate * v[i];
        }
    }
}

/// <summary>
/// Adam: running means of the gradient (m) and of its square (v), corrected for their start at zero,
/// give each parameter its own step: θ ← θ − α·m̂ / (√v̂ + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : base(learningRate)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), Invariant($"Adam's ε must be positive, not {epsilon}; 1e-8 is usual."));
        (Beta1, Beta2, Epsilon) = (CheckDecay(beta1, nameof(beta1), "Adam's β₁", 0.9), CheckDecay(beta2, nameof(beta2), "Adam's β₂", 0.999), epsilon);
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    public override string Name => Invariant($"Adam (β₁ = {Beta1}, β₂ = {Beta2})");

    /// <summary>The moments m (of g) and v (of g²).</summary>
    public override double[][] NewState(int length) => [new double[length], new double[length]];

    public override void Update(double[] parameter, double[] gradient, double[][] state, int step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), Invariant($"Adam's steps count from 1, not {step}."));
        var (m, v) = (state[0], state[1]);
        double c1 = 1 - Math.Pow(Beta1, step), c2 = 1 - Math.Pow(Beta2, step);
        for (int i = 0; i < parameter.Length; i++)
        {
            double g = gradient[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            parameter[i] -= LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + Epsilon);
        }
    }
}

/// <summary>The update rules by name, as activations and costs are found: "sgd", "momentum", "adam".</summary>
public static class Optimizers
{
    /// <summary>The names <see cref="FromName"/> understands.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "adam"];

    /// <summary>The rule called <paramref name="name"/> (any case), with <paramref name="learningRate"/> or the rule's usual α (0.05, 0.01, 0.001).</summary>
    public static Optimizer FromName(string name, double? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (name.Trim().ToLowerInvariant(), learningRate) switch
        {
            ("sgd", null) => new Sgd(),
            ("sgd", double a) => new Sgd(a),
            ("momentum", null) => new Momentum(),
            ("momentum", double a) => new Momentum(a),
            ("adam", null) => new Adam(),
            ("adam", double a) => new Adam(a),
            _ => throw new ArgumentException($"Unknown optimizer \"{name}\". Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
