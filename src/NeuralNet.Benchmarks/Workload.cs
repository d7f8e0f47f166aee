namespace NeuralNet.Benchmarks;

/// <summary>
/// One thing to time. <see cref="Setup"/> builds the data (not timed) and returns the action that is
/// timed; it runs once per measured run. To add a workload, add one to <see cref="Workloads.All"/>.
/// </summary>
/// <param name="Name">Short unique name, used by <c>--filter</c>.</param>
/// <param name="Description">What one run does.</param>
/// <param name="FlopsPerRun">Floating-point operations of one run (for GFLOPS; 0 if not meaningful).</param>
/// <param name="Setup">Builds the inputs and returns the timed action.</param>
/// <param name="Peer">Optional: the peer workload (as printed by shared/bench/peers.py) this one compares with.</param>
internal sealed record Workload(string Name, string Description, double FlopsPerRun, Func<Action> Setup, PeerLink? Peer = null)
{
    /// <summary>Number of warm-up runs before timing (JIT, caches, worker threads).</summary>
    public int WarmupRuns { get; init; } = 3;
}

/// <summary>
/// How a workload's time relates to a peer's: the peer's time for <paramref name="Workload"/> is
/// compared with <paramref name="RunsPerPeerRun"/> runs of ours. <paramref name="Note"/> says what
/// the comparison leaves out (e.g. "products only" until the whole training loop is timed).
/// </summary>
internal sealed record PeerLink(string Workload, string Dtype, double RunsPerPeerRun, string Note);
