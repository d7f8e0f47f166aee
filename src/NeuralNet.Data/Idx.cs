using System.Globalization;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions and its values, in file (row-major) order.</summary>
/// <param name="Dimensions">The size of each dimension, outermost first (for MNIST images: count, 28, 28).</param>
/// <param name="Values">The values, the last dimension changing fastest; their number is the product of the dimensions.</param>
internal sealed record IdxArray(int[] Dimensions, byte[] Values);

/// <summary>
/// Reads and writes IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number
/// (0, 0, element type, number of dimensions), each dimension as a big-endian 32-bit integer, then the
/// values. Files may be gzip-compressed; that is recognised by the content (bytes 1f 8b), not the name.
/// Only the unsigned-byte element type (0x08) is supported, which is what MNIST-style data sets use.
/// </summary>
public static class Idx
{
    /// <summary>The largest payload, in bytes, a file may declare (1 GiB; full Fashion-MNIST training images are 47 MB).</summary>
    internal const long MaxPayloadBytes = 1L << 30;

    /// <summary>
    /// Reads an IDX file of unsigned bytes. Before anything large is allocated, the header is checked and the
    /// size it declares is compared with what the file holds, so a corrupt header fails fast with a clear message.
    /// </summary>
    /// <exception cref="DataFormatException">when the file is missing, unreadable, or not a valid IDX file of unsigned bytes.</exception>
    internal static IdxArray Read(string path) => Read(path, asDoubles: false);

