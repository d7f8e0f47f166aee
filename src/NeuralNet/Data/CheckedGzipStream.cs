using System.IO.Compression;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Decompresses a gzip file and, at its end, checks the gzip trailer — the CRC-32 and length of the data, written
/// last — against what was decompressed. .NET's <see cref="GZipStream"/> stops without an error when a file is cut
/// short, so without this a truncated <c>.gz</c> would be read as far as it goes and used as if complete. It also
/// stops with an error once more than a given number of bytes have come out, so a small file cannot expand without bound.
/// </summary>
/// <remarks>Checks one gzip member (what gzip, pigz and .NET write); a file of several concatenated members is reported as damaged.</remarks>
internal sealed class CheckedGzipStream : Stream
{
    private static readonly uint[] Table = MakeTable();

    private readonly Stream _file;
    private readonly GZipStream _gzip;
    private readonly string _name;
    private readonly long _maxBytes;
    private readonly uint _expectedCrc;
    private readonly uint _expectedLength;
    private uint _crc = 0xFFFFFFFF;
    private long _total;
    private bool _verified;

    /// <param name="file">The whole file, positioned at its start; must be seekable (to read the trailer first).</param>
    /// <param name="name">The file's name for messages.</param>
    /// <param name="maxBytes">The most this may decompress to.</param>
    public CheckedGzipStream(Stream file, string name, long maxBytes)
    {
        _file = file;
        _name = name;
        _maxBytes = maxBytes;
        long length = file.Length;
        if (length < 18)
            throw new DataFormatException(name, null, null,
                Invariant($"the file is only {length} bytes long, too short for gzip data (a gzip header and trailer alone take 18 bytes). It is truncated: get a fresh copy."));
        Span<byte> trailer = stackalloc byte[8];
        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Seek(0, SeekOrigin.Begin);
        _expectedCrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        _expectedLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        _gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>How many bytes have been decompressed so far.</summary>
    public long Decompressed => _total;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        int n = _gzip.Read(buffer);
        if (n == 0)
        {
            Verify();
            return 0;
        }
        _total += n;
        if (_total > _maxBytes)
            throw new DataFormatException(_name, null, null,
                $"the gzip data decompresses to more than {MemoryBudget.Describe(_maxBytes)}, more than this loader reads. " +
                "It is not the file you meant, or it is damaged.");
        uint crc = _crc;
        foreach (byte b in buffer[..n]) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _crc = crc;
        return n;
    }

    private void Verify()
    {
        if (_verified) return;
        _verified = true;
        uint crc = ~_crc;
        if (crc != _expectedCrc || (uint)_total != _expectedLength)
            throw new DataFormatException(_name, null, null,
                Invariant($"the gzip data is incomplete: the file is truncated (or damaged) — it ends after {_total:N0} decompressed bytes without the gzip end marker that matches them ") +
                "('gzip -t' says \"unexpected end of file\"). Get a fresh copy of the file.");
    }

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
