namespace NeuralNet.Kernels;

/// <summary>
/// Process-wide knobs of the numeric kernels. The defaults suit training; tests and benchmarks
/// change them to compare one thread with several.
/// </summary>
/// <remarks>
/// Results never depend on these settings: every output element is summed in the same order
/// whatever the number of threads (the work is split by output tiles, never along the summed index).
/// </remarks>
internal static class KernelSettings
{
    private static int _maxDegreeOfParallelism = Environment.ProcessorCount;
    private static long _parallelFlopThreshold = 2_000_000;

    /// <summary>
    /// The most threads one kernel call may use (the caller's thread counts as one). Default: the
    /// processor count. 1 runs everything on the calling thread.
    /// </summary>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// A product with fewer floating-point operations than this (2·m·n·k) runs on one thread: waking
    /// a second thread costs a few microseconds, more than a small product takes. Default 2,000,000.
    /// </summary>
    public static long ParallelFlopThreshold
    {
        get => _parallelFlopThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _parallelFlopThreshold = value;
        }
    }
}
