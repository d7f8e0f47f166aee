namespace NeuralNet.Training;

/// <summary>
/// An update rule: given a parameter θ and its gradient g, move θ downhill. Each parameter matrix has a
/// slot (its position in the network) so rules with memory (momentum, Adam) keep one state per matrix.
/// </summary>
public abstract class Optimizer
{
    /// <summary>A rule with step size α = <paramref name="learningRate"/>.</summary>
    protected Optimizer(double learningRate)
    {
        CheckLearningRate(learningRate);
        LearningRate = learningRate;
    }

    /// <summary>α, the step size.</summary>
    public double LearningRate { get; }

    /// <summary>The rule's name, for display.</summary>
    public abstract string Name { get; }

    /// <summary>Called once before each update of all parameters (Adam counts its steps here).</summary>
    public virtual void BeginStep() { }

    /// <summary>θ ← rule(θ, g) for the matrix in <paramref name="slot"/>.</summary>
    public abstract void Update(int slot, double[] parameter, double[] gradient);

    /// <summary>Forgets all memory (momentum, Adam moments), as if training started over.</summary>
    public virtual void Reset() { }

    /// <summary>Rejects a learning rate that cannot work, saying what to use.</summary>
    public static void CheckLearningRate(double learningRate)
    {
        if (double.IsNaN(learningRate) || double.IsInfinity(learningRate) || learningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate),
                $"The learning rate must be a positive number, not {learningRate}. Typical values are 0.001 to 0.5; start with 0.05 and lower it if the cost rises.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (α = {LearningRate})";
}

/// <summary>Plain gradient descent: θ ← θ − α·g. The original's update.</summary>
public sealed class Sgd(double learningRate) : Optimizer(learningRate)
{
    public override string Name => "gradient descent";

    public override void Update(int slot, double[] parameter, double[] gradient) => Step(parameter, gradient, LearningRate);

    /// <summary>θ ← θ − α·g, element by element.</summary>
    internal static void Step(double[] parameter, double[] gradient, double learningRate)
    {
        for (int i = 0; i < parameter.Length; i++) parameter[i] -= learningRate * gradient[i];
    }
}

/// <summary>
/// Gradient descent with momentum: v ← β·v + g, then θ ← θ − α·v. The velocity v remembers recent
/// gradients, so steps grow along directions that keep agreeing and cancel where they zig-zag.
/// </summary>
public sealed class Momentum : Optimizer
{
    private readonly Dictionary<int, double[]> _velocity = [];

    /// <summary>Momentum with step size α and memory β (0.9 is usual).</summary>
    public Momentum(double learningRate, double beta = 0.9) : base(learningRate)
    {
        if (!(beta >= 0 && beta < 1))
            throw new ArgumentOutOfRangeException(nameof(beta), $"Momentum's β must be in [0, 1), not {beta}; 0.9 is usual.");
        Beta = beta;
    }

    /// <summary>β, how much of the previous velocity each step keeps.</summary>
    public double Beta { get; }

    public override string Name => $"momentum (β = {Beta})";

    public override void Update(int slot, double[] parameter, double[] gradient)
    {
        if (!_velocity.TryGetValue(slot, out var v))
            _velocity[slot] = v = new double[parameter.Length];
        for (int i = 0; i < parameter.Length; i++)
        {
            v[i] = Beta * v[i] + gradient[i];
            parameter[i] -= LearningRate * v[i];
        }
    }

    public override void Reset() => _velocity.Clear();
}

/// <summary>
/// Adam: running means of the gradient (m) and of its square (v), corrected for their start at zero,
/// give each parameter its own step: θ ← θ − α·m̂ / (√v̂ + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Dictionary<int, (double[] M, double[] V)> _moments = [];
    private int _t;

    /// <summary>Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam's β₁ must be in [0, 1), not {beta1}; 0.9 is usual.");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), $"Adam's β₂ must be in [0, 1), not {beta2}; 0.999 is usual.");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Adam's ε must be positive, not {epsilon}; 1e-8 is usual.");
        (Beta1, Beta2, Epsilon) = (beta1, beta2, epsilon);
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    public override string Name => $"Adam (β₁ = {Beta1}, β₂ = {Beta2})";

    public override void BeginStep() => _t++;

    public override void Update(int slot, double[] parameter, double[] gradient)
    {
        if (_t == 0) _t = 1;
        if (!_moments.TryGetValue(slot, out var state))
            _moments[slot] = state = (new double[parameter.Length], new double[parameter.Length]);
        double c1 = 1 - Math.Pow(Beta1, _t), c2 = 1 - Math.Pow(Beta2, _t);
        for (int i = 0; i < parameter.Length; i++)
        {
            double g = gradient[i];
            state.M[i] = Beta1 * state.M[i] + (1 - Beta1) * g;
            state.V[i] = Beta2 * state.V[i] + (1 - Beta2) * g * g;
            parameter[i] -= LearningRate * (state.M[i] / c1) / (Math.Sqrt(state.V[i] / c2) + Epsilon);
        }
    }

    public override void Reset()
    {
        _moments.Clear();
        _t = 0;
    }
}
