using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using NeuralNet.Kernels;

namespace NeuralNet.Benchmarks;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed class BenchOptions
{
    public string? Filter { get; private set; }
    public List<int> Threads { get; } = [];
    public int Runs { get; private set; } = 15;
    public double MaxSecondsPerWorkload { get; private set; } = 10;
    public bool Peers { get; private set; } = true;
    public int PeerRepeat { get; private set; } = 1;
    public int PeerTimeoutSeconds { get; private set; } = 300;

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--filter": o.Filter = Next(); break;
                case "--threads": o.Threads.AddRange(Next().Split(',').Select(int.Parse)); break;
                case "--runs": o.Runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-seconds": o.MaxSecondsPerWorkload = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-peers": o.Peers = false; break;
                case "--peer-repeat": o.PeerRepeat = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--peer-timeout": o.PeerTimeoutSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "-h" or "--help":
                    Console.WriteLine("""
                        NeuralNet benchmarks: times the registered workloads and prints a table.
                          --filter TEXT       only workloads whose name contains TEXT
                          --threads 1,2       kernel thread counts to run each workload with (default: 1 and all cores)
                          --runs N            timed runs per workload (default 15; median reported)
                          --max-seconds S     stop timing a workload after S seconds (default 10)
                          --no-peers          do not run ../shared/bench/peers.py
                          --peer-repeat N     repeats for peers.py (default 1)
                          --peer-timeout S    give up on peers.py after S seconds (default 300)
                        """);
                    return null;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]} (try --help)");
                    return null;
            }
        }
        if (o.Threads.Count == 0)
        {
            o.Threads.Add(1);
            if (Environment.ProcessorCount > 1) o.Threads.Add(Environment.ProcessorCount);
        }
        return o;
    }
}

/// <summary>Runs the workloads, prints the table, then the peers and the ratios.</summary>
internal static class Runner
{
    private sealed record Result(Workload Workload, int Threads, double MedianSeconds, double MinSeconds, int Runs, double AllocatedBytesPerRun);

    public static int Run(BenchOptions options)
    {
        PrintMachine();
        var selected = Workloads.All
            .Where(w => options.Filter is null || w.Name.Contains(options.Filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var results = new List<Result>();
        Console.WriteLine();
        Console.WriteLine($"{"workload",-22} {"thr",3} {"median ms",10} {"min ms",9} {"GFLOPS",7} {"runs",5} {"alloc B/run",11}");
        foreach (var w in selected)
        {
            var run = w.Setup();
            foreach (int threads in options.Threads)
            {
                KernelSettings.MaxDegreeOfParallelism = threads;
                var r = Time(w, run, threads, options);
                results.Add(r);
                double gflops = w.FlopsPerRun / r.MedianSeconds / 1e9;
                Console.WriteLine($"{w.Name,-22} {threads,3} {r.MedianSeconds * 1e3,10:F3} {r.MinSeconds * 1e3,9:F3} {gflops,7:F1} {r.Runs,5} {r.AllocatedBytesPerRun,11:F0}");
            }
        }
        KernelSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;
        Console.WriteLine();
        foreach (var w in selected) Console.WriteLine($"  {w.Name}: {w.Description}");
        using var self = Process.GetCurrentProcess();
        Console.WriteLine();
        Console.WriteLine($"peak working set {self.PeakWorkingSet64 / 1048576.0:F0} MB; GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB; " +
                          $"gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; load {Load()}");

        if (options.Peers) RunPeers(options, results);
        return 0;
    }

    private static Result Time(Workload w, Action run, int threads, BenchOptions options)
    {
        for (int i = 0; i < w.WarmupRuns; i++) run();
        var times = new List<double>();
        long allocated = 0;
        var budget = Stopwatch.StartNew();
        while (times.Count < options.Runs && (times.Count < 3 || budget.Elapsed.TotalSeconds < options.MaxSecondsPerWorkload))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            run();
            long t1 = Stopwatch.GetTimestamp();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            times.Add((t1 - t0) / (double)Stopwatch.Frequency);
        }
        times.Sort();
        double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        return new Result(w, threads, median, times[0], times.Count, allocated / (double)times.Count);
    }

    private static void PrintMachine()
    {
        Console.WriteLine($"NeuralNet benchmarks — {DateTime.Now:yyyy-MM-dd HH:mm}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, " +
                          $"AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}, " +
                          $"Vector256 {Vector256.IsHardwareAccelerated}, Vector512 {Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"CPU {CpuModel()}; load {Load()}");
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    /// <summary>The 1/5/15-minute load averages (other work on the machine makes timings noisy).</summary>
    private static string Load()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    // ---------------------------------------------------------------------------------------------
    // Peers: <repo>/../shared/bench/peers.py, run with /usr/bin/python3 when it has NumPy.
    // ---------------------------------------------------------------------------------------------

    private static void RunPeers(BenchOptions options, List<Result> results)
    {
        Console.WriteLine();
        const string python = "/usr/bin/python3";
        string? root = RepoRoot();
        string? script = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "bench", "peers.py"));
        if (script is null || !File.Exists(script)) { Console.WriteLine($"peers: skipped (no {script ?? "<repo>/../shared/bench/peers.py"})"); return; }
        if (!File.Exists(python) || RunProcess(python, ["-c", "import numpy"], 60, out _) != 0)
        {
            Console.WriteLine("peers: skipped (/usr/bin/python3 has no numpy: apt-get install -y python3-numpy libopenblas0-pthread)");
            return;
        }
        var linked = results.Where(r => r.Workload.Peer is not null).Select(r => r.Workload.Peer!.Workload).Distinct().ToList();
        if (linked.Count == 0) { Console.WriteLine("peers: skipped (no selected workload has a peer)"); return; }
        string workload = linked.Count == 1 ? linked[0] : "all";
        Console.WriteLine($"peers: {python} {script} --workload {workload} --repeat {options.PeerRepeat} (timeout {options.PeerTimeoutSeconds} s) ...");
        int code = RunProcess(python, [script, "--workload", workload, "--repeat", options.PeerRepeat.ToString(CultureInfo.InvariantCulture)],
            options.PeerTimeoutSeconds, out var lines);
        foreach (var line in lines) Console.WriteLine($"  {line}");
        if (code != 0) Console.WriteLine($"peers: exit code {code}");

        foreach (var line in lines)
        {
            var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            if (!fields.TryGetValue("peer", out var peer) || !fields.TryGetValue("workload", out var pw) ||
                !fields.TryGetValue("seconds", out var s) || !double.TryParse(s, CultureInfo.InvariantCulture, out double peerSeconds)) continue;
            fields.TryGetValue("dtype", out var dtype);
            foreach (var r in results.Where(r => r.Workload.Peer is { } p && p.Workload == pw && p.Dtype == dtype))
            {
                double ours = r.MedianSeconds * r.Workload.Peer!.RunsPerPeerRun;
                Console.WriteLine($"ratio {r.Workload.Name} ({r.Threads} thr) / {peer} {pw} {dtype}: {ours:F3} s / {peerSeconds:F3} s = {ours / peerSeconds:F3}   [{r.Workload.Peer.Note}]");
            }
        }
    }

    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln"))) return dir.FullName;
        return null;
    }

    private static int RunProcess(string file, string[] args, int timeoutSeconds, out List<string> output)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var lines = new List<string>();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("stderr: " + e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            lines.Add($"timed out after {timeoutSeconds} s");
            output = lines;
            return -1;
        }
        p.WaitForExit();
        output = lines;
        return p.ExitCode;
    }
}
