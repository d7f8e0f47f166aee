using System.IO.Compression;
using System.Text;
using NeuralNet.Data;
using NeuralNet.Numerics;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Seeded random corruptions (truncation, bit flips, header overwrites, inserted, deleted and repeated
/// chunks, absurd sizes) of valid IDX and CSV files. For every case the loader must either return
/// correctly shaped data or throw <see cref="DataFormatException"/> — never another exception, never
/// hang, never allocate absurd memory. A failure message names the seed and case to replay it.
/// </summary>
public sealed class CorruptionTests : IDisposable
{
    private const int Cases = 300;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const long MaxAllocation = 64L << 20;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] ValidImages(int count = 20, int side = 5) =>
        TempFolder.Idx([count, side, side], Enumerable.Range(0, count * side * side).Select(i => (byte)(i * 37 % 256)).ToArray());

    private static byte[] ValidLabels(int count = 20) => TempFolder.Idx([count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());

    private static readonly byte[] Interesting = [0x00, 0xFF, 0x7F, 0x80, 0x08, 0x1f, 0x8b, (byte)',', (byte)';', (byte)'"', (byte)'\n', (byte)'\r', (byte)'.', (byte)'-', (byte)'e', (byte)'9', (byte)' '];

    /// <summary>One random corruption of <paramref name="bytes"/>; <paramref name="what"/> describes it.</summary>
    private static byte[] Corrupt(byte[] bytes, NumPyRandom random, bool idx, out string what)
    {
        var b = bytes.ToList();
        int Pos(int n) => n <= 0 ? 0 : (int)random.RandInt(0, n);
        switch (random.RandInt(0, 9))
        {
            case 0:
                int keep = Pos(b.Count);
                what = $"truncated to {keep} bytes";
                return b.Take(keep).ToArray();
            case 1:
                int flips = (int)random.RandInt(1, 5);
                for (int k = 0; k < flips; k++) { int p = Pos(b.Count); b[p] ^= (byte)(1 << (int)random.RandInt(0, 8)); }
                what = $"{flips} bit flips";
                return b.ToArray();
            case 2:
                int count = (int)random.RandInt(1, 5);
                for (int k = 0; k < count; k++) b[Pos(Math.Min(16, b.Count))] = (byte)random.RandInt(0, 256);
                what = $"{count} header bytes overwritten";
                return b.ToArray();
            case 3:
                int times = (int)random.RandInt(1, 4);
                for (int k = 0; k < times; k++) b[Pos(b.Count)] = Interesting[Pos(Interesting.Length)];
                what = $"{times} bytes set to special values";
                return b.ToArray();
            case 4:
                int at = Pos(b.Count + 1), length = (int)random.RandInt(1, 40);
                b.InsertRange(at, Enumerable.Range(0, length).Select(_ => (byte)random.RandInt(0, 256)));
                what = $"{length} random bytes inserted at {at}";
                return b.ToArray();
            case 5:
                int from = Pos(b.Count), cut = Math.Min((int)random.RandInt(1, 60), b.Count - from);
                b.RemoveRange(from, cut);
                what = $"{cut} bytes deleted at {from}";
                return b.ToArray();
            case 6:
                int start = Pos(b.Count), size = Math.Min((int)random.RandInt(1, 60), b.Count - start);
                b.InsertRange(start, b.GetRange(start, size));
                what = $"{size} bytes repeated at {start}";
                return b.ToArray();
            case 7 when idx && b.Count >= 8:
                int dim = (int)random.RandInt(0, Math.Max(1, Math.Min(b[3], (b.Count - 4) / 4)));
                uint[] huge = [0xFFFFFFFF, 0x7FFFFFFF, 0x40000000, 1_000_000, 0x01000000];
                uint value = huge[Pos(huge.Length)];
                int offset = 4 + 4 * dim;
                for (int k = 0; k < 4 && offset + k < b.Count; k++) b[offset + k] = (byte)(value >> (24 - 8 * k));
                what = $"dimension {dim} set to {value}";
                return b.ToArray();
            default:
                int extra = (int)random.RandInt(1, 100);
                what = $"{extra} bytes appended";
                return b.Concat(Enumerable.Range(0, extra).Select(_ => (byte)random.RandInt(0, 256))).ToArray();
        }
    }

    /// <summary>Runs the load on its own thread with a time limit; true if it loaded, false if it threw DataFormatException.</summary>
    private static bool Survives(Action load, string description)
    {
        long allocated = 0;
        Exception? error = null;
        bool loaded = false;
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { load(); loaded = true; }
            catch (DataFormatException) { }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.True(task.Wait(Timeout), $"{description}: did not finish within {Timeout.TotalSeconds} s");
        Assert.True(error is null, $"{description}: threw {error?.GetType().Name} instead of DataFormatException: {error}");
        Assert.True(allocated < MaxAllocation, $"{description}: allocated {allocated / (1 << 20)} MiB");
        return loaded;
    }

    [Theory]
    [InlineData(1u, false)]
    [InlineData(2u, true)]
    public void Corrupted_idx_files_load_correctly_shaped_or_are_rejected(uint seed, bool gzip)
    {
        var random = new NumPyRandom(seed);
        int loadedCount = 0;
        for (int n = 0; n < Cases; n++)
        {
            bool corruptImages = random.RandInt(0, 2) == 0;
            byte[] images = ValidImages(), labels = ValidLabels();
            byte[] target = corruptImages ? images : labels;
            string what;
            if (gzip && random.RandInt(0, 2) == 0)
                target = Corrupt(TempFolder.Gzip(target), random, idx: false, out what);      // damage the compressed bytes
            else
            {
                target = Corrupt(target, random, idx: true, out what);                         // damage the content
                if (gzip) target = TempFolder.Gzip(target);
            }
            if (corruptImages) images = target; else labels = target;
            if (gzip && !corruptImages) images = TempFolder.Gzip(images);
            if (gzip && corruptImages) labels = TempFolder.Gzip(labels);

            var imagesPath = _temp.WriteBytes($"images-{seed}-{n}", images);
            var labelsPath = _temp.WriteBytes($"labels-{seed}-{n}", labels);
            string description = $"seed {seed}, case {n}, {(corruptImages ? "images" : "labels")} {what}";
            if (Survives(() =>
            {
                var data = Idx.LoadImagesAndLabels(imagesPath, labelsPath, FashionMnist.ClassNames);
                Assert.Equal(data.Labels.Length, data.Count);
                Assert.True(data.Features >= 1);
                Assert.All(data.X.Enumerate(), v => Assert.InRange(v, 0.0, 1.0));
                Assert.All(data.Labels, l => Assert.InRange(l, 0, 9));
            }, description)) loadedCount++;
            File.Delete(imagesPath);
            File.Delete(labelsPath);
        }
        Assert.InRange(loadedCount, 10, Cases - 10);   // both outcomes are exercised
    }

    private static string ValidCsv()
    {
        var text = new StringBuilder("sepal length,\"petal, width\",x3,species\n");
        var random = new NumPyRandom(99);
        string[] names = ["setosa", "versicolor", "\"virginica, tall\""];
        for (int i = 0; i < 25; i++)
            text.Append(FormattableString.Invariant($"{random.NextGaussian():R},{random.NextDouble() * 1000:0.###},{random.RandInt(-5, 5)}e-2,{names[i % 3]}\r\n"));
        return text.ToString();
    }

    [Theory]
    [InlineData(3u, false)]
    [InlineData(4u, true)]
    public void Corrupted_csv_files_load_correctly_shaped_or_are_rejected(uint seed, bool gzip)
    {
        var random = new NumPyRandom(seed);
        byte[] valid = Encoding.UTF8.GetBytes(ValidCsv());
        Assert.Equal(25, Csv.Load(_temp.WriteBytes("valid.csv", valid)).Count);
        for (int n = 0; n < Cases; n++)
        {
            byte[] bytes = Corrupt(valid, random, idx: false, out string what);
            if (gzip) bytes = random.RandInt(0, 2) == 0 ? TempFolder.Gzip(bytes) : Corrupt(TempFolder.Gzip(valid), random, idx: false, out what);
            var options = random.RandInt(0, 3) switch
            {
                0 => null,
                1 => new CsvOptions { LabelColumnName = "species" },
                _ => new CsvOptions { HasHeader = true, LabelColumnIndex = -1, Delimiter = ',' },
            };
            var path = _temp.WriteBytes($"data-{seed}-{n}.csv", bytes);
            Survives(() =>
            {
                var data = Csv.Load(path, options);
                Assert.Equal(data.Labels.Length, data.Count);
                Assert.True(data.Features >= 1);
                Assert.All(data.X.Enumerate(), v => Assert.True(double.IsFinite(v)));
                Assert.All(data.Labels, l => Assert.InRange(l, 0, data.ClassCount - 1));
            }, $"seed {seed}, case {n}, {what}, options {options}");
            File.Delete(path);
        }
    }

    [Fact]
    public void The_fuzzing_really_exercises_both_outcomes()
    {
        // Guard against a corruption generator that only ever produces rejected (or only accepted) files.
        var random = new NumPyRandom(5);
        int loaded = 0, rejected = 0;
        byte[] valid = Encoding.UTF8.GetBytes(ValidCsv());
        for (int n = 0; n < 100; n++)
        {
            var path = _temp.WriteBytes($"probe-{n}.csv", Corrupt(valid, random, idx: false, out _));
            try { Csv.Load(path); loaded++; }
            catch (DataFormatException) { rejected++; }
        }
        Assert.True(loaded > 5, $"only {loaded} corrupted files loaded");
        Assert.True(rejected > 5, $"only {rejected} corrupted files were rejected");
    }
}
