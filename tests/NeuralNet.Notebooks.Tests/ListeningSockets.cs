using System.Globalization;
using System.Net;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// The machine's own table of listening TCP sockets (/proc/net/tcp and tcp6, what <c>ss -ltnp</c> reads), matched
/// to processes through their open file descriptors. Nothing is sent anywhere.
/// </summary>
internal static class ListeningSockets
{
    /// <summary>One listening socket: its address and port, and the process holding it.</summary>
    public sealed record Listener(IPAddress Address, int Port, int ProcessId)
    {
        /// <summary>Reachable only from this machine: 127.0.0.0/8 or ::1 (0.0.0.0 and :: are every interface).</summary>
        public bool IsLoopback => IPAddress.IsLoopback(Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address);

        public override string ToString() => $"{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address)}:{Port} (pid {ProcessId})";
    }

    /// <summary>Every TCP socket in LISTEN state held by one of <paramref name="processIds"/>.</summary>
    public static IReadOnlyList<Listener> Of(IEnumerable<int> processIds)
    {
        var inodes = new Dictionary<string, int>();
        foreach (var pid in processIds)
        {
            try
            {
                foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                        inodes[target["socket:[".Length..^1]] = pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }

        var listeners = new List<Listener>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != "0A" || !inodes.TryGetValue(fields[9], out var owner)) continue;
                var (address, port) = ParseEndpoint(fields[1]);
                listeners.Add(new Listener(address, port, owner));
            }
        }
        return listeners;
    }

    /// <summary><paramref name="root"/> and every process descended from it, now.</summary>
    public static IReadOnlyList<int> ProcessTree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
                var ppid = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                parents[pid] = int.Parse(ppid, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>"0100007F:0800" (IPv4, little-endian) or 32 hex digits in four little-endian words (IPv6).</summary>
    private static (IPAddress Address, int Port) ParseEndpoint(string text)
    {
        var (hex, port) = (text[..text.IndexOf(':')], int.Parse(text[(text.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
            Array.Reverse(bytes, word, 4);
        return (new IPAddress(bytes), port);
    }
}

/// <summary>A fact that reads /proc: skipped, saying so, on other systems (the kernel's arguments are the same everywhere).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Skipped: reads the kernel's sockets from /proc (Linux only).";
    }
}
