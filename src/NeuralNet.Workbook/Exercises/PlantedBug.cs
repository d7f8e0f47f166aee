using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Exercises;

/// <summary>
/// A backward pass with a bug planted in it, for your gradient check to find (notebook 02): a [2, 4, 4, 1] network on the
/// four XOR corners, with small non-zero biases (no ReLU sits exactly on its corner). <see cref="Gradients"/> is backprop
/// with the bug; <see cref="Cost"/> is the true cost, whose slopes your NumericalGradient measures.
/// </summary>
public sealed class PlantedBug
{
    private PlantedBug(Matrix<double> x, Matrix<double> y, Parameters parameters)
    {
        X = x;
        Y = y;
        Parameters = parameters;
    }

    /// <summary>The names of the six gradients, layer by layer.</summary>
    public static IReadOnlyList<string> GradientNames { get; } = ["dW1", "db1", "dW2", "db2", "dW3", "db3"];

    /// <summary>The gradients the bug makes wrong.</summary>
    internal static IReadOnlyList<string> WrongGradients { get; } = ["dW1", "db1"];

    /// <summary>What the bug was, said once it is found.</summary>
    internal const string Explanation =
        "The bug sits one layer up: layer 2's backward step passes W₂·dZ₂ down instead of W₂ᵀ·dZ₂ (W₂ is 4 × 4, so the shapes fit either way). " +
        "Its own dW₂ and db₂ are right; layer 1's are built from what layer 2 passes down, so they come out wrong. " +
        "A gradient check points at the numbers that are wrong; the cause is wherever they are computed from.";

    /// <summary>The four corners of the unit square, one per column.</summary>
    public Matrix<double> X { get; }

    /// <summary>Their XOR labels.</summary>
    public Matrix<double> Y { get; }

    /// <summary>The network's parameters: nudge these.</summary>
    public Parameters Parameters { get; }

    /// <summary>The network: a fresh copy each time, the same numbers.</summary>
    public static PlantedBug Network()
    {
        var rng = new NumPyRandom(3);
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });
        int[] dims = [2, 4, 4, 1];
        var weights = new List<Matrix<double>>();
        var biases = new List<Matrix<double>>();
        for (int l = 1; l < dims.Length; l++)
        {
            weights.Add(rng.Randn(dims[l], dims[l - 1]));
            biases.Add(rng.Randn(dims[l], 1) * 0.3);
        }
        return new PlantedBug(x, y, new Parameters(weights, biases));
    }

    /// <summary>The cost J of the network as its parameters are now: what a gradient check nudges.</summary>
    public double Cost() => Reference.ComputeCost(Reference.Forward(X, Parameters).AL, Y);

    /// <summary>Backprop with the planted bug: grads[1] … grads[3].</summary>
    public Grads[] Gradients()
    {
        var (al, caches) = Reference.Forward(X, Parameters);
        var grads = new Grads[4];
        var dZ = al - Y;
        for (int l = 3; l >= 1; l--)
        {
            var (dW, db, dAPrev) = Reference.LinearBackward(dZ, caches[l].A_prev, caches[l].W);
            if (l == 2) dAPrev = caches[l].W * dZ;   // the bug: W·dZ where Wᵀ·dZ was meant
            grads[l] = new Grads(dW, db);
            if (l > 1) dZ = Reference.ReluBackward(dAPrev, caches[l - 1].Z);
        }
        return grads;
    }

    /// <summary>
    /// Runs a gradient check on every gradient of <see cref="Gradients"/> with your two functions (the library's stand in for one
    /// you have not written yet, and the table says so): backprop's size, the nudged slope's size, and their relative error.
    /// </summary>
    public string Check(Func<Func<double>, Matrix<double>, double, Matrix<double>> numericalGradient,
        Func<Matrix<double>, Matrix<double>, double> relativeError, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(numericalGradient);
        ArgumentNullException.ThrowIfNull(relativeError);
        var notes = new List<string>();
        var grads = Gradients();
        var text = new StringBuilder();
        text.AppendLine("gradient   ‖backprop‖   ‖nudged‖   relative error");
        for (int l = 1; l <= 3; l++)
            foreach (var weights in new[] { true, false })
            {
                var theta = weights ? Parameters.W[l] : Parameters.b[l];
                var backprop = weights ? grads[l].dW : grads[l].db;
                var nudged = Yours("NumericalGradient", () => numericalGradient(Cost, theta, epsilon), () => Exercises.Check.TwoSided(Cost, theta, epsilon), notes);
                double error = Yours("RelativeError", () => relativeError(backprop, nudged), () => Exercises.Check.RelativeGap(backprop, nudged), notes);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(weights ? "dW" : "db")}{l}       {backprop.FrobeniusNorm(),10:F6}   {nudged.FrobeniusNorm(),8:F6}   {error,10:E1}"));
            }
        foreach (var note in notes.Distinct()) text.AppendLine(note);
        return text.ToString().TrimEnd();
    }

    /// <summary>Your function's answer, or the library's with a note when yours is not written yet (null, NotImplementedException).</summary>
    private static T Yours<T>(string name, Func<T> yours, Func<T> library, List<string> notes)
    {
        try
        {
            if (yours() is { } answer) return answer;
            notes.Add($"(Your {name} is not written yet — it returned null: the library's stands in for it in this table.)");
        }
        catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
        {
            notes.Add($"(Your {name} is not written yet: the library's stands in for it in this table.)");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            notes.Add($"(Your {name} stopped with an error — {CodeErrors.Explain(e).Explanation} The library's stands in for it in this table.)");
        }
        return library();
    }
}
