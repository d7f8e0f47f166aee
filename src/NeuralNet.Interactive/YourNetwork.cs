using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Exercises;
using NeuralNet.Training;

namespace NeuralNet.Interactive;

/// <summary>
/// Your network — the functions you wrote in notebooks 1 to 3 — brought into a notebook and trained there, live:
/// <code>
/// YourNetwork.Assemble("01", "02")            // writes my-network.csx from those notebooks' exercise cells
/// #load "my-network.csx"                      // (next cell) defines Forward, Backward, … in this notebook
/// var run = YourNetwork.TrainLive(new NetworkParts(Forward, ComputeCost, Backward, UpdateParameters, Train), X, Y, [2, 16, 16, 1], alpha: 0.5, iterations: 2000);
/// </code>
/// </summary>
public static class YourNetwork
{
    /// <summary>
    /// Collects your functions from the exercise cells of the given notebooks ("01", "02", "03"), as saved in this notebook's folder,
    /// into my-network.csx there, with the library standing in for every function you have not written yet (or that does not compile
    /// on its own). Save those notebooks first: what is read is the file, not what is open in another tab.
    /// </summary>
    public static YourNetworkFile Assemble(params string[] notebooks)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        if (notebooks.Length == 0)
            throw new ArgumentException("Name the notebooks to collect your functions from, e.g. YourNetwork.Assemble(\"01\", \"02\").", nameof(notebooks));
        return YourNetworkFile.Write(Directory.GetCurrentDirectory(), notebooks);
    }

    /// <summary>
    /// Trains your network — your <see cref="NetworkParts.Train"/> calling your other functions — from He's initial weights (seed 1, as the
    /// library's networks in notebook 3) on (X, Y), while a live chart shows its cost and accuracy beside the library's run from the same
    /// weights, and a live decision boundary drawn by your Forward. A Train you have not written yet is stood in for by the library's loop
    /// over your other functions; the output says which functions are still the library's.
    /// </summary>
    public static YourTraining TrainLive(NetworkParts yours, Matrix<double> X, Matrix<double> Y, int[] layerDims, double alpha, int iterations)
    {
        ArgumentNullException.ThrowIfNull(yours);
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        ArgumentNullException.ThrowIfNull(layerDims);
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), $"Train for at least 1 iteration, not {iterations}.");
        if (layerDims.Length < 2 || layerDims[0] != X.RowCount)
            throw new ShapeMismatchException($"layerDims [{string.Join(", ", layerDims)}] must start with X's {X.RowCount} features (X is {Shape.Of(X)}).");

        // The library's run from the same start, drawn beside yours.
        var library = new Network(layerDims, initialization: Initialization.He(seed: 1));
        var parameters = library.Parameters.Clone();
        // A copy trains: `library` keeps the starting weights, which the stand-in for an unwritten Train starts from again.
        var libraryRun = new Trainer(library.Clone()).Train(X, Y, new TrainingOptions { Optimizer = new Sgd(alpha), Epochs = iterations });
        libraryRun.Label = "the library";

        var history = new TrainingHistory(alpha, label: "your network");
        var throttle = new Throttle(LiveTraining.DefaultInterval, LiveTraining.WallClock());
        Matrix<double> Probabilities(Matrix<double> points) => yours.Forward(points, parameters).AL;
        double Accuracy()
        {
            Matrix<double> outputs;
            try
            {
                outputs = Probabilities(X);
            }
            catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
            {
                outputs = StandIn.Forward(X, parameters).AL;
            }
            return outputs.Enumerate().Any(double.IsNaN) ? double.NaN : Metrics.Accuracy(outputs, Y);
        }
        LiveChart[] charts =
        [
            LiveTraining.Chart(null, [libraryRun], throttle),
            LiveTraining.DecisionBoundary(Probabilities, X, Y, everyEpochs: 1, minInterval: null, resolution: 60, throttle),
        ];
        // An iteration's accuracy is the one of its forward pass, before its update, as the library records it: report comes after
        // the update, so each report measures the next iteration's.
        double before = Accuracy();
        // A run that diverges (a wrong sign, too large an α) stops at the first cost or output that is not a number, and keeps the
        // weights of the last iteration that was: the cells after this one can still draw and measure them.
        var lastFinite = parameters.Clone();
        int lastFiniteIteration = 0;
        void Report(int iteration, double cost)
        {
            if (!double.IsFinite(cost)) throw new Diverged(iteration, string.Create(CultureInfo.InvariantCulture, $"its cost was {cost}"));
            history.Add(cost, before);
            var progress = new TrainingProgress(iteration, iterations, cost, before, null, null, history);
            before = Accuracy();
            if (double.IsNaN(before)) throw new Diverged(iteration, "after its update, your Forward gave NaN outputs");
            foreach (var ((w, b), (keptW, keptB)) in parameters.Zip(lastFinite))
            {
                w.CopyTo(keptW);
                b.CopyTo(keptB);
            }
            lastFiniteIteration = iteration;
            foreach (var chart in charts) chart.Report(progress);
        }

        StandIn.ClearUsed();
        string? trainNote = null;
        double[] costs;
        try
        {
            costs = yours.Train(X, Y, parameters, alpha, iterations, Report);
        }
        catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
        {
            string who = CodeErrors.WhereInYourCode(e.InnerException ?? e) is { } f && f != "your code" && f != "Train" ? $"your Train calls {f}, which is not written yet" : "your Train is not written yet";
            trainNote = $"{who}: the library's loop stands in for Train, over your other functions (the library's where you have not written them).";
            parameters = library.Parameters.Clone();
            history = new TrainingHistory(alpha, label: "your network");
            before = Accuracy();
            costs = WithStandIns(yours).TrainWithTheLibrarysLoop(X, Y, parameters, alpha, iterations, Report);
        }
        catch (Diverged d)
        {
            trainNote = string.Create(CultureInfo.InvariantCulture,
                $"Your network's training stopped at iteration {d.Iteration:N0}: {d.What}. The library's run from the same weights ended at cost " +
                $"{libraryRun.Costs[^1]:F4}. The check above compares each of your steps with the library's and names the first that differs. " +
                $"Kept: your weights after iteration {lastFiniteIteration:N0}, the last whose numbers were all finite.");
            parameters = lastFinite;
            costs = [.. history.Costs];
        }
        finally
        {
            foreach (var chart in charts) chart.Flush();
        }

        var network = new Network(parameters, [.. Enumerable.Repeat<Activation>(Activations.ReLU, layerDims.Length - 2), Activations.Sigmoid], Costs.BinaryCrossEntropy);
        return new YourTraining(network, history, libraryRun, costs, StandIn.Used, trainNote, charts.All(c => c.Draws > 1) || iterations == 1);
    }

    /// <summary>The student's run gave a cost or an output that is not a number: training stops there.</summary>
    private sealed class Diverged(int iteration, string what) : Exception(what)
    {
        public int Iteration { get; } = iteration;

        public string What { get; } = what;
    }

    /// <summary>Your parts, each falling back to the library's when it is not written yet (throws NotImplementedException or returns null).</summary>
    private static NetworkParts WithStandIns(NetworkParts yours)
    {
        static T Either<T>(Func<T> mine, Func<T> library)
        {
            try
            {
                return mine() ?? library();
            }
            catch (Exception e) when (e is NotImplementedException || e.InnerException is NotImplementedException)
            {
                return library();
            }
        }
        return new NetworkParts(
            (x, p) => Either(() => yours.Forward(x, p) is var f && f.AL is not null ? f : ((Matrix<double>, Cache[])?)null, () => StandIn.Forward(x, p))!.Value,
            (al, y) => Either(() => yours.ComputeCost(al, y), () => StandIn.ComputeCost(al, y)),
            (al, y, c) => Either(() => yours.Backward(al, y, c), () => StandIn.Backward(al, y, c)),
            (p, g, a) => Either(() => { yours.UpdateParameters(p, g, a); return true; }, () => { StandIn.UpdateParameters(p, g, a); return true; }),
            yours.Train);
    }
}

