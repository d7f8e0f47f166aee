using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using NeuralNet.Numerics;
using static NeuralNet.Tests.ExerciseAssertions;

namespace NeuralNet.Tests;

/// <summary>
/// The checks of the network a student builds in notebooks 1 to 3 (forward, backward, a gradient check, the update, the
/// training loop, and the whole network beside the library's): the solution passes; each classic mistake, written as a
/// student would write it, is named; garbage is explained in words; an unanswered function says what to write.
/// </summary>
[Collection(Interactive.YourNetworkTests.StandInCollection)]
public class NetworkExerciseTests
{
    // ------------------------------------------------------------ a student's network, written as the solutions key writes it

    private static Matrix<double> Relu(Matrix<double> Z) => Z.Map(z => Math.Max(0, z));
    private static Matrix<double> Sigmoid(Matrix<double> Z) => Z.Map(z => 1 / (1 + Math.Exp(-z)));
    private static Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b) =>
        W * A_prev + b * Matrix<double>.Build.Dense(1, A_prev.ColumnCount, 1.0);

    private static (Matrix<double> AL, Cache[] caches) Forward(Matrix<double> X, Parameters parameters) =>
        ForwardWith(X, parameters, (A, l, L) => l < L ? Relu(A) : Sigmoid(A), keep: (A_prev, W, Z, A) => new Cache(A_prev, W, Z));

    private static (Matrix<double> AL, Cache[] caches) ForwardWith(Matrix<double> X, Parameters parameters, Func<Matrix<double>, int, int, Matrix<double>> g,
        Func<Matrix<double>, Matrix<double>, Matrix<double>, Matrix<double>, Cache> keep, int from = 1, int shift = 0, int? stop = null)
    {
        int L = parameters.LayerCount;
        var caches = new Cache[L + 1];
        var A = X;
        for (int l = from; l <= (stop ?? L); l++)
        {
            var Z = LinearForward(A, parameters.W[l], parameters.b[l]);
            var next = g(Z, l, L);
            caches[l - shift] = keep(A, parameters.W[l], Z, next);
            A = next;
        }
        return (A, caches);
    }

    private static double ComputeCost(Matrix<double> AL, Matrix<double> Y) =>
        -Enumerable.Range(0, Y.ColumnCount).Sum(k => Y[0, k] == 1 ? Math.Log(AL[0, k]) : Math.Log(1 - AL[0, k])) / Y.ColumnCount;

    private static Matrix<double> ReluBackward(Matrix<double> dA, Matrix<double> Z) => dA.PointwiseMultiply(Z.Map(z => z > 0 ? 1.0 : 0.0));

    private static (Matrix<double> dW, Matrix<double> db, Matrix<double> dA_prev) LinearBackward(Matrix<double> dZ, Matrix<double> A_prev, Matrix<double> W)
    {
        double m = A_prev.ColumnCount;
        return (dZ * A_prev.Transpose() / m, Matrix<double>.Build.DenseOfColumnVectors(dZ.RowSums()) / m, W.Transpose() * dZ);
    }

    private static (Matrix<double> dW, Matrix<double> db, Matrix<double> dA_prev) LinearBackwardLoops(Matrix<double> dZ, Matrix<double> A_prev, Matrix<double> W)
    {
        int n = W.RowCount, nPrev = W.ColumnCount, m = A_prev.ColumnCount;
        var dW = Matrix<double>.Build.Dense(n, nPrev);
        var db = Matrix<double>.Build.Dense(n, 1);
        var dA_prev = Matrix<double>.Build.Dense(nPrev, m);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < nPrev; j++)
            {
                double sum = 0;
                for (int k = 0; k < m; k++) sum += dZ[i, k] * A_prev[j, k];
                dW[i, j] = sum / m;
            }
            double total = 0;
            for (int k = 0; k < m; k++) total += dZ[i, k];
            db[i, 0] = total / m;
        }
        for (int j = 0; j < nPrev; j++)
            for (int k = 0; k < m; k++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += W[i, j] * dZ[i, k];
                dA_prev[j, k] = sum;
            }
        return (dW, db, dA_prev);
    }

    private static Grads[] Backward(Matrix<double> AL, Matrix<double> Y, Cache[] caches) =>
        BackwardWith(AL, Y, caches, AL - Y, (dA, l) => ReluBackward(dA, caches[l].Z));

    private static Grads[] BackwardWith(Matrix<double> AL, Matrix<double> Y, Cache[] caches, Matrix<double> top,
        Func<Matrix<double>, int, Matrix<double>> below, int shift = 0, int last = 1)
    {
        int L = caches.Length - 1;
        var grads = new Grads[L + 1];
        var dZ = top;
        for (int l = L; l >= last; l--)
        {
            var (dW, db, dA_prev) = LinearBackward(dZ, caches[l].A_prev, caches[l].W);
            grads[l - shift] = new Grads(dW, db);
            if (l > 1) dZ = below(dA_prev, l - 1);
        }
        return grads;
    }

    private static void UpdateParameters(Parameters parameters, Grads[] grads, double alpha)
    {
        // W and b are the network's own matrices: written into, not replaced.
        for (int l = 1; l <= parameters.LayerCount; l++)
        {
            (parameters.W[l] - alpha * grads[l].dW).CopyTo(parameters.W[l]);
            (parameters.b[l] - alpha * grads[l].db).CopyTo(parameters.b[l]);
        }
    }

    private static double[] Train(Matrix<double> X, Matrix<double> Y, Parameters parameters, double alpha, int iterations, Action<int, double> report)
    {
        var costs = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var (AL, caches) = Forward(X, parameters);
            costs[i] = ComputeCost(AL, Y);
            var grads = Backward(AL, Y, caches);
            UpdateParameters(parameters, grads, alpha);
            report(i + 1, costs[i]);
        }
        return costs;
    }

    private static NetworkParts Yours => new(Forward, ComputeCost, Backward, UpdateParameters, Train);

    private static Matrix<double> NumericalGradient(Func<double> J, Matrix<double> theta, double epsilon)
    {
        var slope = Matrix<double>.Build.Dense(theta.RowCount, theta.ColumnCount);
        for (int i = 0; i < theta.RowCount; i++)
            for (int j = 0; j < theta.ColumnCount; j++)
            {
                double kept = theta[i, j];
                theta[i, j] = kept + epsilon;
                double plus = J();
                theta[i, j] = kept - epsilon;
                double minus = J();
                theta[i, j] = kept;
                slope[i, j] = (plus - minus) / (2 * epsilon);
            }
        return slope;
    }

    private static double RelativeError(Matrix<double> a, Matrix<double> b) => (a - b).FrobeniusNorm() / (a.FrobeniusNorm() + b.FrobeniusNorm());

    // ------------------------------------------------------------ verdicts

    // ------------------------------------------------------------ the forward pass (01)

    [Fact]
    public void Forward_check_passes_the_solution_and_checks_its_parts_first()
    {
        Passes(Check.Forward(Forward, LinearForward, Relu, Sigmoid));
        // A part still to write is the answer, with the parts before it confirmed.
        Unanswered(Check.Forward(null, null, null, null), "Write Relu");
        var result = Check.Forward((X, p) => throw new NotImplementedException(), LinearForward, Relu, Sigmoid);
        Unanswered(result, "Write Forward");
        Assert.Contains("✔ Relu:", result.ToString());
        Assert.Contains("✔ LinearForward:", result.ToString());
        Assert.Contains("✎ Forward: not answered yet.", result.ToString());
        // A part's mistake is named with the part's name.
        var missingBias = Check.Forward(Forward, (A, W, b) => W * A, Relu, Sigmoid);
        Names(Mistakes.MissingBias, missingBias);
        Assert.Contains("LinearForward: looks like missing bias", missingBias.Message);
    }

    [Fact]
    public void Forward_check_names_the_loops_mistakes()
    {
        Names(Mistakes.WrongHiddenActivation, Check.ForwardPass((X, p) => ForwardWith(X, p, (Z, _, _) => Sigmoid(Z), (a, w, z, _) => new Cache(a, w, z))));
        Names(Mistakes.ReluOnOutput, Check.ForwardPass((X, p) => ForwardWith(X, p, (Z, _, _) => Relu(Z), (a, w, z, _) => new Cache(a, w, z))));
        Names(Mistakes.CacheKeepsOutput, Check.ForwardPass((X, p) => ForwardWith(X, p, (Z, l, L) => l < L ? Relu(Z) : Sigmoid(Z), (a, w, z, next) => new Cache(next, w, z))));
        Names(Mistakes.CacheKeepsActivation, Check.ForwardPass((X, p) => ForwardWith(X, p, (Z, l, L) => l < L ? Relu(Z) : Sigmoid(Z), (a, w, z, next) => new Cache(a, w, next))));
        Names(Mistakes.LoopStopsBeforeOutput, Check.ForwardPass((X, p) => ForwardWith(X, p, (Z, l, L) => l < L ? Relu(Z) : Sigmoid(Z), (a, w, z, _) => new Cache(a, w, z), stop: p.LayerCount - 1)));
        // caches[0] … caches[L − 1]: the student's array of L entries.
        Names(Mistakes.CachesFromZero, Check.ForwardPass((X, p) =>
        {
            var (al, caches) = ForwardWith(X, p, (Z, l, L) => l < L ? Relu(Z) : Sigmoid(Z), (a, w, z, _) => new Cache(a, w, z), shift: 1);
            return (al, caches[..^1]);
        }));
        Unanswered(Check.ForwardPass((X, p) => (null!, null!)), "Write Forward");
    }

    [Fact]
    public void A_relu_that_overwrites_Z_is_named_with_what_it_breaks()
    {
        var result = Check.Forward(Forward, LinearForward, Z => { Z.MapInplace(z => Math.Max(0, z)); return Z; }, Sigmoid);
        Names(Mistakes.ChangedItsInput, result);
        Assert.Contains("your function changed Z, which it was given", result.ToString());
        Assert.Contains("a sigmoid or tanh layer gives wrong gradients", result.ToString());
    }

    [Fact]
    public void Forward_check_explains_a_crash_in_a_part_called_from_the_loop()
    {
        // The loop passes W and A_prev the wrong way round to a LinearForward that is right.
        var result = Check.ForwardPass((X, p) =>
        {
            var caches = new Cache[p.LayerCount + 1];
            var A = X;
            for (int l = 1; l <= p.LayerCount; l++)
            {
                var Z = LinearForward(p.W[l], A, p.b[l]);
                caches[l] = new Cache(A, p.W[l], Z);
                A = Relu(Z);
            }
            return (A, caches);
        });
        Explained(result, "LinearForward");
        Assert.Equal(Verdict.Crashed, result.Verdict);
    }

    // ------------------------------------------------------------ the backward pass (02)

    [Fact]
    public void LinearBackward_check_takes_the_loops_and_the_products_and_compares_them()
    {
        var result = Check.LinearBackward(LinearBackwardLoops, LinearBackward);
        Passes(result);
        Assert.Contains("each other to", result.Message);
        // The loops with the 1/m forgotten: named, as the loops' part.
        var noM = Check.LinearBackward((dZ, A, W) => { var (dW, db, dA) = LinearBackwardLoops(dZ, A, W); return (dW * A.ColumnCount, db, dA); }, LinearBackward);
        Names(Mistakes.MissingOneOverM, noM);
        Assert.Contains("LinearBackwardLoops: looks like missing 1/m", noM.Message);
        // Right loops, transposed product: the second part's mistake.
        Names(Mistakes.TransposeWrongSide, Check.LinearBackward(LinearBackwardLoops, (dZ, A, W) => (A * dZ.Transpose() / A.ColumnCount, LinearBackward(dZ, A, W).db, W.Transpose() * dZ)));
        // Both wrong (a student's trial: 1/m forgotten in the loops, 1/m added to dA_prev in the products): the loops speak, and the
        // products still say which of their results is off and their own why, not the loops'.
        var both = Check.LinearBackward((dZ, A, W) => { var (dW, db, dA) = LinearBackwardLoops(dZ, A, W); return (dW, db * A.ColumnCount, dA); },
            (dZ, A, W) => { var (dW, db, dA) = LinearBackward(dZ, A, W); return (dW, db, dA / A.ColumnCount); });
        Names(Mistakes.MissingOneOverM, both);
        string productsPart = both.ToString()[both.ToString().IndexOf("✘ LinearBackward: looks like extra 1/m", StringComparison.Ordinal)..];
        Assert.Contains("dA_prev", productsPart);
        Assert.Contains("Why: " + Mistakes.ExtraOneOverM.Hint, productsPart);
        // An index of the loops off by one: explained, no stack trace.
        Explained(Check.LinearBackward((dZ, A, W) =>
        {
            var dW = Matrix<double>.Build.Dense(W.RowCount, W.ColumnCount);
            for (int i = 0; i <= W.RowCount; i++) dW[i, 0] = 1;
            return (dW, dW, dW);
        }, LinearBackward), "index went past the end");
        Unanswered(Check.LinearBackward((dZ, A, W) => (null!, null!, null!), LinearBackward), "Write LinearBackwardLoops");
    }

    [Fact]
    public void Backward_check_passes_the_solution_and_names_the_loops_mistakes()
    {
        Passes(Check.Backward(Backward, LinearBackward, ReluBackward));
        // Backward calls LinearBackward: a slip there is named there, and Backward waits for it (a student's trial was told to look for
        // a 1/m in Backward, which has none).
        var linearNoM = Check.Backward(Backward, (dZ, A, W) => { var (dW, db, dA) = LinearBackward(dZ, A, W); return (dW * A.ColumnCount, db, dA); }, ReluBackward);
        Names(Mistakes.MissingOneOverM, linearNoM);
        Assert.StartsWith("LinearBackward: looks like missing 1/m", linearNoM.Message);
        Assert.Contains("· Backward: checked once LinearBackward and ReluBackward match the library.", linearNoM.ToString());
        Names(Mistakes.SigmoidDerivativeTwice, Check.BackwardPass((AL, Y, c) => BackwardWith(AL, Y, c, (AL - Y).PointwiseMultiply(AL.PointwiseMultiply(1 - AL)), (dA, l) => ReluBackward(dA, c[l].Z))));
        Names(Mistakes.GradientSign, Check.BackwardPass((AL, Y, c) => BackwardWith(AL, Y, c, Y - AL, (dA, l) => ReluBackward(dA, c[l].Z))));
        Names(Mistakes.MissingReluDerivative, Check.BackwardPass((AL, Y, c) => BackwardWith(AL, Y, c, AL - Y, (dA, _) => dA)));
        Names(Mistakes.GradsFromZero, Check.BackwardPass((AL, Y, c) => BackwardWith(AL, Y, c, AL - Y, (dA, l) => ReluBackward(dA, c[l].Z), shift: 1)));
        // The loop stops before layer 1: its gradients are missing, and the check says so.
        Explained(Check.BackwardPass((AL, Y, c) => BackwardWith(AL, Y, c, AL - Y, (dA, l) => ReluBackward(dA, c[l].Z), last: 2)), "grads[1].dW: null");
        // ReLU's slope taken at layer l's own Z: the shapes do not fit, and the error says which, in words. (In a notebook it also
        // names ReluBackward and Backward, the student's functions on the stack: CodeErrors finds them by their Submission#N types.)
        var wrongZ = Check.BackwardPass((AL, Y, c) => BackwardWith(AL, Y, c, AL - Y, (dA, l) => ReluBackward(dA, c[l + 1].Z)));
        Explained(wrongZ, "Your code stopped with an error", "(2 × 5) and (1 × 5)");
        Assert.Equal(Verdict.Crashed, wrongZ.Verdict);
        Unanswered(Check.Backward((AL, Y, c) => null!, LinearBackward, ReluBackward), "Write Backward");
        Unanswered(Check.Backward(Backward, LinearBackward, null), "Write ReluBackward");
    }

    // ------------------------------------------------------------ a gradient check of your own (02)

    [Fact]
    public void GradientCheck_check_passes_the_solution_and_names_the_classic_slips()
    {
        Passes(Check.GradientCheck(NumericalGradient, RelativeError));
        Names(Mistakes.OneSidedDifference, Check.NumericalGradient((J, theta, eps) => Slopes(J, theta, eps, (plus, minus, centre) => (plus - centre) / eps)));
        Names(Mistakes.HalfTheDistance, Check.NumericalGradient((J, theta, eps) => Slopes(J, theta, eps, (plus, minus, _) => (plus - minus) / eps)));
        Names(Mistakes.NudgedAllAtOnce, Check.NumericalGradient((J, theta, eps) =>
        {
            var kept = theta.Clone();
            theta.MapInplace(t => t + eps);
            double plus = J();
            kept.Map(t => t - eps, theta);
            double minus = J();
            kept.CopyTo(theta);
            return Matrix<double>.Build.Dense(theta.RowCount, theta.ColumnCount, (plus - minus) / (2 * eps));
        }));
        // θ not put back: named as changing what it was given, with why it matters here.
        var notRestored = Check.NumericalGradient((J, theta, eps) =>
        {
            var slope = Matrix<double>.Build.Dense(theta.RowCount, theta.ColumnCount);
            for (int i = 0; i < theta.RowCount; i++)
                for (int j = 0; j < theta.ColumnCount; j++)
                {
                    double kept = theta[i, j];
                    theta[i, j] = kept + eps;
                    double plus = J();
                    theta[i, j] = kept - eps;
                    slope[i, j] = (plus - J()) / (2 * eps);
                }
            return slope;
        });
        Names(Mistakes.ChangedItsInput, notRestored);
        Assert.Contains("must put every entry back", notRestored.ToString());
        Assert.Contains("(a change of -1E-06)", notRestored.Message);   // -1.24104 before and after at six digits: the size says what changed
        Names(Mistakes.AbsoluteNotRelative, Check.RelativeError((a, b) => (a - b).FrobeniusNorm()));
        Names(Mistakes.OneSizeOnly, Check.RelativeError((a, b) => (a - b).FrobeniusNorm() / a.FrobeniusNorm()));
        Names(Mistakes.SquaredSizes, Check.RelativeError((a, b) => Math.Pow((a - b).FrobeniusNorm(), 2) / (Math.Pow(a.FrobeniusNorm(), 2) + Math.Pow(b.FrobeniusNorm(), 2))));
        Unanswered(Check.GradientCheck((J, t, e) => null!, RelativeError), "Write NumericalGradient");
        Unanswered(Check.GradientCheck(NumericalGradient, (a, b) => throw new NotImplementedException()), "Write RelativeError");
    }

    private static Matrix<double> Slopes(Func<double> J, Matrix<double> theta, double eps, Func<double, double, double, double> slope)
    {
        double centre = J();
        var result = Matrix<double>.Build.Dense(theta.RowCount, theta.ColumnCount);
        for (int i = 0; i < theta.RowCount; i++)
            for (int j = 0; j < theta.ColumnCount; j++)
            {
                double kept = theta[i, j];
                theta[i, j] = kept + eps;
                double plus = J();
                theta[i, j] = kept - eps;
                double minus = J();
                theta[i, j] = kept;
                result[i, j] = slope(plus, minus, centre);
            }
        return result;
    }

    [Fact]
    public void The_planted_bug_is_found_by_a_gradient_check_and_only_the_right_answer_passes()
    {
        var hunt = PlantedBug.Network();
        var table = hunt.Check(NumericalGradient, RelativeError);
        var errors = table.Split('\n').Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(f => f[0], f => double.Parse(f[^1], System.Globalization.CultureInfo.InvariantCulture));
        // The student's own check, run on the planted backward: layer 1 far off, the rest at rounding.
        Assert.True(errors["dW1"] > 1e-2 && errors["db1"] > 1e-2, table);
        Assert.All(new[] { "dW2", "db2", "dW3", "db3" }, name => Assert.True(errors[name] < 1e-7, table));
        // With functions not written yet, the library's stand in and the table says so.
        var standIn = hunt.Check((J, t, e) => null!, (a, b) => throw new NotImplementedException());
        Assert.Contains("Your NumericalGradient is not written yet", standIn);
        Assert.Contains("Your RelativeError is not written yet", standIn);
        Assert.Equal(errors["dW1"].ToString("E1", System.Globalization.CultureInfo.InvariantCulture),
            standIn.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);

        Passes(Check.PlantedBugFound(["dW1", "db1"]));
        Passes(Check.PlantedBugFound(["db1", " dw1 "]));
        Names(Mistakes.BlamedTheCause, Check.PlantedBugFound(["dW2"]));
        Explained(Check.PlantedBugFound(["dW1"]), "db1 is wrong too");
        Explained(Check.PlantedBugFound(["dW1", "db1", "dW3"]), "dW3 agrees with the nudged slopes");
        Explained(Check.PlantedBugFound(["W1"]), "no gradient called \"W1\"");
        Unanswered(Check.PlantedBugFound([]), "List the gradients");
        Unanswered(Check.PlantedBugFound(null), "List the gradients");
    }

    // ------------------------------------------------------------ the update (03)

    [Fact]
    public void UpdateParameters_check_passes_the_solution_in_place_and_names_the_classic_slips()
    {
        Passes(Check.UpdateParameters(UpdateParameters));
        Passes(Check.UpdateParameters((p, g, a) =>
        {
            for (int l = 1; l <= p.LayerCount; l++)
            {
                p.W[l].Subtract(a * g[l].dW, p.W[l]);
                p.b[l].Subtract(a * g[l].db, p.b[l]);
            }
        }));
        Names(Mistakes.UpdateWrongSign, Check.UpdateParameters((p, g, a) => Each(p, g, (w, d) => w + a * d)));
        Names(Mistakes.MissingLearningRate, Check.UpdateParameters((p, g, a) => Each(p, g, (w, d) => w - d)));
        Names(Mistakes.UpdateSkipsOutputLayer, Check.UpdateParameters((p, g, a) => Each(p, g, (w, d) => w - a * d, last: p.LayerCount - 1)));
        Names(Mistakes.UpdateSkipsFirstLayer, Check.UpdateParameters((p, g, a) => Each(p, g, (w, d) => w - a * d, first: 2)));
        // The classic of C#: a new matrix assigned to a local copy of the reference.
        Names(Mistakes.UpdateNotStored, Check.UpdateParameters((p, g, a) =>
        {
            for (int l = 1; l <= p.LayerCount; l++)
            {
                var W = p.W[l];
                W = W - a * g[l].dW;
            }
        }));
        // Scaling the gradients in place: the parameters come out right, the gradients do not survive.
        var aliased = Check.UpdateParameters((p, g, a) =>
        {
            for (int l = 1; l <= p.LayerCount; l++)
            {
                g[l].dW.Multiply(a, g[l].dW);
                g[l].db.Multiply(a, g[l].db);
                p.W[l].Subtract(g[l].dW, p.W[l]);
                p.b[l].Subtract(g[l].db, p.b[l]);
            }
        });
        Names(Mistakes.ChangedItsInput, aliased);
        Assert.Contains("grads[1].dW", aliased.ToString());
        Unanswered(Check.UpdateParameters((p, g, a) => throw new NotImplementedException()), "Write UpdateParameters");
        Unanswered(Check.UpdateParameters(null), "Write UpdateParameters");
    }

    private static void Each(Parameters p, Grads[] g, Func<Matrix<double>, Matrix<double>, Matrix<double>> rule, int first = 1, int? last = null)
    {
        for (int l = first; l <= (last ?? p.LayerCount); l++)
        {
            rule(p.W[l], g[l].dW).CopyTo(p.W[l]);
            rule(p.b[l], g[l].db).CopyTo(p.b[l]);
        }
    }

    // ------------------------------------------------------------ your network beside the library's (03)

    [Fact]
    public void Your_network_matches_the_library_step_by_step_to_1e_12()
    {
        StandIn.ClearUsed();
        Passes(Check.YourNetwork(Yours));
    }

    [Fact]
    public void A_missing_one_over_m_is_named_at_its_first_step_layer_and_quantity_with_its_factor()
    {
        Grads[] NoM(Matrix<double> AL, Matrix<double> Y, Cache[] caches)
        {
            var grads = Backward(AL, Y, caches);
            return [.. grads.Select(g => g is null ? null! : new Grads(g.dW * AL.ColumnCount, g.db))];
        }
        var result = Check.YourNetwork(Yours with { Backward = NoM });
        Assert.False(result.Correct);
        // The small network has 6 samples: every entry of dW is 6× the library's, and layer 3 is the first computed.
        Assert.Contains("On a small random network, step 1, layer 3: your dW differs", result.Message);
        Assert.Contains("Every number of yours is 6 times the library's", result.Message);
        Assert.Contains("a 1/m", result.Message);
    }

    [Fact]
    public void Your_network_names_the_part_that_differs_and_the_original_update_bug()
    {
        // A student's first update rebinds a local (var W = p.W[l]; W = W - a * dW): nothing changed, which is not "layer 1 skipped".
        var nothing = Check.YourNetwork(Yours with { UpdateParameters = (p, g, a) => { for (int l = 1; l <= p.LayerCount; l++) { var W = p.W[l]; W -= a * g[l].dW; _ = W; } } });
        Names(Mistakes.UpdateNotStored, nothing);
        Assert.Contains("left every W and every b as it was", nothing.Message);
        Assert.DoesNotContain("assign it to parameters.W[l]", nothing.ToString());

        var uphill = Check.YourNetwork(Yours with { UpdateParameters = (p, g, a) => Each(p, g, (w, d) => w + a * d) });
        Names(Mistakes.UpdateWrongSign, uphill);
        Assert.Contains("step 1, layer 1: your UpdateParameters moved W by minus the library's step", uphill.Message);

        var skipsOutput = Check.YourNetwork(Yours with { UpdateParameters = (p, g, a) => Each(p, g, (w, d) => w - a * d, last: p.LayerCount - 1) });
        Names(Mistakes.UpdateSkipsOutputLayer, skipsOutput);
        Assert.Contains("step 1, layer 3: your UpdateParameters left W as it was", skipsOutput.Message);

        var sigmoidHidden = Check.YourNetwork(Yours with { Forward = (X, p) => ForwardWith(X, p, (Z, _, _) => Sigmoid(Z), (a, w, z, _) => new Cache(a, w, z)) });
        Assert.Contains("step 1: your AL differs", sigmoidHidden.Message);

        var crashed = Check.YourNetwork(Yours with { ComputeCost = (AL, Y) => throw new InvalidOperationException("Matrix dimensions must agree: 1x6 and 6x1.") });
        Explained(crashed, "your ComputeCost stopped with an error");
    }

    [Fact]
    public void Your_train_is_checked_as_a_whole_after_its_parts()
    {
        var costAfter = Check.YourNetwork(Yours with
        {
            Train = (X, Y, p, a, n, report) =>
            {
                var costs = new double[n];
                for (int i = 0; i < n; i++)
                {
                    var (AL, caches) = Forward(X, p);
                    UpdateParameters(p, Backward(AL, Y, caches), a);
                    costs[i] = ComputeCost(Forward(X, p).AL, Y);
                    report(i + 1, costs[i]);
                }
                return costs;
            },
        });
        Names(Mistakes.CostAfterUpdate, costAfter);
        Names(Mistakes.NeverReports, Check.YourNetwork(Yours with { Train = (X, Y, p, a, n, report) => Train(X, Y, p, a, n, (_, _) => { }) }));
        Unanswered(Check.YourNetwork(Yours with { Train = (X, Y, p, a, n, report) => throw new NotImplementedException() }), "not written yet");
    }

    [Fact]
    public void A_network_the_library_still_stands_in_for_is_not_yet_answered_and_says_which_functions()
    {
        var result = Check.YourNetwork(Yours with { Backward = StandIn.Backward });
        Unanswered(result, "the library's Backward");
        Unanswered(Check.YourNetwork(NetworkParts.StandIns), "Forward");
    }

    [Fact]
    public void The_training_loop_of_notebook_4_runs_your_train_on_the_data_given()
    {
        var rng = new NumPyRandom(3);
        var X = rng.Randn(5, 12);
        var Y = Matrix<double>.Build.Dense(1, 12, (_, j) => j % 3 == 0 ? 1 : 0);
        Passes(Check.TrainingLoop(Train, X, Y, [5, 4, 3, 1], 0.05, 20));
        Unanswered(Check.TrainingLoop(StandIn.Train, X, Y, [5, 4, 3, 1], 0.05, 20), "Train");
    }

    [Fact]
    public void The_stand_ins_are_the_library_and_say_that_they_stood_in()
    {
        StandIn.ClearUsed();
        var p = DeepNN.InitializeParameters([3, 4, 1], seed: 5, scale: 1.0);
        var X = new NumPyRandom(5).Randn(3, 6);
        var (al, caches) = StandIn.Forward(X, p);
        Assert.Equal(DeepNN.ForwardPass(X, p).AL, al);
        Assert.Equal(["Forward"], StandIn.Used);
        Assert.Equal("cache: A_prev (3 × 6), W (4 × 3), Z (4 × 6)", caches[1].ToString());
        StandIn.ClearUsed();
        Assert.Empty(StandIn.Used);
    }
}
