using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NeuralNet.Training;
using static System.FormattableString;

namespace NeuralNet.Exercises;

/// <summary>
/// The workbook's graded exercises. Each method runs the student's function on several seeded cases,
/// compares every result with the library's, and answers with an <see cref="ExerciseResult"/>:
/// <code>
/// Matrix&lt;double&gt; LinearForward(Matrix&lt;double&gt; A_prev, Matrix&lt;double&gt; W, Matrix&lt;double&gt; b) =&gt; W * A_prev + …;
/// Check.LinearForward(LinearForward)
/// </code>
/// An unanswered function returns null (numbers: throws <see cref="NotImplementedException"/>); the check then
/// says what to write.
/// </summary>
public static partial class Check
{
    // ---------------------------------------------------------------- a product, predicted (notebook 00)

    /// <summary>
    /// Notebook 00: your prediction of W·x, worked out by hand before the cell that computes it: one number per row of W, each
    /// that row's entries times x's, added up.
    /// </summary>
    public static ExerciseResult Prediction(Matrix<double> W, Vector<double> x, double[]? yourPrediction)
    {
        ArgumentNullException.ThrowIfNull(W);
        ArgumentNullException.ThrowIfNull(x);
        const string Idea = "A matrix times a vector gives one number per ROW of the matrix: each row's entries are multiplied by the vector's, " +
                            "entry by entry, and added up. That is what a layer does: each row of W is one unit's weights, and the sum is that unit's weighted sum.";
        const string Equation = "(W·x)[i] = W[i, 0]·x[0] + W[i, 1]·x[1] + … , one number for each row i.";
        if (yourPrediction is null || yourPrediction.Length == 0)
            return new ExerciseResult("Prediction", Verdict.NotAnswered,
                $"not answered yet. Work out W·x by hand and write your {W.RowCount} numbers in myPrediction. Then run the check again, then the next cell.", [], null, Idea, Equation);
        var expected = W * x;
        if (yourPrediction.Length != W.RowCount)
        {
            string why = yourPrediction.Length == W.ColumnCount || yourPrediction.Length == W.RowCount * W.ColumnCount
                ? " Did you multiply entry by entry without adding each row up?" : "";
            return new ExerciseResult("Prediction", Verdict.Wrong,
                Invariant($"you wrote {yourPrediction.Length} numbers, but W·x has one per row of W: {W.RowCount}.{why}"), [], null, Idea, Equation);
        }
        var lines = new List<string>();
        for (int i = 0; i < W.RowCount; i++)
        {
            bool right = Math.Abs(yourPrediction[i] - expected[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i]));
            string terms = string.Join(" + ", Enumerable.Range(0, W.ColumnCount).Select(j => Invariant($"{W[i, j]}·{x[j]}")));
            lines.Add(right ? Invariant($"✔ row {i}: {yourPrediction[i]}") : Invariant($"✘ row {i}: yours is {yourPrediction[i]}; work it out again: {terms}"));
        }
        if (lines.All(l => l.StartsWith('✔')))
            return new ExerciseResult("Prediction", Verdict.Correct, Invariant($"W·x = [{string.Join(", ", expected)}], as the next cell will show."), lines, null, Idea, Equation);
        bool swapped = W.RowCount == 2 && Math.Abs(yourPrediction[0] - expected[1]) < 1e-9 && Math.Abs(yourPrediction[1] - expected[0]) < 1e-9;
        return new ExerciseResult("Prediction", Verdict.Wrong,
            swapped ? "your numbers are right but in the wrong order: the first number comes from the first row of W." : "not all of your numbers are W·x yet.",
            lines, null, Idea, Equation);
    }

    // ---------------------------------------------------------------- activations (notebooks 00, 01)

    /// <summary>Notebook 01, a part of <see cref="Forward"/>: σ(Z) = 1 / (1 + e^(−Z)), entry by entry.</summary>
    internal static ExerciseResult Sigmoid(Func<Matrix<double>, Matrix<double>>? yours) => Grader.Grade(new ExerciseSpec<Matrix<double>>
    {
        Name = "Sigmoid",
        Task = "Write Sigmoid so that it returns a matrix of Z's shape holding σ(z) for every entry z of Z.",
        Idea = "The sigmoid squashes any number into (0, 1) and acts on each entry on its own: the result has Z's shape, and entry [i, j] depends only on Z[i, j]. MathNet's Map applies a function to every entry.",
        Equation = "σ(z) = 1 / (1 + e^(−z)) for each entry z (Math.Exp is e^x).",
        Parts = ["A"],
        CaseCount = 3,
        Case = k => Cases.Randn(Cases.Random(0, k), 2 + k, 3 + 2 * k, 3),
        Describe = z => Cases.Describe(("Z", z)),
        Inputs = z => [("Z", z)],
        InPlace = "Your forward pass keeps Z in the cache for the backward step, which needs σ'(Z): after this, the cache would hold σ(Z) there.",
        Library = z => [Activations.Sigmoid.Forward(z)],
        Mistakes =
        [
            new(Mistakes.SigmoidExponentSign, "A", z => z.Map(v => 1 / (1 + Math.Exp(v)))),
            new(Mistakes.SigmoidMissingOne, "A", z => z.Map(Math.Exp)),
            new(Mistakes.SigmoidMissingOne, "A", z => z.Map(v => Math.Exp(-v))),
        ],
    }, yours is null ? null : z => [yours(z)]);

    /// <summary>Notebook 01, a part of <see cref="Forward"/>: relu(Z) = max(0, Z), entry by entry.</summary>
    internal static ExerciseResult Relu(Func<Matrix<double>, Matrix<double>>? yours) => Grader.Grade(new ExerciseSpec<Matrix<double>>
    {
        Name = "Relu",
        Task = "Write Relu so that it returns a matrix of Z's shape holding relu(z) for every entry z of Z.",
        Idea = "ReLU keeps a positive weighted sum as it is and turns a negative one into 0, entry by entry: the result has Z's shape.",
        Equation = "relu(z) = max(0, z) for each entry z.",
        Parts = ["A"],
        CaseCount = 3,
        Case = k =>
        {
            // Both signs in every case: on an all-negative Z, Z itself, min(0, Z) and ReLU's derivative all look alike.
            var z = Cases.Randn(Cases.Random(1, k), 3 + k, 2 + 2 * k);
            z[0, 0] = -Math.Abs(z[0, 0]);
            z[z.RowCount - 1, z.ColumnCount - 1] = Math.Abs(z[z.RowCount - 1, z.ColumnCount - 1]);
            return z;
        },
        Describe = z => Cases.Describe(("Z", z)),
        Inputs = z => [("Z", z)],
        InPlace = "Your forward pass keeps Z in the cache for the backward step, which needs g'(Z): after this, the cache holds relu(Z) there. " +
                  "For ReLU the slope happens to come out the same, but the same habit in a sigmoid or tanh layer gives wrong gradients.",
        Library = z => [Activations.ReLU.Forward(z)],
        Mistakes =
        [
            new(Mistakes.ReluNegativesKept, "A", z => z.Clone()),
            new(Mistakes.ReluMin, "A", z => z.Map(v => Math.Min(0, v))),
            new(Mistakes.ReluStep, "A", z => z.Map(v => v > 0 ? 1.0 : 0.0)),
        ],
    }, yours is null ? null : z => [yours(z)]);

    // ---------------------------------------------------------------- a layer forward and the cost (notebook 01)

    /// <summary>Notebook 01, a part of <see cref="Forward"/>: Z = W·A_prev + b for a whole layer, all samples at once.</summary>
    internal static ExerciseResult LinearForward(Func<Matrix<double>, Matrix<double>, Matrix<double>, Matrix<double>>? yours) =>
        Grader.Grade(new ExerciseSpec<LayerCase>
        {
            Name = "LinearForward",
            Task = "Write LinearForward so that it returns Z, one row per unit and one column per sample, from A_prev, W and b.",
            Idea = "Each unit (a row of W) takes a weighted sum of its inputs (a column of A_prev, one sample) and adds its own bias. " +
                   "Doing it for all units and all samples at once is one matrix product, plus the bias column added to every column.",
            Equation = "Z = W·A_prev + b, with b added to every column: Z = W·A_prev + b·1ᵀ, where 1ᵀ is a row of m ones. Shapes: (n × n_prev)·(n_prev × m) + (n × 1)·(1 × m).",
            Parts = ["Z"],
            CaseCount = Cases.Layers.Length,
            Case = k => LayerCase.Make(2, k),
            Describe = c => Cases.Describe(("A_prev", c.A_prev), ("W", c.W), ("b", c.b)),
            Inputs = c => [("A_prev", c.A_prev), ("W", c.W), ("b", c.b)],
            Library = c => [DeepNN.LinearForward(c.A_prev, c.W, c.b)],
            Mistakes =
            [
                new(Mistakes.MissingBias, "Z", c => c.W * c.A_prev),
                new(Mistakes.TransposeWrongSide, "Z", c => (c.W * c.A_prev + c.b * Cases.Ones(c.m)).Transpose()),
            ],
        }, yours is null ? null : c => [yours(c.A_prev, c.W, c.b)]);

    /// <summary>Notebook 01: the binary cross-entropy cost J(AL, Y).</summary>
    public static ExerciseResult ComputeCost(Func<Matrix<double>, Matrix<double>, double>? yours) => Grader.Grade(new ExerciseSpec<(Matrix<double> AL, Matrix<double> Y)>
    {
        Name = "ComputeCost",
        Task = "Write ComputeCost so that it returns the binary cross-entropy J of the predictions AL against the labels Y (both 1 × m), one number.",
        Idea = "Each sample's loss is −log of the probability the network gave to the true label: −log a when y = 1, −log(1 − a) when y = 0. The cost is their average over the m samples.",
        Equation = "J = −(1/m) Σ_k [ y_k·log(a_k) + (1 − y_k)·log(1 − a_k) ],  where each sample's other term is multiplied by 0 — and 0 · log 0 is NaN in a double",
        Parts = ["J"],
        Numbers = true,
        Divides = true,
        Tolerance = 1e-6,   // a safe log, log(a + ε) with ε ≈ 1e-8, moves J by about 1e-7 of itself: right, not a mistake
        CaseCount = 4,
        Case = k =>
        {
            var rng = Cases.Random(3, k);
            int m = 4 + 3 * k;
            var (al, y) = (Cases.Uniform(rng, 1, m, 0.02, 0.98), Cases.Labels(rng, m));
            if (k == 3)
            {
                // A trained network's confident right answers: a sigmoid rounds to exactly 1 (or 0) once z passes about ±37.
                al[0, 0] = 0;
                al[0, m - 1] = 1;
            }
            return (al, y);
        },
        Describe = c => Cases.Describe(("AL", c.AL), ("Y", c.Y)) + (c.AL.Enumerate().Any(a => a is 0 or 1) ? ", with confident right answers (a = 0 for y = 0, a = 1 for y = 1)" : ""),
        Library = c => [Number(Costs.BinaryCrossEntropy.Compute(c.AL, c.Y))],
        Mistakes =
        [
            new(Mistakes.ZeroTimesLogZero, "J", c => c.AL.Enumerate().Any(a => a is 0 or 1) ? Number(-CrossEntropySum(c.AL, c.Y) / c.Y.ColumnCount) : Number(double.PositiveInfinity)),
            new(Mistakes.MissingOneOverM, "J", c => Number(CrossEntropySum(c.AL, c.Y))),
            new(Mistakes.IntegerDivision, "J", c => Number(0)),
            new(Mistakes.CostSign, "J", c => Number(-CrossEntropySum(c.AL, c.Y) / c.Y.ColumnCount)),
            new(Mistakes.CostMissingTerm, "J", c => Number(-c.Y.PointwiseMultiply(c.AL.PointwiseLog()).Enumerate().Sum() / c.Y.ColumnCount)),
        ],
    }, yours is null ? null : c => [Number(yours(c.AL, c.Y))]);

    private static double CrossEntropySum(Matrix<double> al, Matrix<double> y) =>
        -(y.PointwiseMultiply(al.PointwiseLog()) + (1 - y).PointwiseMultiply((1 - al).PointwiseLog())).Enumerate().Sum();

    internal static Matrix<double> Number(double x) => Matrix<double>.Build.Dense(1, 1, x);

    // ---------------------------------------------------------------- backward (notebook 02)

    /// <summary>Notebook 02, a part of <see cref="Backward"/>: dZ = dA ⊙ relu'(Z).</summary>
    internal static ExerciseResult ReluBackward(Func<Matrix<double>, Matrix<double>, Matrix<double>>? yours) =>
        ActivationBackward("ReluBackward", Activations.ReLU, Activations.Sigmoid, 5, yours,
            "Write ReluBackward so that it returns dZ, Z's shape, from the gradient dA arriving from above and the layer's Z.",
            "ReLU passes a positive z through with slope 1 and blocks a negative one with slope 0. The chain rule multiplies the gradient that arrives, dA, by that slope, entry by entry: a unit that was off for a sample passes no gradient back.",
            "dZ = dA ⊙ relu'(Z), with relu'(z) = 1 if z > 0, else 0; ⊙ is PointwiseMultiply.",
            []);

    private static ExerciseResult ActivationBackward(string name, ElementwiseActivation g, ElementwiseActivation other, int exercise,
        Func<Matrix<double>, Matrix<double>, Matrix<double>>? yours, string task, string idea, string equation,
        MistakeVariant<(Matrix<double> dA, Matrix<double> Z)>[] extra) =>
        Grader.Grade(new ExerciseSpec<(Matrix<double> dA, Matrix<double> Z)>
        {
            Name = name,
            Task = task,
            Idea = idea,
            Equation = equation,
            Parts = ["dZ"],
            CaseCount = 3,
            Case = k =>
            {
                var rng = Cases.Random(exercise, k);
                return (Cases.Randn(rng, 2 + k, 5 + k), Cases.Randn(rng, 2 + k, 5 + k, 2));
            },
            Describe = c => Cases.Describe(("dA", c.dA), ("Z", c.Z)),
            Inputs = c => [("dA", c.dA), ("Z", c.Z)],
            Library = c => [g.Backward(c.dA, c.Z, g.Forward(c.Z))],
            Mistakes =
            [
                new(Mistakes.WrongActivationDerivative, "dZ", c => other.Backward(c.dA, c.Z, other.Forward(c.Z))),
                new(Mistakes.MissingIncomingGradient, "dZ", c => g.Backward(Matrix<double>.Build.Dense(c.Z.RowCount, c.Z.ColumnCount, 1.0), c.Z, g.Forward(c.Z))),
                new(Mistakes.ValueForDerivative, "dZ", c => c.dA.PointwiseMultiply(g.Forward(c.Z))),
                new(Mistakes.MatrixProductForElementwise, "dZ", c => c.dA * Slopes(g, c.Z)),
                .. extra,
            ],
        }, yours is null ? null : c => [yours(c.dA, c.Z)]);

    private static Matrix<double> Slopes(ElementwiseActivation g, Matrix<double> z) =>
        g.Backward(Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount, 1.0), z, g.Forward(z));

    /// <summary>Notebook 02, a part of <c>Check.LinearBackward(loops, oneLine)</c>: (dW, db, dA_prev) from dZ, as one function named <paramref name="name"/>.</summary>
    internal static ExerciseResult LinearBackward(LinearBackwardFunction? yours, string name = "LinearBackward") =>
        Grader.Grade(new ExerciseSpec<LayerCase>
        {
            Name = name,
            Task = $"Write {name} so that it returns the three gradients (dW, db, dA_prev) of the layer Z = W·A_prev + b, from dZ, A_prev and W.",
            Idea = "Z = W·A_prev + b is linear, so each local derivative is the other factor: ∂Z/∂W brings in A_prev, ∂Z/∂b is 1, ∂Z/∂A_prev brings in W. " +
                   "W and b are shared by all m samples, so their gradients collect every sample's contribution and, because J is an average, divide by m; " +
                   "dA_prev keeps one column per sample. Each gradient has the shape of what it is the gradient of.",
            Equation = "dW = (1/m)·dZ·A_prevᵀ,  db = (1/m)·Σ over the columns of dZ (one number per row),  dA_prev = Wᵀ·dZ.",
            Parts = ["dW", "db", "dA_prev"],
            CaseCount = Cases.Layers.Length,
            Case = k => LayerCase.Make(6, k),
            Describe = c => Cases.Describe(("dZ", c.dZ), ("A_prev", c.A_prev), ("W", c.W)),
            Inputs = c => [("dZ", c.dZ), ("A_prev", c.A_prev), ("W", c.W)],
            Divides = true,
            Library = c =>
            {
                var g = DeepNN.LinearBackward(c.dZ, DeepNN.LinearActivationForward(c.A_prev, c.W, c.b, Activations.Identity));
                return [g.dW, g.db, g.dA_prev!];
            },
            Mistakes =
            [
                new(Mistakes.MissingOneOverM, "dW", c => c.dZ * c.A_prev.Transpose()),
                new(Mistakes.IntegerDivision, "dW", c => Matrix<double>.Build.Dense(c.W.RowCount, c.W.ColumnCount)),
                new(Mistakes.IntegerDivision, "db", c => Matrix<double>.Build.Dense(c.b.RowCount, 1)),
                new(Mistakes.TransposeWrongSide, "dW", c => c.A_prev * c.dZ.Transpose() / c.m),
                new(Mistakes.TransposeWrongSide, "dW", c => c.A_prev * c.dZ.Transpose()),
                new(Mistakes.MissingOneOverM, "db", c => RowSums(c.dZ)),
                new(Mistakes.SumOverWrongAxis, "db", c => ColumnSums(c.dZ) / c.m),
                new(Mistakes.SumOverWrongAxis, "db", c => ColumnSums(c.dZ).Transpose() / c.m),
                new(Mistakes.SumOverWrongAxis, "db", c => ColumnSums(c.dZ)),
                new(Mistakes.SumOverWrongAxis, "db", c => ColumnSums(c.dZ).Transpose()),
                new(Mistakes.NotSummedOverSamples, "db", c => c.dZ / c.m),
                new(Mistakes.NotSummedOverSamples, "db", c => c.dZ),
                new(Mistakes.ExtraOneOverM, "dA_prev", c => c.W.Transpose() * c.dZ / c.m),
                new(Mistakes.TransposeWrongSide, "dA_prev", c => c.dZ.Transpose() * c.W),
                new(Mistakes.TransposeWrongSide, "dA_prev", c => c.dZ.Transpose() * c.W / c.m),
            ],
        }, yours is null ? null : c =>
        {
            var (dW, db, dAPrev) = yours(c.dZ, c.A_prev, c.W);
            return [dW, db, dAPrev];
        });

    /// <summary>The shape of a student's linear backward step: (dW, db, dA_prev) from dZ, A_prev and W.</summary>
    public delegate (Matrix<double> dW, Matrix<double> db, Matrix<double> dA_prev) LinearBackwardFunction(Matrix<double> dZ, Matrix<double> A_prev, Matrix<double> W);

    private static Matrix<double> RowSums(Matrix<double> m) => Matrix<double>.Build.DenseOfColumnVectors(m.RowSums());

    private static Matrix<double> ColumnSums(Matrix<double> m) => Matrix<double>.Build.DenseOfRowVectors(m.ColumnSums());

    // ---------------------------------------------------------------- accuracy (notebook 05)

    /// <summary>Notebook 05: the share of samples whose predicted class (AL &gt; 0.5) equals the label.</summary>
    public static ExerciseResult Accuracy(Func<Matrix<double>, Matrix<double>, double>? yours) => Grader.Grade(new ExerciseSpec<(Matrix<double> AL, Matrix<double> Y)>
    {
        Name = "Accuracy",
        Task = "Write Accuracy so that it returns the fraction (between 0 and 1) of samples whose prediction is right, from the probabilities AL and the labels Y (both 1 × m).",
        Idea = "The network predicts class 1 where its probability is above one half and 0 elsewhere. Accuracy is the share of samples where that prediction equals the label.",
        Equation = "accuracy = (number of j with [a_j > 0.5] = y_j) / m",
        Parts = ["accuracy"],
        Numbers = true,
        Divides = true,
        CaseCount = 3,
        Case = k =>
        {
            var rng = Cases.Random(8, k);
            int m = 7 + 4 * k;   // odd: an accuracy of exactly ½ would equal its own opposite
            var al = Cases.Uniform(rng, 1, m, 0.01, 0.99).Map(a => Math.Abs(a - 0.5) < 1e-3 ? 0.6 : a);
            var y = Cases.Labels(rng, m);
            y[0, 1] = al[0, 1] > 0.5 ? 1 : 0;   // at least one right: integer division cannot hide behind an accuracy of 0
            return (al, y);
        },
        Describe = c => Cases.Describe(("AL", c.AL), ("Y", c.Y)),
        Library = c => [Number(Metrics.Accuracy(c.AL, c.Y))],
        Mistakes =
        [
            new(Mistakes.IntegerDivision, "accuracy", c => Number(Math.Floor(Metrics.Accuracy(c.AL, c.Y)))),
            new(Mistakes.CountedTheWrongOnes, "accuracy", c => Number(1 - Metrics.Accuracy(c.AL, c.Y))),
            new(Mistakes.Percentage, "accuracy", c => Number(100 * Metrics.Accuracy(c.AL, c.Y))),
        ],
    }, yours is null ? null : c => [Number(yours(c.AL, c.Y))]);
}

/// <summary>One layer's inputs for a forward or backward case: A_prev (n_prev × m), W (n × n_prev), b (n × 1), dZ (n × m).</summary>
internal sealed record LayerCase(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b, Matrix<double> dZ)
{
    public int m => A_prev.ColumnCount;

    public static LayerCase Make(int exercise, int k)
    {
        var (inputs, units, samples) = Cases.Layers[k];
        var rng = Cases.Random(exercise, k);
        return new LayerCase(Cases.Randn(rng, inputs, samples), Cases.Randn(rng, units, inputs), Cases.Randn(rng, units, 1), Cases.Randn(rng, units, samples));
    }
}
