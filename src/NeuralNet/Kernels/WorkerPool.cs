namespace NeuralNet.Kernels;

/// <summary>A piece of work cut in <c>parts</c> independent parts, each run once by some thread.</summary>
internal abstract class ParallelJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void Execute(int part, int parts);
}

/// <summary>
/// A few long-lived threads that help the calling thread run the parts of a kernel call.
/// </summary>
/// <remarks>
/// <para>Why not <c>Parallel.For</c>: a training step makes a dozen kernel calls of 50–500 µs each;
/// <c>Parallel.For</c> allocates and goes through the thread pool on every call. Here a call
/// allocates nothing.</para>
/// <para>Parts are <i>claimed</i>, not assigned: the caller and every awake worker take the next
/// unclaimed part until none is left (one atomic increment each). On a busy machine a worker may
/// not get a core for a while; then the caller simply runs more of the parts itself instead of
/// waiting for it. The caller waits only for parts already being run by someone.</para>
/// <para>Which thread runs a part never changes its result (parts write disjoint outputs, each
/// summed in a fixed order), so the answer is the same however the parts were shared out. If another
/// thread is already using the workers (two callers at once), the new caller runs all parts itself.</para>
/// </remarks>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();
    private static Worker[] _workers = [];

    // The current call. A part is claimed by a successful compare-and-swap on _state, which holds
    // the call's number (high 32 bits) and the next part (low 32 bits): a worker that wakes late
    // can never claim a part of a call that has finished, and the call's fields do not change
    // while any of its parts is unfinished.
    private static long _state;
    private static ParallelJob? _job;
    private static int _parts;
    private static int _completed;
    private static Exception? _error;

    /// <summary>Runs <c>job.Execute(p, parts)</c> for every p in [0, parts) using up to <paramref name="threads"/> threads, and returns when all have finished.</summary>
    public static void Run(ParallelJob job, int parts, int threads)
    {
        if (parts <= 1 || threads <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int p = 0; p < parts; p++) job.Execute(p, parts);
            return;
        }
        try
        {
            int helpers = Math.Min(threads, parts) - 1;
            if (_workers.Length < helpers) Grow(helpers);
            _job = job;
            _parts = parts;
            _error = null;
            Volatile.Write(ref _completed, 0);
            long call = (Volatile.Read(ref _state) >> 32) + 1;
            Volatile.Write(ref _state, call << 32);
            for (int w = 0; w < helpers; w++) _workers[w].Wake();

            RunParts();

            // Wait for the parts other threads are still running (usually a few microseconds).
            var spin = new SpinWait();
            while (Volatile.Read(ref _completed) < parts) spin.SpinOnce(sleep1Threshold: -1);
            _job = null;
            if (_error is { } error) throw new AggregateException("A kernel worker failed.", error);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Claims and runs parts of the current call until none is left.</summary>
    private static void RunParts()
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            int next = (int)(state & 0xFFFF_FFFF);
            var job = _job;
            int parts = _parts;
            if (job is null || next >= parts) return;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state) continue;
            // Claimed part `next` of this call: its fields cannot change until we report completion.
            job = _job!;
            try { job.Execute(next, _parts); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            Interlocked.Increment(ref _completed);
        }
    }

    private static void Grow(int count)
    {
        var workers = new Worker[count];
        Array.Copy(_workers, workers, _workers.Length);
        for (int i = _workers.Length; i < count; i++) workers[i] = new Worker(i + 1);
        _workers = workers;
    }

    private sealed class Worker
    {
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10_000; // 100 µs
        private readonly SemaphoreSlim _wake = new(0);

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"NeuralNet kernel worker {index}" };
            thread.Start();
        }

        public void Wake() => _wake.Release();

        private void Loop()
        {
            while (true)
            {
                // Spin a little before sleeping: in a training loop the next call usually comes within
                // microseconds, and waking a sleeping thread costs tens of microseconds.
                long until = Clock.ElapsedTicks + SpinTicks;
                while (_wake.CurrentCount == 0 && Clock.ElapsedTicks < until) Thread.SpinWait(8);
                _wake.Wait();
                RunParts();
            }
        }
    }
}
