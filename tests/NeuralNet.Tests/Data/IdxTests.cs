using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // Three 2 × 3 images whose pixel (r, c) of image i is 10·i + 3·r + c, and labels 2, 0, 1.
    private static byte[] ImagePixels() =>
        Enumerable.Range(0, 3).SelectMany(i => Enumerable.Range(0, 6).Select(p => (byte)(10 * i + p / 3 * 3 + p % 3))).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Round_trip_of_a_small_file_written_by_the_test(bool gzip)
    {
        var images = _temp.File($"img-{gzip}");
        var labels = _temp.File($"lab-{gzip}");
        Idx.Write(images, [3, 2, 3], ImagePixels(), gzip);
        Idx.Write(labels, [3], [2, 0, 1], gzip);

        var raw = Idx.Read(images);
        Assert.Equal([3, 2, 3], raw.Dimensions);
        Assert.Equal(ImagePixels(), raw.Values);

        var data = Idx.LoadImagesAndLabels(images, labels);
        Assert.Equal(3, data.Count);
        Assert.Equal(6, data.Features);
        Assert.Equal([2, 0, 1], data.Labels);
        Assert.Equal(3, data.ClassCount);
        // Image 2, pixel (row 1, column 2) is feature 1·3 + 2 of column 2, scaled by 1/255.
        Assert.Equal((10 * 2 + 3 + 2) / 255.0, data.X[5, 2]);
        Assert.Equal(0.0, data.X[0, 0]);
    }

    private (string Images, string Labels) Pair(byte[] labels)
    {
        string images = _temp.WriteBytes("slip-images", TempFolder.Idx([labels.Length, 2, 2], new byte[labels.Length * 4]));
        return (images, _temp.WriteBytes("slip-labels", TempFolder.Idx([labels.Length], labels)));
    }

    [Fact]
    public void One_label_far_above_the_others_is_refused_as_a_csv_label_would_be()
    {
        // 0 … 9, five of each, and one 200: 201 classes, 191 of them empty — it trained, and reached 0 % accuracy.
        byte[] labels = [.. Enumerable.Range(0, 50).Select(i => (byte)(i % 10)), 200, 3];
        var (images, path) = Pair(labels);
        var e = Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(images, path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal($"{path}: label 50 (byte offset 58) is 200, which would make 201 classes (0 to 200), but only 11 different labels occur; " +
            "190 classes would have no sample (e.g. 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, … (190 in all)). One label is probably wrong, or this is not the labels file of these images.", e.Message);
        // A few absent classes are no slip (a small file may lack some); with names, the labels are what the names say.
        var (few, fewLabels) = Pair([0, 1, 1, 4, 4, 0]);
        Assert.Equal(5, Idx.LoadImagesAndLabels(few, fewLabels).ClassCount);
        var (more, named) = Pair([1, 2, 3, 1, 2, 3, 1, 2, 3]);
        Assert.Equal(4, Idx.LoadImagesAndLabels(more, named, ["none", "a", "b", "c"]).ClassCount);
    }

    [Fact]
    public void Labels_that_look_one_based_are_refused_as_a_csv_label_column_would_be()
    {
        var (images, path) = Pair([.. Enumerable.Range(0, 30).Select(i => (byte)(1 + i % 10))]);
        var e = Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(images, path));
        Assert.Equal($"{path}: the labels run from 1 to 10 and none is 0: they look 1-based. Class indices start at 0, so class 0 would be empty. " +
            "Subtract 1 from every label, or give the class names (the classNames argument).", e.Message);
    }


    [Fact]
    public void Compression_is_detected_by_content_not_by_name()
    {
        var gz = _temp.WriteBytes("labels.raw", TempFolder.Gzip(TempFolder.Idx([2], [1, 0])));
        var plain = _temp.WriteBytes("labels.gz", TempFolder.Idx([2], [1, 0]));
        Assert.Equal(Idx.Read(gz).Values, Idx.Read(plain).Values);
    }

    [Fact]
    public void WriteImagesAndLabels_round_trips_a_data_set()
    {
        var data = Idx.LoadImagesAndLabels(
            _temp.WriteBytes("i", TempFolder.Idx([3, 2, 3], ImagePixels())),
            _temp.WriteBytes("l", TempFolder.Idx([3], [2, 0, 1])),
            ["a", "b", "c"]);
        Idx.WriteImagesAndLabels(data, _temp.File("i2.gz"), _temp.File("l2.gz"), [2, 3]);
        var again = Idx.LoadImagesAndLabels(_temp.File("i2.gz"), _temp.File("l2.gz"), data.ClassNames);
        Assert.Equal(data.X, again.X);
        Assert.Equal(data.Labels, again.Labels);
        Assert.Equal(data.ClassNames, again.ClassNames);
    }

    // ---- malformed single files ---------------------------------------------------------------

    public static TheoryData<string, byte[], string> MalformedFiles() => new()
    {
        { "empty", [], "the file is empty" },
        { "three-bytes", [0, 0, 8], "only 3 bytes long" },
        { "zip", [(byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0], "It is a zip archive" },
        { "text", "1,2,3\n4,5,6\n"u8.ToArray(), "starts with 31 2c" },
        { "float", TempFolder.Idx([1], [0, 0, 0, 0], type: 0x0D), "0x0d (32-bit float); only unsigned bytes (0x08)" },
        { "bad-type", TempFolder.Idx([1], [0], type: 0x42), "0x42, which is not an IDX element type" },
        { "no-dims", [0, 0, 8, 0, 1, 2], "0 dimensions" },
        { "short-header", [0, 0, 8, 3, 0, 0, 0, 2, 0], "ends inside the header: 3 dimensions need 12 bytes after the first 4, but only 5" },
        { "zero-dim", TempFolder.Idx([2, 0, 3], []), "dimension 2 of 3 is 0" },
        { "huge-claim", TempFolder.Idx([1_000_000, 1_000_000], [1, 2, 3]), "1000000 × 1000000 values, more than the 1024 MiB" },
        { "huge-uint-claim", [0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1], "4294967295 × 4294967295 values" },
        { "truncated", TempFolder.Idx([4, 2], [1, 2, 3]), "8 bytes of data, but the file has only 3 after the 12-byte header. It is truncated" },
        { "too-long", TempFolder.Idx([2], [1, 2, 3]), "(1 too many)" },
        { "gz-truncated", TempFolder.Gzip(TempFolder.Idx([4, 2], [1, 2, 3])), "but only 3 follow the 12-byte header (after gzip decompression)" },
        { "gz-too-long", TempFolder.Gzip(TempFolder.Idx([2], [1, 2, 3])), "more bytes follow them (after gzip decompression)" },
        { "gz-broken", BrokenGzip(), "the gzip compression is damaged" },
        { "gz-of-text", TempFolder.Gzip("hello"u8.ToArray()), "starts with 68 65 (after gzip decompression)" },
    };

    // A gzip file whose first deflate block has the reserved block type 11.
    private static byte[] BrokenGzip()
    {
        var gz = TempFolder.Gzip(TempFolder.Idx([2], [1, 2]));
        gz[10] = 0xFF;
        return gz;
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_idx_is_rejected_with_a_clear_message(string name, byte[] bytes, string expected)
    {
        var path = _temp.WriteBytes(name, bytes);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_header_claiming_half_a_gigabyte_over_a_tiny_gzip_does_not_allocate_it()
    {
        var path = _temp.WriteBytes("claim.gz", TempFolder.Gzip(TempFolder.Idx([1 << 15, 1 << 14], new byte[100])));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("only 100 follow", e.Message);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Missing_file_and_folder_are_named()
    {
        var missing = _temp.File("nothing-here");
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(missing));
        Assert.Contains("file not found", e.Message);
        Assert.Contains(Path.GetFullPath(missing), e.Message);
        Assert.Contains("this is a folder", Assert.Throws<DataFormatException>(() => Idx.Read(_temp.Path)).Message);
    }

    // ---- malformed pairs -----------------------------------------------------------------------

    [Fact]
    public void Images_and_labels_must_pair_up()
    {
        var images = _temp.WriteBytes("images", TempFolder.Idx([3, 2, 3], ImagePixels()));
        var fourLabels = _temp.WriteBytes("labels4", TempFolder.Idx([4], [0, 1, 0, 1]));
        var e = Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(images, fourLabels));
        Assert.Equal(fourLabels, e.FilePath);
        Assert.Contains($"it has 4 labels but the images file {images} has 3 images", e.Message);

        var twoDimLabels = _temp.WriteBytes("labels2d", TempFolder.Idx([3, 1], [0, 1, 0]));
        Assert.Contains("a labels file needs 1 dimension (the count), but this one has 2 (3 × 1)",
            Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(images, twoDimLabels)).Message);

        var labels = _temp.WriteBytes("labels", TempFolder.Idx([3], [0, 1, 0]));
        e = Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(labels, labels));
        Assert.Contains("an images file needs at least 2 dimensions", e.Message);
        Assert.Equal(labels, e.FilePath);

        var badLabel = _temp.WriteBytes("labels-bad", TempFolder.Idx([3], [0, 12, 1]));
        Assert.Contains("label 1 (byte offset 9) is 12, but there are only 10 classes",
            Assert.Throws<DataFormatException>(() => Idx.LoadImagesAndLabels(images, badLabel, FashionMnist.ClassNames)).Message);
    }
}
