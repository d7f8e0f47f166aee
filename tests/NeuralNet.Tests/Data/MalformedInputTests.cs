using System.IO.Compression;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Issue 14's corpus of malformed data files and misuse: each case gets one clear error that names the file (and
/// line/column where there is one) and the problem, without allocating what a damaged header or a huge line claims.
/// </summary>
public sealed class MalformedInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (T Error, long Allocated) Measure<T>(Action load) where T : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<T>(load);
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string Csv(int rows, Func<int, string> label) =>
        "x,y,label\n" + string.Concat(Enumerable.Range(0, rows).Select(i => FormattableString.Invariant($"{i * 0.5},{i % 7},{label(i)}\n")));

    // ---- gzip integrity ----

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(-1)]   // only the last byte of the trailer missing
    public void A_truncated_csv_gz_is_an_error_saying_the_file_is_truncated(double keep)
    {
        byte[] gz = TempFolder.Gzip(Encoding.UTF8.GetBytes(Csv(400, i => (i % 2).ToString())));
        int length = keep < 0 ? gz.Length - 1 : (int)(gz.Length * keep);
        string path = _temp.WriteBytes("cut.csv.gz", gz[..length]);
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("the gzip data is incomplete: the file is truncated", e.Message);
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(-1)]
    public void A_truncated_idx_gz_is_an_error_saying_the_file_is_truncated(double keep)
    {
        byte[] gz = TempFolder.Gzip(TempFolder.Idx([50, 4, 4], Enumerable.Range(0, 800).Select(i => (byte)(i * 7)).ToArray()));
        int length = keep < 0 ? gz.Length - 1 : (int)(gz.Length * keep);
        string images = _temp.WriteBytes("cut-images.gz", gz[..length]);
        string labels = _temp.WriteBytes("labels.gz", TempFolder.Gzip(TempFolder.Idx([50], new byte[50])));
        var e = Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(images, labels));
        Assert.Equal(images, e.FilePath);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_complete_gzip_file_still_loads()
    {
        string path = _temp.WriteBytes("ok.csv.gz", TempFolder.Gzip(Encoding.UTF8.GetBytes(Csv(400, i => (i % 2).ToString()))));
        Assert.Equal(400, NeuralNet.Data.Csv.Load(path).Count);
    }

    /// <summary>
    /// A gzip member as bgzip and gzip's own options write it: a header with an extra field (bgzip's "BC" block size),
    /// the original name, a comment and a header CRC, then .NET's deflate data and trailer.
    /// </summary>
    private static byte[] MemberWithHeaderFields(byte[] data)
    {
        byte[] plain = data.Length == 0 ? EmptyMember : TempFolder.Gzip(data);   // 10-byte header, deflate data, CRC-32, length
        byte[] header = [0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 0xff, 6, 0, (byte)'B', (byte)'C', 2, 0, 0x34, 0x12,
            .. "part.csv"u8, 0, .. "made by a test"u8, 0];
        uint crc = Crc32(header);
        return [.. header, (byte)crc, (byte)(crc >> 8), .. plain[10..]];
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>A member of no data, as gzip writes for an empty file (.NET writes nothing at all for one): an empty final deflate block, CRC 0, length 0.</summary>
    private static readonly byte[] EmptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void A_multi_member_gzip_is_read_whole_as_gzip_tools_read_it()
    {
        // cat a.gz b.gz, cut in the middle of a row; then bgzip-style members with header fields and bgzip's empty end block.
        string csv = Csv(300, i => (i % 3).ToString());
        var original = NeuralNet.Data.Csv.Parse(csv);
        byte[] text = Encoding.UTF8.GetBytes(csv);
        int cut = text.Length / 2 + 3;
        string cat = _temp.WriteBytes("cat.csv.gz", [.. TempFolder.Gzip(text[..cut]), .. TempFolder.Gzip(text[cut..])]);
        var data = NeuralNet.Data.Csv.Load(cat);
        Assert.Equal(original.X, data.X);
        Assert.Equal(original.Labels, data.Labels);
        byte[] empty = EmptyMember;
        string bgzip = _temp.WriteBytes("bgzip.csv.gz",
            [.. MemberWithHeaderFields(text[..1000]), .. empty, .. MemberWithHeaderFields(text[1000..]), .. MemberWithHeaderFields([]), 0, 0, 0, 0]);
        Assert.Equal(original.X, NeuralNet.Data.Csv.Load(bgzip).X);

        byte[] idx = TempFolder.Idx([50, 4, 4], Enumerable.Range(0, 800).Select(i => (byte)(i * 7)).ToArray());
        string images = _temp.WriteBytes("two-images.gz", [.. TempFolder.Gzip(idx[..100]), .. TempFolder.Gzip(idx[100..])]);
        Assert.Equal(idx[(4 + 3 * 4)..], Idx.Read(images).Values);
    }

    [Fact]
    public void A_multi_member_gzip_cut_short_or_with_bytes_appended_is_still_refused()
    {
        byte[] text = Encoding.UTF8.GetBytes(Csv(300, i => (i % 3).ToString()));
        byte[] two = [.. TempFolder.Gzip(text[..2000]), .. TempFolder.Gzip(text[2000..])];
        string cut = _temp.WriteBytes("cut-two.csv.gz", two[..^5]);
        Assert.Contains("the gzip data is incomplete: the file is truncated", Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(cut)).Message);
        byte[] member = MemberWithHeaderFields(text);
        member[20] ^= 1;   // a letter of the name: the header checksum no longer matches
        string header = _temp.WriteBytes("header.csv.gz", member);
        Assert.EndsWith("the gzip member at byte 0 has a header checksum that does not match its header. The file is damaged: get a fresh copy.",
            Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(header)).Message);
        string appended = _temp.WriteBytes("appended.csv.gz", [.. two, .. "extra text\n"u8]);
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(appended));
        Assert.Equal($"{appended}: after the gzip data that ends at byte {two.Length:N0}, 11 bytes follow that are not gzip data (they start with 65 78). " +
            "Something was appended to the file, or it is damaged ('gzip -t' says \"trailing garbage ignored\"). Get a fresh copy of the file.", e.Message);
    }

    // ---- sizes before allocation ----

    [Fact]
    public void A_one_megabyte_idx_gz_declaring_1024_cubed_pixels_is_refused_without_decompressing_it()
    {
        // 1 GiB of zeros compresses to about 1 MB; today it is decompressed and turned into 8 GiB of doubles.
        string path = _temp.File("bomb-images.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(TempFolder.Idx([1024, 1024, 1024], []));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) gzip.Write(zeros);
        }
        Assert.InRange(new FileInfo(path).Length, 1, 2 << 20);   // about 1 MB
        string labels = _temp.WriteBytes("labels", TempFolder.Idx([1024], new byte[1024]));
        var (e, allocated) = Measure<DataFormatException>(() => Idx.LoadImagesAndLabels(path, labels));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("the header declares 1024 × 1024 × 1024 values", e.Message);
        Assert.Contains("= 8 GiB of memory. The memory budget is", e.Message);
        Assert.Contains("Nothing was decompressed or allocated", e.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("8GB")]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("-2G")]
    public void A_memory_budget_variable_that_is_not_a_size_is_an_error_not_the_default(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => MemoryBudget.FromVariable(value));
        Assert.Equal($"NEURALNET_MEMORY_BUDGET is \"{value}\", which is not a memory size: give a whole number of bytes, optionally followed by K, M, G or T (powers of 1024), " +
            "e.g. NEURALNET_MEMORY_BUDGET=16G. Unset it to use the default, 4 GiB.", e.Message);
        Assert.Equal(16L << 30, MemoryBudget.FromVariable(" 16g "));
        Assert.Equal(MemoryBudget.DefaultBytes, MemoryBudget.FromVariable(""));
        Assert.Equal(MemoryBudget.DefaultBytes, MemoryBudget.FromVariable(null));
    }

    [Fact]
    public void A_csv_is_read_into_one_array_of_its_size_not_a_list_that_doubles()
    {
        // 2,048 rows × 64 features are 2^17 values; one row more made the list double to 2^18 (2 MiB) and copy — up to
        // three times the data at once. Now the rows are counted first: one more row costs one row.
        string Rows(int rows) => string.Join(',', Enumerable.Range(0, 64).Select(k => $"f{k}")) + ",label\n" +
            string.Concat(Enumerable.Range(0, rows).Select(i => string.Join(',', Enumerable.Range(0, 64).Select(k => (i + k) % 10)) + FormattableString.Invariant($",{i % 2}\n")));
        string at = _temp.WriteText("pow2.csv", Rows(2048)), past = _temp.WriteText("pow2-plus-one.csv", Rows(2049));
        NeuralNet.Data.Csv.Load(at);   // warm up
        long Allocated(string path)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(64, NeuralNet.Data.Csv.Load(path).Features);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long one = Allocated(at), more = Allocated(past);
        Assert.True(more - one < 128 << 10, $"one row more allocated {more - one:N0} bytes more ({one:N0} → {more:N0})");
    }

    [Fact]
    public void A_one_line_csv_with_too_many_fields_is_refused_in_bounded_memory()
    {
        // 400,001 fields on one line (a 200 MB line behaves the same, it only takes longer to reach the limit).
        string path = _temp.WriteText("oneline.csv", string.Concat(Enumerable.Repeat("0.5,", 400_000)) + "1\n");
        var (e, allocated) = Measure<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Equal($"{path}, line 1: this row has more than 100,000 fields, more than this loader reads in one row. Is the delimiter right, or are the line breaks missing?", e.Message);
        Assert.True(allocated < 64 << 20, $"allocated {allocated / (1 << 20)} MiB");
    }

    [Fact]
    public void A_field_longer_than_the_limit_is_refused_naming_line_and_column()
    {
        string path = _temp.WriteText("long.csv", "a,b,label\n1,2,0\n3," + new string('7', 20_000) + ",1\n");
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Equal((3, 2), (e.Line, e.Column));
        Assert.Contains("this field is longer than 10,000 characters", e.Message);
    }

    [Fact]
    public void A_row_longer_than_the_limit_is_refused()
    {
        string field = new('1', 9_000);
        string path = _temp.WriteText("wide.csv", string.Join(',', Enumerable.Repeat(field, 2_000)) + "\n");
        var (e, allocated) = Measure<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Contains("this row is longer than 16,777,216 characters", e.Message);
        Assert.True(allocated < 256 << 20, $"allocated {allocated / (1 << 20)} MiB");
    }

    // ---- labels: what the cost needs, and the common slips ----

    [Fact]
    public void One_based_labels_are_named_as_such()
    {
        string path = _temp.WriteText("onebased.csv", Csv(20, i => (1 + i % 2).ToString()));
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(3, e.Column);
        Assert.Contains("the labels in 'label' run from 1 to 2 and none is 0: they look 1-based", e.Message);
    }

    [Fact]
    public void Labels_1_and_2_in_ten_rows_are_named_as_1_based_too()
    {
        // The case: labels 1/2 became three classes with an empty "0".
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Parse(Csv(10, i => (1 + i % 2).ToString()), sourceName: "ten.csv"));
        Assert.Contains("run from 1 to 2 and none is 0: they look 1-based", e.Message);
    }

    [Fact]
    public void Float_targets_are_named_as_a_regression_target_not_turned_into_classes()
    {
        string path = _temp.WriteText("float.csv", Csv(20, i => FormattableString.Invariant($"{i * 0.37:0.00}")));
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Equal((3, 3), (e.Line, e.Column));
        Assert.Contains("the label 0.37 in 'label' is a number with a fraction", e.Message);
        Assert.Contains("20 different values would become 20 classes", e.Message);
    }

    [Fact]
    public void One_huge_label_does_not_make_a_60001_class_softmax()
    {
        string path = _temp.WriteText("huge.csv", Csv(20, i => i == 13 ? "60000" : (i % 2).ToString()));
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Load(path));
        Assert.Equal((15, 3), (e.Line, e.Column));
        Assert.Contains("the label 60000 would make 60,001 classes (0 to 60000), but only 3 different labels occur", e.Message);
    }

    [Fact]
    public void A_few_rows_may_lack_a_class_and_class_names_fix_the_numbering()
    {
        string text = "x,label\n1,2\n2,1\n3,2\n";   // 3 rows: class 0 may be absent by chance
        Assert.Equal(3, NeuralNet.Data.Csv.Parse(text).ClassCount);
        Assert.Equal(3, NeuralNet.Data.Csv.Parse(Csv(20, i => (i % 2 * 2).ToString()), new CsvOptions { ClassNames = ["a", "b", "c"] }).ClassCount);
    }

    [Fact]
    public void Nan_in_X_is_refused_naming_feature_and_sample()
    {
        var x = Matrix<double>.Build.Dense(3, 4, (i, j) => i == 2 && j == 1 ? double.NaN : i + j);
        var e = Assert.Throws<ArgumentException>(() => new LabeledData(x, [0, 1, 0, 1]));
        Assert.StartsWith("X[2, 1] (feature 2, sample/column 1) is NaN, not a finite number.", e.Message);
        x[2, 1] = double.PositiveInfinity;
        Assert.Contains("is Infinity", Assert.Throws<ArgumentException>(() => new LabeledData(x, [0, 1, 0, 1]).WithX(x)).Message);
    }

    [Fact]
    public void Nan_and_infinity_in_a_csv_are_refused_naming_line_and_column()
    {
        var e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Parse("x,y,label\n1,2,0\n3,NaN,1\n", sourceName: "nan.csv"));
        Assert.Equal("nan.csv, line 3, column 2: 'NaN' in 'y' is not a finite number (NaN or too large). Replace it with an ordinary number or remove the row.", e.Message);
        e = Assert.Throws<DataFormatException>(() => NeuralNet.Data.Csv.Parse("x,y,label\n1,1e999,0\n3,4,1\n", sourceName: "inf.csv"));
        Assert.Equal((2, 2), (e.Line, e.Column));
    }

    private static void Within(TimeSpan limit, string what, Action action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(limit), $"{what} hung");
        if (task.Exception is { } e) throw e.InnerException!;
    }

    // ---- property: no input crashes, hangs or allocates past the bound ----

    [Fact]
    public void Seeded_damaged_gzip_files_either_fail_or_give_exactly_the_original_data()
    {
        // The stronger property for compressed files: damage never yields *other* data silently (today a truncated
        // .csv.gz loads fewer rows, and a truncated IDX .gz whose payload is complete loads without a word).
        string csv = Csv(300, i => (i % 3).ToString());
        var original = NeuralNet.Data.Csv.Parse(csv);
        byte[] gz = TempFolder.Gzip(Encoding.UTF8.GetBytes(csv));
        var random = new System.Random(1414);
        int refused = 0;
        for (int n = 0; n < 150; n++)
        {
            var b = gz.ToArray();
            string what;
            if (random.Next(0, 2) == 0)
            {
                int keep = (int)random.Next(0, b.Length);
                b = b[..keep];
                what = $"truncated to {keep} of {gz.Length}";
            }
            else
            {
                int at = (int)random.Next(10, b.Length);
                b[at] ^= (byte)(1 << (int)random.Next(0, 8));
                what = $"bit flip at {at}";
            }
            string path = _temp.WriteBytes($"damaged-{n}.csv.gz", b);
            Within(TimeSpan.FromSeconds(20), $"case {n} ({what})", () =>
            {
                try
                {
                    var data = NeuralNet.Data.Csv.Load(path);
                    Assert.True(data.X.Equals(original.X) && data.Labels.SequenceEqual(original.Labels), $"case {n} ({what}) loaded other data without an error");
                }
                catch (DataFormatException) { Interlocked.Increment(ref refused); }
            });
        }
        Assert.True(refused > 100, $"only {refused} of 150 damaged files were refused");
    }
}
