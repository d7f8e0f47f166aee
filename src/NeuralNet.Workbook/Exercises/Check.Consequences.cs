using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Exercises;

public static partial class Check
{
    /// <summary>A sigmoid output layer's scores Z, its outputs A = σ(Z) and the targets Y, one column per sample.</summary>
    internal sealed record OutputCase(Matrix<double> Z, Matrix<double> A, Matrix<double> Y)
    {
        public int n => A.RowCount;
        public int m => A.ColumnCount;
        public Matrix<double> Slope => A.PointwiseMultiply(1 - A);
    }

    /// <summary>(output units n, samples m): no two sizes equal, and n = 1 last (a single neuron, as in the notebook).</summary>
    private static readonly (int Units, int Samples)[] OutputShapes = [(3, 5), (4, 7), (1, 6)];

    private static OutputCase MakeOutputCase(int k)
    {
        var (n, m) = OutputShapes[k];
        var rng = Cases.Random(31, k);
        var z = Cases.Randn(rng, n, m, 3);   // several saturated entries (|z| > 3), where σ′ is small
        return new OutputCase(z, Activations.Sigmoid.Forward(z), Cases.Uniform(rng, n, m, 0, 1));
    }

    /// <summary>
    /// Notebook 03a: dZ of a sigmoid output layer under the mean squared error, J = (1/m) Σ_k (1/n) Σ_i (a_ik − y_ik)² —
    /// the σ′ that stays, where cross-entropy's cancels — against the library's (the cost's gradient through <see cref="Sigmoid"/>'s backward).
    /// </summary>
    public static ExerciseResult SquaredErrorDelta(Func<Matrix<double>, Matrix<double>, Matrix<double>>? yours) =>
        Grader.Grade(new ExerciseSpec<OutputCase>
        {
            Name = "SquaredErrorDelta",
            Task = "Write SquaredErrorDelta so that it returns dZ of a sigmoid output layer under the mean squared error, from its outputs A and the targets Y " +
                   "(both n × m: n output units, m samples).",
            Idea = "Two steps of the chain rule, entry by entry: first how one sample's loss changes with each output a (the derivative of its squared error), " +
                   "then how a changes with z (the sigmoid's slope, which you can write with a alone). Nothing cancels here, unlike with cross-entropy. " +
                   "dZ keeps one column per sample: no 1/m.",
            Equation = "loss_k = (1/n) Σ_i (a_ik − y_ik)²  for sample k,  so  dA = (2/n)·(A − Y)  and  dZ = dA ⊙ σ′(Z) = (2/n)·(A − Y) ⊙ A ⊙ (1 − A).",
            Parts = ["dZ"],
            CaseCount = OutputShapes.Length,
            Case = MakeOutputCase,
            Describe = c => Cases.Describe(("A", c.A), ("Y", c.Y)),
            Inputs = c => [("A", c.A), ("Y", c.Y)],
            InPlace = "A is the layer's output, kept in the cache: the cost and the accuracy are read from it after the backward pass.",
            Tolerance = 1e-12,
            Library = c => [Activations.Sigmoid.Backward(Costs.MeanSquaredError.Gradient(c.A, c.Y), c.Z, c.A)],
            Mistakes =
            [
                new(Mistakes.CrossEntropyShortcutForSquaredError, "dZ", c => c.A - c.Y),
                new(Mistakes.SigmoidSlopeLeftOut, "dZ", c => 2.0 / c.n * (c.A - c.Y)),
                new(Mistakes.ValueForDerivative, "dZ", c => (2.0 / c.n * (c.A - c.Y)).PointwiseMultiply(c.A)),
                new(Mistakes.SquareDerivativeMissingTwo, "dZ", c => (1.0 / c.n * (c.A - c.Y)).PointwiseMultiply(c.Slope)),
                new(Mistakes.MissingOneOverOutputs, "dZ", c => (2.0 * (c.A - c.Y)).PointwiseMultiply(c.Slope)),
                new(Mistakes.GradientSign, "dZ", c => (2.0 / c.n * (c.Y - c.A)).PointwiseMultiply(c.Slope)),
                new(Mistakes.OneOverMInDZ, "dZ", c => (2.0 / c.n * (c.A - c.Y)).PointwiseMultiply(c.Slope) / c.m),
            ],
        }, yours is null ? null : c => [yours(c.A, c.Y)]);
}