    /// <summary>As <see cref="Read(string)"/>; with <paramref name="asDoubles"/> the payload is also checked, from the header alone, to fit the memory budget as doubles (8 bytes a value).</summary>
    internal static IdxArray Read(string path, bool asDoubles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SafeFile.CheckReadable(path, "the IDX file", (message, inner) => new DataFormatException(path, null, null, message, inner));
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> magic = stackalloc byte[2];
            int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                // Bounded: the header's declared size (itself capped) is all that is ever read, plus one byte to see the end.
                using var gzip = new CheckedGzipStream(file, path, MaxPayloadBytes + 4 + 4 * 255 + 1);
                return ReadStream(gzip, path, compressed: true, knownLength: null, asDoubles);
            }
            return ReadStream(file, path, compressed: false, knownLength: file.Length, asDoubles);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            string what = e is InvalidDataException ? "the gzip compression is damaged" : "the file could not be read";
            throw new DataFormatException(path, null, null, $"{what} ({e.Message}). Get a fresh copy of the file.", e);
        }
    }

    /// <summary>
    /// Loads an images file and a labels file (IDX, unsigned bytes) as a <see cref="LabeledData"/>: each image
    /// becomes one column of <c>X</c> (its pixels row by row, scaled from 0…255 to [0, 1]), and its label the class index.
    /// </summary>
    /// <param name="imagesPath">Images: at least 2 dimensions, the first is the number of images (for example count × 28 × 28).</param>
    /// <param name="labelsPath">Labels: 1 dimension, one byte per image.</param>
    /// <param name="classNames">The class names; labels must be below their number. Null names the classes "0" … up to the largest label.</param>
    /// <exception cref="DataFormatException">when either file is bad, or the two do not match.</exception>
    public static LabeledData LoadImagesAndLabels(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var images = Read(imagesPath, asDoubles: true);
        if (images.Dimensions.Length < 2)
            throw new DataFormatException(imagesPath, null, null,
                Invariant($"an images file needs at least 2 dimensions (count, then the size of one image), but this one has {images.Dimensions.Length} ({Shape(images.Dimensions)}). Is it a labels file?"));
        var labels = Read(labelsPath);
        if (labels.Dimensions.Length != 1)
            throw new DataFormatException(labelsPath, null, null,
                Invariant($"a labels file needs 1 dimension (the count), but this one has {labels.Dimensions.Length} ({Shape(labels.Dimensions)}). Is it an images file?"));
        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
            throw new DataFormatException(labelsPath, null, null,
                Invariant($"it has {labels.Dimensions[0]} labels but the images file {imagesPath} has {count} images; they must pair one to one. Check that both files come from the same set (train or test)."));
        for (int j = 0; j < count; j++)
        {
            if (classNames is not null && labels.Values[j] >= classNames.Count)
                throw new DataFormatException(labelsPath, null, null,
                    Invariant($"label {j} (byte offset {8 + j}) is {labels.Values[j]}, but there are only {classNames.Count} classes (0 to {classNames.Count - 1})."));
        }
        if (classNames is null)
        {
            // Without names the labels are class indices 0 … the largest: checked for the slips a CSV label column is checked for.
            var counts = new int[labels.Values.Max() + 1];
            foreach (byte label in labels.Values) counts[label]++;
            if (ClassIndices.Find(counts, counts.Count(c => c > 0)) is { } slip)
            {
                int largest = Array.IndexOf(labels.Values, (byte)(counts.Length - 1));
                throw new DataFormatException(labelsPath, null, null, slip.Message("the labels",
                    Invariant($"label {largest} (byte offset {8 + largest}) is {counts.Length - 1}, which"), "the classNames argument", "this is not the labels file of these images"));
            }
        }
        int pixels = images.Values.Length / count;
        var x = new double[images.Values.Length];
        for (int i = 0; i < x.Length; i++) x[i] = images.Values[i] / 255.0;
        int[] y = Array.ConvertAll(labels.Values, b => (int)b);
        return new LabeledData(Matrix<double>.Build.Dense(pixels, count, x), y, classNames);
    }

    /// <summary>
    /// Loads an images file (IDX, unsigned bytes, at least 2 dimensions: count, then the size of one image) as a
    /// (pixels × images) matrix scaled from 0…255 to [0, 1] — new samples to score with a model trained on such images.
    /// The header is checked against the memory budget before anything is decompressed or allocated.
    /// </summary>
    /// <exception cref="DataFormatException">when the file is bad or is a labels file.</exception>
    public static Matrix<double> LoadImages(string path)
    {
        var images = Read(path, asDoubles: true);
        if (images.Dimensions.Length < 2)
            throw new DataFormatException(path, null, null,
                Invariant($"this IDX file has 1 dimension ({images.Dimensions[0]} values): it is a labels file, not images (count × height × width)."));
        int count = images.Dimensions[0];
        int pixels = images.Values.Length / count;
        var x = new double[images.Values.Length];
        for (int i = 0; i < x.Length; i++) x[i] = images.Values[i] / 255.0;
        return Matrix<double>.Build.Dense(pixels, count, x);
    }

    /// <summary>
    /// Writes an IDX file of unsigned bytes (gzip-compressed when <paramref name="gzip"/> is true). The file is written
    /// beside the target under a temporary name and renamed over it, so a crash mid-way leaves the previous file whole.
    /// The new file keeps the previous one's permissions, but it is a new file: other hard links to the previous file
    /// keep the old contents. A symbolic link is followed: the file it points to is replaced and the link kept.
    /// </summary>
    /// <exception cref="ArgumentException">when the values do not fill the dimensions exactly.</exception>
    /// <exception cref="DataFormatException">when the path is a folder, a device or a read-only file, or the file cannot be written there.</exception>
    internal static void Write(string path, int[] dimensions, ReadOnlySpan<byte> values, bool gzip = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is 0 or > 255 || dimensions.Any(d => d <= 0))
            throw new ArgumentException($"An IDX file needs 1 to 255 dimensions, each at least 1; got {Shape(dimensions)}.", nameof(dimensions));
        long expected = dimensions.Aggregate(1L, (p, d) => checked(p * d));
        if (expected != values.Length)
            throw new ArgumentException(Invariant($"Dimensions {Shape(dimensions)} need {expected} values, but {values.Length} were given."), nameof(values));
        DataFormatException Error(string message, Exception? inner) => new(path, null, null, message, inner);
        string full = SafeFile.CheckWritable(path, null, gzip ? "data.idx.gz" : "data.idx", "an IDX file", Error);
        SafeFile.WriteAtomically(full, values, (file, payload) =>
        {
            using var compressed = gzip ? new GZipStream(file, CompressionLevel.SmallestSize, leaveOpen: true) : null;
            Stream stream = compressed ?? file;
            stream.Write([0, 0, 0x08, (byte)dimensions.Length]);
            Span<byte> word = stackalloc byte[4];
            foreach (int d in dimensions)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word, d);
                stream.Write(word);
            }
            stream.Write(payload);
        }, (reason, e) => Error(
            $"could not write the file{(full == SafeFile.FullPath(path) ? "" : $" it leads to, {full}")}: {reason} The previous file there, if any, is unchanged.", e));
    }

    /// <summary>
    /// Writes a data set as an images file and a labels file: each column of <c>X</c>, values in [0, 1], is
    /// stored as <paramref name="imageShape"/> bytes (value × 255, rounded). Labels must be below 256.
    /// </summary>
    internal static void WriteImagesAndLabels(LabeledData data, string imagesPath, string labelsPath, int[] imageShape, bool gzip = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(imageShape);
        long pixels = imageShape.Aggregate(1L, (p, d) => checked(p * d));
        if (pixels != data.Features)
            throw new ArgumentException(Invariant($"Image shape {Shape(imageShape)} has {pixels} pixels, but the data has {data.Features} features."), nameof(imageShape));
        if (data.Labels.Any(l => l > 255))
            throw new ArgumentException("IDX labels are bytes: every label must be below 256.", nameof(data));
        double[] x = data.X.AsColumnMajorArray() ?? data.X.ToColumnMajorArray();
        var bytes = new byte[x.Length];
        for (int i = 0; i < x.Length; i++) bytes[i] = (byte)Math.Clamp(Math.Round(x[i] * 255.0), 0, 255);
        Write(imagesPath, [data.Count, .. imageShape], bytes, gzip);
        Write(labelsPath, [data.Count], Array.ConvertAll(data.Labels, l => (byte)l), gzip);
    }

    private static string Shape(IEnumerable<int> dims) => string.Join(" × ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    private static string ElementTypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "unknown",
    };

    private static IdxArray ReadStream(Stream stream, string path, bool compressed, long? knownLength, bool asDoubles)
    {
        string source = compressed ? " (after gzip decompression)" : "";
        Span<byte> head = stackalloc byte[4];
        int got = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (got == 0)
            throw new DataFormatException(path, null, null, $"the file is empty{source}. Get a fresh copy of the file.");
        if (got < 4)
            throw new DataFormatException(path, null, null, Invariant($"the file is only {got} bytes long{source}, too short for the 4-byte IDX header. It is truncated: get a fresh copy."));
        if (head[0] != 0 || head[1] != 0)
        {
            string guess = head[0] == 'P' && head[1] == 'K' ? " It is a zip archive: extract the IDX file from it first."
                : head[0] == 0x89 && head[1] == 'P' ? " It is a PNG image."
                : head[0] < 0x80 && head[1] < 0x80 && head[0] >= 0x09 && head[1] >= 0x09 ? " It looks like text: a CSV file is loaded with Csv.Load."
                : "";
            throw new DataFormatException(path, null, null,
                Invariant($"this is not an IDX file: it must start with bytes 00 00 (then the element type and the number of dimensions), but starts with {head[0]:x2} {head[1]:x2}{source}.{guess}"));
        }
        byte type = head[2];
        if (type != 0x08)
        {
            string what = ElementTypeName(type) == "unknown"
                ? Invariant($"0x{type:x2}, which is not an IDX element type")
                : Invariant($"0x{type:x2} ({ElementTypeName(type)})");
            throw new DataFormatException(path, null, null,
                $"the element type (byte 3) is {what}; only unsigned bytes (0x08), as in MNIST and Fashion-MNIST, are supported.");
        }
        int dimCount = head[3];
        if (dimCount == 0)
            throw new DataFormatException(path, null, null, "the header says the file has 0 dimensions (byte 4); an IDX file of data has at least 1.");

        var dimBytes = new byte[4 * dimCount];
        got = stream.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false);
        if (got < dimBytes.Length)
            throw new DataFormatException(path, null, null,
                Invariant($"the file ends inside the header{source}: {dimCount} dimensions need {dimBytes.Length} bytes after the first 4, but only {got} are there. It is truncated: get a fresh copy."));
        var sizes = new uint[dimCount];
        long payload = 1;
        for (int d = 0; d < dimCount; d++)
        {
            sizes[d] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * d));
            if (sizes[d] == 0)
                throw new DataFormatException(path, null, null, Invariant($"dimension {d + 1} of {dimCount} is 0 (byte offset {4 + 4 * d}), so the file holds no data."));
            payload = Math.Min(payload * sizes[d], MaxPayloadBytes + 1);   // capped, so it cannot overflow
        }
        long headerLength = 4 + 4L * dimCount;
        string declared = $"the header declares {string.Join(" × ", sizes)}";
        if (payload > MaxPayloadBytes)
            throw new DataFormatException(path, null, null,
                Invariant($"{declared} values, more than the {MaxPayloadBytes / (1 << 20)} MiB this loader accepts; the header is probably damaged."));
        if (asDoubles && dimCount >= 2)
        {
            long perItem = payload / sizes[0];
            try { MemoryBudget.CheckMatrix(perItem, sizes[0], Invariant($"the images as doubles ({perItem:N0} pixels × {sizes[0]:N0} images)")); }
            catch (ArgumentException e)
            {
                throw new DataFormatException(path, null, null, $"{declared} values; {e.Message} Nothing was decompressed or allocated for it.", e);
            }
        }
        if (knownLength is long length && length - headerLength != payload)
        {
            long actual = length - headerLength;
            throw new DataFormatException(path, null, null, actual < payload
                ? Invariant($"{declared} = {payload} bytes of data, but the file has only {actual} after the {headerLength}-byte header. It is truncated (or the header is damaged): get a fresh copy.")
                : Invariant($"{declared} = {payload} bytes of data, but the file has {actual} after the {headerLength}-byte header ({actual - payload} too many). The header or the file is damaged: get a fresh copy."));
        }

        // Read the payload. For a compressed file the real size is only known by decompressing, so the buffer
        // grows with the data actually there (a damaged header cannot make it allocate more than the data).
        int expected = (int)payload;
        var values = new byte[Math.Min(expected, 1 << 20)];
        int filled = 0;
        while (true)
        {
            if (filled == values.Length)
            {
                if (values.Length == expected) break;
                Array.Resize(ref values, (int)Math.Min((long)values.Length * 2, expected));
            }
            int read = stream.Read(values, filled, values.Length - filled);
            if (read == 0) break;
            filled += read;
        }
        if (filled < expected)
            throw new DataFormatException(path, null, null,
                Invariant($"{declared} = {expected} bytes of data, but only {filled} follow the {headerLength}-byte header{source}. It is truncated (or the header is damaged): get a fresh copy."));
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0)
            throw new DataFormatException(path, null, null,
                Invariant($"{declared} = {expected} bytes of data, but more bytes follow them{source}. The header or the file is damaged: get a fresh copy."));
        return new IdxArray(Array.ConvertAll(sizes, v => (int)v), values);
    }
}
