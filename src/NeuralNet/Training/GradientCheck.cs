using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using NeuralNet.Training;
using static System.FormattableString;

namespace NeuralNet.Training;

/// <summary>
/// Checks backpropagation against the definition of a derivative. For every weight and bias θ it nudges
/// θ by ±ε and measures the cost: the slope (J(θ + ε) − J(θ − ε)) / 2ε should equal the gradient
/// backprop computed. Per layer it reports the relative error ‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖):
/// below 1e-7 means backprop is right (with ε = 1e-6 a correct gradient gives about 1e-10), 1e-7 … 1e-4 is
/// suspicious, 1e-4 or more means a formula is wrong — or the function has a corner there (see <see cref="GradientCheckReport.Verdict"/>).
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Runs the check on <paramref name="network"/> with samples X and labels Y, on the objective training
    /// uses — including L2 and dropout when <paramref name="regularization"/> asks for them (dropout with the
    /// same seeded masks on every evaluation). It needs two forward passes per parameter, so use a small
    /// network or a few samples. The network is left exactly as it was.
    /// </summary>
    public static GradientCheckReport Run(Network network, Matrix<double> X, Matrix<double> Y, double epsilon = 1e-6,
        Regularization? regularization = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(epsilon > 0 && epsilon < 1))
            throw new ArgumentOutOfRangeException(nameof(epsilon), Invariant($"ε must be small and positive (1e-6 is usual), not {epsilon}."));
        // X, Y and the options are checked once, here; every nudge then only runs the forward pass, in the same buffers.
        var analytic = Trainer.Objective(network, X, Y, regularization).Gradients;
        var objective = new Trainer.ObjectiveAt(network, X, Y, regularization);
        var rows = new List<GradientCheckRow>();
        foreach (var layer in network.Layers)
        {
            var g = analytic[layer.Index];
            rows.Add(Compare(layer.Index, "W", layer.W, g.dW));
            rows.Add(Compare(layer.Index, "b", layer.b, g.db));
        }
        return new GradientCheckReport(rows, epsilon);

        GradientCheckRow Compare(int layer, string name, Matrix<double> parameter, Matrix<double> gradient)
        {
            var values = Shape.Values(parameter);
            var grad = Shape.Values(gradient);
            double diff = 0, a = 0, n = 0;
            for (int i = 0; i < values.Length; i++)
            {
                double original = values[i];
                values[i] = original + epsilon;
                double plus = objective.Evaluate();
                values[i] = original - epsilon;
                double minus = objective.Evaluate();
                values[i] = original;
                double numerical = (plus - minus) / (2 * epsilon);
                diff += (grad[i] - numerical) * (grad[i] - numerical);
                a += grad[i] * grad[i];
                n += numerical * numerical;
            }
            return new GradientCheckRow(layer, name, values.Length, Math.Sqrt(a), Math.Sqrt(n), Math.Sqrt(diff));
        }
    }
}

/// <summary>What a gradient check concludes about one relative error.</summary>
public enum GradientVerdict
{
    /// <summary>Below 1e-7: backprop agrees with the slope of the cost.</summary>
    Correct,
    /// <summary>Between 1e-7 and 1e-4: look closer (a kink such as ReLU's at 0, or a too-large ε).</summary>
    Suspicious,
    /// <summary>1e-4 or more (or NaN): a formula is wrong.</summary>
    Wrong,
}

/// <summary>One parameter matrix's comparison: its gradient from backprop and from finite differences.</summary>
/// <param name="Layer">The layer number.</param>
/// <param name="Parameter">"W" or "b".</param>
/// <param name="Count">How many numbers were checked.</param>
/// <param name="AnalyticNorm">‖gradient from backprop‖.</param>
/// <param name="NumericalNorm">‖gradient from finite differences‖.</param>
/// <param name="DifferenceNorm">‖analytic − numerical‖.</param>
public sealed record GradientCheckRow(int Layer, string Parameter, int Count, double AnalyticNorm, double NumericalNorm,
    double DifferenceNorm)
{
    /// <summary>‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖), 0 when both are 0.</summary>
    public double RelativeError => GradientCheckReport.Relative(DifferenceNorm, AnalyticNorm, NumericalNorm);
}

/// <summary>The result of a gradient check: one row per parameter matrix, and a per-layer summary.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<GradientCheckRow> rows, double epsilon)
    {
        Rows = rows;
        Epsilon = epsilon;
    }

    /// <summary>W and b of every layer, layer 1 first.</summary>
    public IReadOnlyList<GradientCheckRow> Rows { get; }

    /// <summary>The nudge ε.</summary>
    public double Epsilon { get; }

    /// <summary>Layer l's relative error over its W and b together.</summary>
    public double LayerRelativeError(int layer)
    {
        var rows = Rows.Where(r => r.Layer == layer).ToArray();
        if (rows.Length == 0) throw new ArgumentOutOfRangeException(nameof(layer), Invariant($"No layer {layer} in this report."));
        double Norm(Func<GradientCheckRow, double> part) => Math.Sqrt(rows.Sum(r => part(r) * part(r)));
        return Relative(Norm(r => r.DifferenceNorm), Norm(r => r.AnalyticNorm), Norm(r => r.NumericalNorm));
    }

    /// <summary>‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖), 0 when both are 0.</summary>
    internal static double Relative(double difference, double analytic, double numerical) =>
        analytic + numerical == 0 ? 0 : difference / (analytic + numerical);

    /// <summary>The largest relative error of any parameter matrix.</summary>
    public double MaxRelativeError => Rows.Max(r => r.RelativeError);

    /// <summary>True when every parameter matrix's relative error is below <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance = 1e-7) => MaxRelativeError < tolerance;

    /// <summary>The verdict on a relative error: correct below 1e-7, suspicious below 1e-4, wrong above (NaN is wrong).</summary>
    public static GradientVerdict Verdict(double relativeError) => relativeError switch
    {
        < 1e-7 => GradientVerdict.Correct,
        < 1e-4 => GradientVerdict.Suspicious,
        _ => GradientVerdict.Wrong,
    };

    private static string Text(GradientVerdict verdict) => verdict.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder().Append(inv, $"Gradient check (ε = {Epsilon}): max relative error {MaxRelativeError:E2}, {Text(Verdict(MaxRelativeError))}\n");
        text.Append("  layer  param  count   ‖analytic‖     ‖numerical‖    relative error\n");
        foreach (var r in Rows)
            text.Append(inv, $"  {r.Layer,5}  {r.Parameter,5}  {r.Count,5}   {r.AnalyticNorm,-13:E6}  {r.NumericalNorm,-13:E6}  {r.RelativeError:E2}  {Text(Verdict(r.RelativeError))}\n");
        return text.ToString().TrimEnd();
    }
}
