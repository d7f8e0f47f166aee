using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Exercises;

public static partial class Check
{
    // ---------------------------------------------------------------- softmax (notebook 07)

    /// <summary>Scores for softmax, and what is special about them.</summary>
    internal sealed record ScoresCase(Matrix<double> Z, string Note);

    private static ScoresCase MakeScoresCase(int k)
    {
        var rng = Cases.Random(10, k);
        switch (k)
        {
            case 0:
                return new(Cases.Randn(rng, 4, 5, 2), "");
            case 1:
                return new(Cases.Randn(rng, 3, 7, 2) + 1000, ", scores around 1000");
            case 2:
            {
                // Samples far apart: one shift for the whole matrix sends a column's every e^z to 0.
                double[] level = [0, 1000, -1000, 300];
                return new(Cases.Randn(rng, 6, 4, 2).MapIndexed((i, j, z) => z + level[j]), ", columns around 0, 1000, −1000 and 300");
            }
            default:
            {
                // Classes far apart within each column: subtracting the smallest score overflows.
                var z = Cases.Randn(rng, 5, 3, 2);
                for (int j = 0; j < z.ColumnCount; j++) (z[0, j], z[4, j]) = (z[0, j] + 600, z[4, j] - 600);
                return new(z, ", each column with scores near 600 and near −600");
            }
        }
    }

    private static Matrix<double> ColumnWise(Matrix<double> z, Func<Vector<double>, Vector<double>> f) =>
        Matrix<double>.Build.DenseOfColumnVectors(z.EnumerateColumns().Select(f));

    /// <summary>
    /// Notebook 07: softmax of every column of Z that survives any scores — each column shifted by its own largest score
    /// before the exponential. Cases include scores around 1000 (the naive softmax gives NaN), columns far apart (one shift
    /// for the whole matrix gives NaN) and classes far apart within a column (subtracting the min overflows).
    /// </summary>
    public static ExerciseResult Softmax(Func<Matrix<double>, Matrix<double>>? yours) => Grader.Grade(new ExerciseSpec<ScoresCase>
    {
        Name = "Softmax",
        Task = "Write Softmax so that it returns a matrix of Z's shape whose every column holds that sample's class probabilities — also for scores like 1000, where e^z overflows.",
        Idea = "Each column is one sample's scores. Softmax makes them positive with the exponential and divides by their total, so each column adds up to 1 — each column on its own. " +
               "Adding the same number to every score of a column changes nothing; subtracting the column's largest score keeps every e^z between 0 and 1, so nothing overflows.",
        Equation = "a_ij = e^(z_ij − max_k z_kj) / Σ_k e^(z_kj − max_k z_kj) — the max and the sum run over the rows k of column j.",
        Parts = ["A"],
        CaseCount = 4,
        Case = MakeScoresCase,
        Describe = c => Cases.Describe(("Z", c.Z)) + c.Note,
        Inputs = c => [("Z", c.Z)],
        InPlace = "The forward pass keeps Z in the layer's cache: a changed Z is a wrong record of what the layer computed, and an activation whose backward step reads Z (ReLU, the sigmoid) would get a wrong gradient from it.",
        Tolerance = 1e-12,
        Library = c => [Activations.Softmax.Forward(c.Z)],
        Mistakes =
        [
            // First: on overflowing scores every naive softmax gives NaN, whatever else it does.
            new(Mistakes.SoftmaxOverflow, "A", c => ColumnWise(c.Z, z => z.PointwiseExp() / z.PointwiseExp().Sum())),
            new(Mistakes.SoftmaxMaxOfAll, "A", c => ColumnWise(c.Z - c.Z.Enumerate().Max(), z => z.PointwiseExp() / z.PointwiseExp().Sum())),
            new(Mistakes.SoftmaxMaxOfRow, "A", c => ColumnWise(c.Z.MapIndexed((i, _, z) => z - c.Z.Row(i).Maximum()), z => z.PointwiseExp() / z.PointwiseExp().Sum())),
            new(Mistakes.SoftmaxMinForMax, "A", c => ColumnWise(c.Z, z => (z - z.Minimum()).PointwiseExp() / (z - z.Minimum()).PointwiseExp().Sum())),
            new(Mistakes.SoftmaxShiftTopOnly, "A", c => ColumnWise(c.Z, z => (z - z.Maximum()).PointwiseExp() / z.PointwiseExp().Sum())),
            new(Mistakes.SoftmaxWrongAxis, "A", c => c.Z.PointwiseExp() / c.Z.PointwiseExp().Enumerate().Sum()),
            new(Mistakes.SoftmaxWrongAxis, "A", c => (c.Z - c.Z.Enumerate().Max()).PointwiseExp() / (c.Z - c.Z.Enumerate().Max()).PointwiseExp().Enumerate().Sum()),
            new(Mistakes.SoftmaxWrongAxis, "A", c => Matrix<double>.Build.DenseOfRowVectors(c.Z.EnumerateRows().Select(z => z.PointwiseExp() / z.PointwiseExp().Sum()))),
            new(Mistakes.SoftmaxWrongAxis, "A", c => Matrix<double>.Build.DenseOfRowVectors(c.Z.EnumerateRows().Select(z => (z - z.Maximum()).PointwiseExp() / (z - z.Maximum()).PointwiseExp().Sum()))),
            new(Mistakes.SoftmaxMissingExp, "A", c => ColumnWise(c.Z, z => z / z.Sum())),
        ],
    }, yours is null ? null : c => [yours(c.Z)]);

