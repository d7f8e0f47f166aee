using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NeuralNet.Training;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- MomentumStep (notebook 06)

    /// <summary>One momentum step's inputs: the parameter, its gradient, its velocity from earlier steps (not zero), α and β.</summary>
    internal sealed record StepCase(Matrix<double> W, Matrix<double> dW, Matrix<double> v, double Alpha, double Beta);

    private static StepCase MakeStepCase(int k)
    {
        var rng = Cases.Random(21, k);
        var (rows, columns) = new[] { (3, 2), (2, 5), (4, 1) }[k];
        return new StepCase(Cases.Randn(rng, rows, columns), Cases.Randn(rng, rows, columns), Cases.Randn(rng, rows, columns, 0.5),
            new[] { 0.03, 0.05, 0.3 }[k], new[] { 0.9, 0.8, 0.95 }[k]);   // α never 1 − β: (1 − β)·dW and α·dW must differ
    }

    /// <summary>The library's step: <see cref="Momentum.Update"/> on copies; returns (v, W) after it.</summary>
    private static Matrix<double>[] LibraryMomentumStep(StepCase c)
    {
        var (w, v) = (DenseMatrix.OfMatrix(c.W), DenseMatrix.OfMatrix(c.v));
        new Momentum(c.Alpha, c.Beta).Update(w.Values, DenseMatrix.OfMatrix(c.dW).Values, [v.Values], step: 1);
        return [v, w];
    }

    private static ExerciseResult GradeMomentumStep(Action<Matrix<double>, Matrix<double>, Matrix<double>, double, double>? yours)
    {
        // A wrong rule as code: the velocity it makes from (v, dW), and the W it makes from (W, that velocity, dW).
        static MistakeVariant<StepCase>[] Rule(Mistake mistake, Func<StepCase, Matrix<double>> velocity, Func<StepCase, Matrix<double>, Matrix<double>> weights) =>
            [new(mistake, "v", velocity), new(mistake, "W", c => weights(c, velocity(c)))];
        static Matrix<double> Sum(StepCase c) => c.Beta * c.v + c.dW;
        return Grader.Grade(new ExerciseSpec<StepCase>
        {
            Name = "MomentumStep",
            Task = MomentumStepTask,
            Idea = MomentumIdea,
            Equation = MomentumEquation,
            Parts = ["v", "W"],
            CaseCount = 3,
            Case = MakeStepCase,
            Describe = c => Invariant($"{Cases.Describe(("W", c.W), ("dW", c.dW), ("v", c.v))} (a velocity from earlier steps), α = {c.Alpha}, β = {c.Beta}"),
            Inputs = c => [("W", c.W), ("dW", c.dW), ("v", c.v)],
            Changes = new HashSet<string> { "W", "v" },
            InPlace = "dW belongs to the backward pass that computed it, and the step only reads it: whoever looks at the gradients after the step " +
                      "(a gradient check, a chart of them, Adam's second running mean) would find your changes in them.",
            Tolerance = 1e-12,
            Library = LibraryMomentumStep,
            Mistakes =
            [
                .. Rule(Mistakes.MomentumAveraged, c => c.Beta * c.v + (1 - c.Beta) * c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.MomentumBetaSwapped, c => (1 - c.Beta) * c.v + c.Beta * c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.MomentumBetaSwapped, c => (1 - c.Beta) * c.v + c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.LearningRateInVelocity, c => c.Beta * c.v + c.Alpha * c.dW, (c, v) => c.W - c.Alpha * v),
                .. Rule(Mistakes.LearningRateInVelocity, c => c.Beta * c.v + c.Alpha * c.dW, (c, v) => c.W - v),
                // Before the velocity made anew, whose step is also along dW: then v says which of the two it is.
                new(Mistakes.SteppedAlongGradient, "W", c => c.W - c.Alpha * c.dW),
                .. Rule(Mistakes.VelocityNotKept, c => c.dW, (c, v) => c.W - c.Alpha * c.dW),
                new(Mistakes.VelocityNotKept, "v", c => c.v),
                new(Mistakes.ParameterNotChanged, "W", c => c.W),
                new(Mistakes.UpdateWrongSign, "W", c => c.W + c.Alpha * Sum(c)),
                new(Mistakes.MissingLearningRate, "W", c => c.W - Sum(c)),
            ],
        }, yours is null ? null : c =>
        {
            yours(c.W, c.dW, c.v, c.Alpha, c.Beta);
            return [c.v, c.W];
        });
    }
}
