namespace NeuralNet.Kernels;

/// <summary>A piece of work cut in <c>parts</c> independent parts, each run once by some thread.</summary>
internal abstract class ParallelJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void Execute(int part, int parts);
}

/// <summary>
/// A few long-lived threads that run the parts of a kernel call, the calling thread doing part 0.
/// </summary>
/// <remarks>
/// Why not <c>Parallel.For</c>: a training step makes a dozen kernel calls of 50–500 µs each;
/// <c>Parallel.For</c> allocates and goes through the thread pool on every call. Here each worker
/// spins briefly on its own flag before sleeping, so a call hands work over in about a microsecond
/// and allocates nothing. If another thread is already using the workers (two callers at once),
/// the new caller simply runs all parts itself: the parts write disjoint outputs and their results
/// do not depend on which thread runs them, so the answer is the same either way.
/// </remarks>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static Worker[] _workers = [];

    /// <summary>Runs <c>job.Execute(p, parts)</c> for every p in [0, parts) and returns when all have finished.</summary>
    public static void Run(ParallelJob job, int parts)
    {
        if (parts <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int p = 0; p < parts; p++) job.Execute(p, parts);
            return;
        }
        try
        {
            if (_workers.Length < parts - 1) Grow(parts - 1);
            for (int w = 0; w < parts - 1; w++) _workers[w].Start(job, w + 1, parts);
            Exception? first = null;
            try { job.Execute(0, parts); }
            catch (Exception e) { first = e; }
            for (int w = 0; w < parts - 1; w++)
            {
                var error = _workers[w].Wait();
                first ??= error;
            }
            if (first is not null) throw new AggregateException("A kernel worker failed.", first);
        }
        finally
        {
            Monitor.Exit(Gate);
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
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000; // 50 µs
        private readonly SemaphoreSlim _wake = new(0);
        private readonly ManualResetEventSlim _done = new(false, 100);
        private volatile int _pending; // 1 while a part waits to be picked up
        private ParallelJob? _job;
        private int _part, _parts;
        private Exception? _error;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"NeuralNet kernel worker {index}" };
            thread.Start();
        }

        public void Start(ParallelJob job, int part, int parts)
        {
            _job = job;
            _part = part;
            _parts = parts;
            _error = null;
            _done.Reset();
            _pending = 1;
            _wake.Release();
        }

        public Exception? Wait()
        {
            _done.Wait();
            return _error;
        }

        private void Loop()
        {
            while (true)
            {
                // Spin a little first: in a training loop the next call usually comes within microseconds.
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (_pending == 0 && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(4);
                _wake.Wait();
                _pending = 0;
                try { _job!.Execute(_part, _parts); }
                catch (Exception e) { _error = e; }
                _job = null;
                _done.Set();
            }
        }
    }
}