    /// <summary>The output layer of a softmax network: its input A_prev, W, b, one-hot labels Y, and its output A = softmax(W·A_prev + b).</summary>
    internal sealed record SoftmaxLayerCase(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b, Matrix<double> Y, Matrix<double> A)
    {
        public int m => A_prev.ColumnCount;
        public Network Layer() => new(new Parameters([W.Clone()], [b.Clone()]), [Activations.Softmax], Costs.CategoricalCrossEntropy);
    }

    private static SoftmaxLayerCase MakeSoftmaxLayerCase(int k)
    {
        var (inputs, classes, samples) = new[] { (3, 4, 5), (5, 3, 8), (2, 6, 7) }[k];
        var rng = Cases.Random(24, k);
        var aPrev = Cases.Randn(rng, inputs, samples);
        var w = Cases.Randn(rng, classes, inputs);
        var b = Cases.Randn(rng, classes, 1);
        var labels = rng.RandInt(0, classes, 1, samples);
        var y = Matrix<double>.Build.Dense(classes, samples, (i, j) => labels[0, j] == i ? 1.0 : 0.0);
        var layer = new Network(new Parameters([w.Clone()], [b.Clone()]), [Activations.Softmax], Costs.CategoricalCrossEntropy);
        return new SoftmaxLayerCase(aPrev, w, b, y, layer.Forward(aPrev).AL);
    }

