using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Exercises;

public static partial class Check
{
    /// <summary>One neuron, one sample: x, w, b and the label y.</summary>
    internal sealed record NeuronCase(double X, double W, double B, double Y);

    private static readonly NeuronCase[] NeuronCases =
        [new(1.5, 0.8, -0.5, 1), new(-2.0, 0.3, 0.7, 0), new(0.6, -1.1, 0.2, 1), new(2.5, 0.4, -1.3, 0)];

    /// <summary>
    /// Notebook 01a: the chain rule on one sigmoid neuron with the cross-entropy loss — ∂L/∂w and ∂L/∂b for
    /// z = w·x + b, a = σ(z), L = −(y·log a + (1 − y)·log(1 − a)).
    /// </summary>
    public static ExerciseResult NeuronGradients(Func<double, double, double, double, (double dw, double db)>? yours) =>
        Grader.Grade(new ExerciseSpec<NeuronCase>
        {
            Name = "NeuronGradients",
            Task = "Write NeuronGradients so that it returns (∂L/∂w, ∂L/∂b) of one sigmoid neuron with the cross-entropy loss, from x, w, b and the label y.",
            Idea = "Follow each path from L back to the number: L → a → z → w·x → w, and L → a → z → b. Multiply the local derivatives along it. " +
                   "The first two arrows together give ∂L/∂z, which this notebook found to be very simple.",
            Equation = "∂L/∂z = a − y with a = σ(w·x + b);  ∂L/∂w = ∂L/∂z · x;  ∂L/∂b = ∂L/∂z · 1.",
            Parts = ["dw", "db"],
            Numbers = true,
            CaseCount = NeuronCases.Length,
            Case = k => NeuronCases[k],
            Describe = c => $"x = {c.X}, w = {c.W}, b = {c.B}, y = {c.Y}",
            Library = c =>
            {
                var neuron = new Network(new Parameters([Number(c.W)], [Number(c.B)]), [Activations.Sigmoid], Costs.BinaryCrossEntropy);
                var grads = neuron.Backward(neuron.Forward(Number(c.X)), Number(c.Y));
                return [grads[1].dW, grads[1].db];
            },
            Mistakes =
            [
                new(Mistakes.WrongLocalDerivative, "dw", c => Number(Error(c) * c.W)),
                new(Mistakes.WrongLocalDerivative, "db", c => Number(Error(c) * c.X)),
                new(Mistakes.SigmoidDerivativeTwice, "dw", c => Number(Error(c) * Slope(c) * c.X)),
                new(Mistakes.SigmoidDerivativeTwice, "db", c => Number(Error(c) * Slope(c))),
                new(Mistakes.GradientSign, "dw", c => Number(-Error(c) * c.X)),
                new(Mistakes.GradientSign, "db", c => Number(-Error(c))),
            ],
        }, yours is null ? null : c =>
        {
            var (dw, db) = yours(c.X, c.W, c.B, c.Y);
            return [Number(dw), Number(db)];
        });

    private static double Output(NeuronCase c) => Activations.Sigmoid.Value(c.W * c.X + c.B);
    private static double Error(NeuronCase c) => Output(c) - c.Y;
    private static double Slope(NeuronCase c) => Output(c) * (1 - Output(c));
}