/// <summary>What <see cref="YourNetwork.TrainLive"/> did: your trained network, its history beside the library's, and which functions were still the library's.</summary>
/// <param name="Network">Your trained parameters as a library network (for the charts that take one).</param>
/// <param name="History">Your run: the cost and training accuracy of every iteration.</param>
/// <param name="Library">The library's run from the same starting weights.</param>
/// <param name="Costs">What your Train returned.</param>
/// <param name="StandIns">The functions the library stood in for, by name.</param>
/// <param name="TrainNote">Why the library's loop stood in for your Train, or null.</param>
/// <param name="Live">Whether the charts were updated while it trained (your Train called report).</param>
public sealed record YourTraining(Network Network, TrainingHistory History, TrainingHistory Library, double[] Costs,
    IReadOnlyCollection<string> StandIns, string? TrainNote, bool Live)
{
    /// <summary>The largest difference between your cost curve and the library's.</summary>
    public double LargestCostDifference => History.Costs.Zip(Library.Costs).Select(p => Math.Abs(p.First - p.Second)).DefaultIfEmpty(double.NaN).Max();

    /// <inheritdoc />
    public override string ToString()
    {
        var lines = new List<string>
        {
            History.Epochs == 0 ? "Your network: no iteration ended with a finite cost." : string.Create(CultureInfo.InvariantCulture,
                $"Your network: cost {History.Costs[0]:F4} → {History.Costs[^1]:F4} in {History.Epochs:N0} iterations, training accuracy {History.Accuracies[^1]:P1}."),
            string.Create(CultureInfo.InvariantCulture,
                $"The library, from the same weights: cost {Library.Costs[^1]:F4}, training accuracy {Library.Accuracies[^1]:P1}; the two cost curves differ by at most {LargestCostDifference:G2}."),
        };
        if (TrainNote is not null) lines.Add(TrainNote);
        if (!Live && TrainNote is null) lines.Add("Your Train never called report(iteration, cost), so the charts could only show the end: call it after each update.");
        lines.Add(StandIns.Count == 0
            ? "Every function of it is yours."
            : $"Still the library's: {string.Join(", ", StandIns)} — the functions you have not written yet.");
        return string.Join(Environment.NewLine, lines);
    }
}