    /// <summary>
    /// Notebook 07: the backward step of a softmax output layer with categorical cross-entropy — (dZ, dW, db) from the layer's
    /// output A, the one-hot labels Y and its input A_prev — against the library's (<see cref="Network.Backward"/> of a
    /// one-layer softmax network: dZ = A − Y, then the layer's linear backward).
    /// </summary>
    public static ExerciseResult SoftmaxBackward(
        Func<Matrix<double>, Matrix<double>, Matrix<double>, (Matrix<double> dZ, Matrix<double> dW, Matrix<double> db)>? yours)
    {
        // A wrong dZ as code, and the dW and db the layer's (right) linear backward makes from it.
        static MistakeVariant<SoftmaxLayerCase>[] From(Mistake mistake, Func<SoftmaxLayerCase, Matrix<double>> dZ) =>
        [
            new(mistake, "dZ", dZ),
            new(mistake, "dW", c => dZ(c) * c.A_prev.Transpose() / c.m),
            new(mistake, "db", c => RowSums(dZ(c)) / c.m),
        ];
        static Matrix<double> Delta(SoftmaxLayerCase c) => c.A - c.Y;
        return Grader.Grade(new ExerciseSpec<SoftmaxLayerCase>
        {
            Name = "SoftmaxBackward",
            Task = "Write SoftmaxBackward so that it returns (dZ, dW, db) of a softmax output layer with categorical cross-entropy, from its output A, the one-hot labels Y and its input A_prev.",
            Idea = "Softmax couples a column's outputs, so dz_k collects z_k's effect on every a_i of its column: the sum over i of dA_i·∂a_i/∂z_k. With cross-entropy's dA_i = −y_i/a_i " +
                   "and a one-hot column (the y_i add up to 1), that sum collapses. After dZ the layer is linear, as in notebook 2: dW and db average over the samples; dZ keeps one column per sample.",
            Equation = "dZ = A − Y (no 1/m: one column per sample);  dW = (1/m)·dZ·A_prevᵀ;  db = (1/m)·Σ over the columns of dZ (one number per row).",
            Parts = ["dZ", "dW", "db"],
            CaseCount = 3,
            Case = MakeSoftmaxLayerCase,
            Describe = c => Cases.Describe(("A", c.A), ("Y", c.Y), ("A_prev", c.A_prev)),
            Inputs = c => [("A", c.A), ("Y", c.Y), ("A_prev", c.A_prev)],
            InPlace = "A is the layer's output, kept in the cache and read again after the backward pass: the training step counts the right answers from it " +
                      "(the accuracy on the chart), and the predictions are made from it.",
            Divides = true,
            Tolerance = 1e-12,
            Library = c =>
            {
                var layer = c.Layer();
                var grads = layer.Backward(layer.Forward(c.A_prev), c.Y);
                return [grads[1].dZ, grads[1].dW, grads[1].db];
            },
            Mistakes =
            [
                .. From(Mistakes.SoftmaxElementwise, c => (-c.Y).PointwiseDivide(c.A).PointwiseMultiply(c.A.PointwiseMultiply(1 - c.A))),
                .. From(Mistakes.GradientSign, c => c.Y - c.A),
                .. From(Mistakes.CostGradientAsDZ, c => (-c.Y).PointwiseDivide(c.A)),
                .. From(Mistakes.SoftmaxSlopeTwice, c => Delta(c).PointwiseMultiply(c.A.PointwiseMultiply(1 - c.A))),
                new(Mistakes.OneOverMInDZ, "dZ", c => Delta(c) / c.m),
                new(Mistakes.OneOverMInDZ, "dW", c => Delta(c) / c.m * c.A_prev.Transpose() / c.m),
                new(Mistakes.OneOverMInDZ, "db", c => RowSums(Delta(c)) / c.m / c.m),
                new(Mistakes.MissingOneOverM, "dW", c => Delta(c) * c.A_prev.Transpose()),
                new(Mistakes.MissingOneOverM, "db", c => RowSums(Delta(c))),
                new(Mistakes.IntegerDivision, "dW", c => Matrix<double>.Build.Dense(c.W.RowCount, c.W.ColumnCount)),
                new(Mistakes.IntegerDivision, "db", c => Matrix<double>.Build.Dense(c.W.RowCount, 1)),
                new(Mistakes.TransposeWrongSide, "dW", c => c.A_prev * Delta(c).Transpose() / c.m),
                new(Mistakes.SumOverWrongAxis, "db", c => ColumnSums(Delta(c)) / c.m),
                new(Mistakes.SumOverWrongAxis, "db", c => ColumnSums(Delta(c)).Transpose() / c.m),
                new(Mistakes.NotSummedOverSamples, "db", c => Delta(c) / c.m),
            ],
        }, yours is null ? null : c =>
        {
            var (dZ, dW, db) = yours(c.A, c.Y, c.A_prev);
            return [dZ, dW, db];
        });
    }
}
