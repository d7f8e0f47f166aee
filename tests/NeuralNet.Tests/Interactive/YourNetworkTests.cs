using NeuralNet.Data;
using NeuralNet.Exercises;
using NeuralNet.Interactive;

namespace NeuralNet.Tests.Interactive;

/// <summary>YourNetwork.TrainLive: the student's network trained beside the library's, outside a kernel (the charts have nowhere to draw).</summary>
[Collection(StandInCollection)]
public class YourNetworkTests
{
    /// <summary>The tests that read StandIn.Used, which is one for the process: they run one at a time.</summary>
    public const string StandInCollection = "StandIn.Used";

    private static readonly LabeledData Moons = SyntheticData.Moons(samples: 200, noise: 0.2, seed: 0);

    [Fact]
    public void The_library_parts_train_exactly_as_the_library()
    {
        var run = YourNetwork.TrainLive(NetworkParts.StandIns, Moons.X, Moons.BinaryRow(), [2, 5, 1], alpha: 0.5, iterations: 30);
        Assert.Equal(30, run.History.Epochs);
        Assert.True(run.LargestCostDifference <= 1e-12, run.ToString());
        Assert.Null(run.TrainNote);
    }

    [Fact]
    public void A_run_that_diverges_stops_with_its_reason_and_keeps_the_last_finite_weights()
    {
        // A student's trial: an update with the wrong sign climbed until the outputs were NaN, and the live cell stopped Run All with an
        // ArgumentException from Metrics.Accuracy. Now the run stops at the first number that is not one, and says so.
        static void Uphill(Parameters p, Grads[] g, double a)
        {
            for (int l = 1; l <= p.LayerCount; l++)
            {
                p.W[l].Add(a * g[l].dW, p.W[l]);
                p.b[l].Add(a * g[l].db, p.b[l]);
            }
        }
        var uphill = NetworkParts.StandIns with
        {
            UpdateParameters = Uphill,
            Train = (X, Y, p, a, n, report) =>
            {
                var costs = new double[n];
                for (int i = 1; i <= n; i++)
                {
                    var (AL, caches) = StandIn.Forward(X, p);
                    costs[i - 1] = StandIn.ComputeCost(AL, Y);
                    Uphill(p, StandIn.Backward(AL, Y, caches), a);
                    report(i, costs[i - 1]);
                }
                return costs;
            },
        };
        var run = YourNetwork.TrainLive(uphill, Moons.X, Moons.BinaryRow(), [2, 16, 16, 1], alpha: 0.5, iterations: 2000);
        Assert.NotNull(run.TrainNote);
        Assert.Contains("Your network's training stopped at iteration", run.TrainNote);
        Assert.True(run.History.Epochs < 2000, run.ToString());
        Assert.All(run.History.Costs, c => Assert.True(double.IsFinite(c)));
        Assert.All(run.Network.Parameters.SelectMany(p => new[] { p.W, p.b }), m => Assert.True(m.Enumerate().All(double.IsFinite)));
        Assert.Contains("Kept: your weights after iteration", run.ToString());
    }
}
