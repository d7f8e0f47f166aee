using System.IO.Compression;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Decompresses a gzip file as gzip tools read it — member after member, for a file of several concatenated members
/// (<c>cat a.gz b.gz</c>, <c>bgzip</c>, <c>pigz --independent</c>) — and checks each member's trailer, the CRC-32 and
/// length of its data written last, against what was decompressed. .NET's <see cref="GZipStream"/> stops without an
/// error when a file is cut short, so without this a truncated <c>.gz</c> would be read as far as it goes and used as
/// if complete. It also stops with an error once more than a given number of bytes have come out, so a small file
/// cannot expand without bound.
/// </summary>
/// <remarks>
/// Each member's header is read here (its optional extra field, name, comment and header CRC skipped, as gzip does) and
/// its deflate data inflated by a <see cref="DeflateStream"/>, which stops at the data's end. Where that end is in the
/// file is found from the trailer: the 8 bytes that hold the CRC-32 and length just computed, within the last stretch
/// the inflater read. Zero bytes after the last member (padding) are ignored, as gzip ignores them; anything else there
/// is an error.
/// </remarks>
internal sealed class CheckedGzipStream : Stream
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>How far before the inflater's read position a member's end may lie: far more than its input buffer.</summary>
    private const int Window = 1 << 17;

    private readonly Stream _file;
    private readonly string _name;
    private readonly long _maxBytes;
    private readonly long _length;
    private DeflateStream? _member;
    private long _bodyStart;
    private uint _crc;
    private long _memberBytes;
    private long _total;
    private bool _done;

    /// <param name="file">The whole file, positioned at its start; must be seekable (to find the members' ends).</param>
    /// <param name="name">The file's name for messages.</param>
    /// <param name="maxBytes">The most this may decompress to.</param>
    public CheckedGzipStream(Stream file, string name, long maxBytes)
    {
        _file = file;
        _name = name;
        _maxBytes = maxBytes;
        _length = file.Length;
        if (_length < 18)
            throw new DataFormatException(name, null, null,
                Invariant($"the file is only {_length} bytes long, too short for gzip data (a gzip header and trailer alone take 18 bytes). It is truncated: get a fresh copy."));
        StartMember(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        while (!_done)
        {
            int n = _member!.Read(buffer);
            if (n > 0)
            {
                _total += n;
                if (_total > _maxBytes)
                    throw new DataFormatException(_name, null, null,
                        $"the gzip data decompresses to more than {MemoryBudget.Describe(_maxBytes)}, more than this loader reads. " +
                        "It is not the file you meant, or it is damaged.");
                uint crc = _crc;
                foreach (byte b in buffer[..n]) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
                _crc = crc;
                _memberBytes += n;
                return n;
            }
            long next = EndOfMember();
            _member.Dispose();
            _member = null;
            if (next == _length || OnlyZerosFrom(next)) _done = true;
            else StartMember(next);
        }
        return 0;
    }

    /// <summary>Reads the gzip header of the member at <paramref name="offset"/> and starts inflating its data.</summary>
    private void StartMember(long offset)
    {
        _file.Position = offset;
        Span<byte> head = stackalloc byte[10];
        if (_file.ReadAtLeast(head, 10, throwOnEndOfStream: false) < 10) throw Truncated();
        if (head[0] != 0x1f || head[1] != 0x8b)
            throw new DataFormatException(_name, null, null,
                Invariant($"after the gzip data that ends at byte {offset:N0}, {_length - offset:N0} bytes follow that are not gzip data (they start with {head[0]:x2} {head[1]:x2}). ") +
                "Something was appended to the file, or it is damaged ('gzip -t' says \"trailing garbage ignored\"). Get a fresh copy of the file.");
        if (head[2] != 8)
            throw new DataFormatException(_name, null, null,
                Invariant($"the gzip member at byte {offset:N0} says compression method {head[2]}, but gzip has only deflate (8). The file is damaged: get a fresh copy."));
        byte flags = head[3];
        if ((flags & 0xE0) != 0)
            throw new DataFormatException(_name, null, null,
                Invariant($"the gzip member at byte {offset:N0} has reserved flag bits set (flags {flags:x2}). The file is damaged: get a fresh copy."));
        if ((flags & 0x04) != 0)   // FEXTRA: a length, then that many bytes (bgzip keeps its block size there)
        {
            Span<byte> extra = stackalloc byte[2];
            if (_file.ReadAtLeast(extra, 2, throwOnEndOfStream: false) < 2) throw Truncated();
            Skip(extra[0] | (extra[1] << 8));
        }
        if ((flags & 0x08) != 0) SkipZeroTerminated();   // FNAME: the original file name
        if ((flags & 0x10) != 0) SkipZeroTerminated();   // FCOMMENT
        if ((flags & 0x02) != 0)                         // FHCRC: the low 16 bits of the CRC-32 of the header so far, checked as gzip checks it
        {
            long end = _file.Position;
            var header = new byte[end - offset];
            _file.Position = offset;
            _file.ReadExactly(header);
            Span<byte> stored = stackalloc byte[2];
            if (_file.ReadAtLeast(stored, 2, throwOnEndOfStream: false) < 2) throw Truncated();
            uint crc = 0xFFFFFFFF;
            foreach (byte b in header) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            if ((ushort)~crc != (stored[0] | (stored[1] << 8)))
                throw new DataFormatException(_name, null, null,
                    Invariant($"the gzip member at byte {offset:N0} has a header checksum that does not match its header. The file is damaged: get a fresh copy."));
        }
        _bodyStart = _file.Position;
        _crc = 0xFFFFFFFF;
        _memberBytes = 0;
        _member = new DeflateStream(_file, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>
    /// The member's deflate data has ended: finds its trailer — the CRC-32 and length of what came out — where the data
    /// ended, and returns the offset after it (the next member's start). A file cut short has no such trailer.
    /// </summary>
    private long EndOfMember()
    {
        long read = _file.Position;   // the inflater read this far; the data ended inside what it read
        long from = Math.Max(_bodyStart, read - Window), to = Math.Min(read, _length - 8);
        if (to < from) throw Truncated();
        var bytes = new byte[to - from + 8];
        _file.Position = from;
        _file.ReadExactly(bytes);
        uint crc = ~_crc, size = unchecked((uint)_memberBytes);
        long? first = null;
        for (int i = 0; i + 8 <= bytes.Length; i++)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) != crc
                || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i + 4)) != size) continue;
            // The 8 bytes match; the trailer is the match after which the file ends, pads with zeros, or the next member
            // starts (an empty member's trailer of zeros also matches one byte early, inside its own deflate data).
            long after = from + i + 8;
            if (after == _length || IsMemberStart(after) || OnlyZerosFrom(after)) return after;
            first ??= after;
        }
        return first ?? throw Truncated();   // followed by something else: StartMember says what
    }

    private bool IsMemberStart(long offset)
    {
        Span<byte> magic = stackalloc byte[2];
        _file.Position = offset;
        return _file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private bool OnlyZerosFrom(long offset)
    {
        _file.Position = offset;
        var buffer = new byte[Math.Min(1 << 16, _length - offset)];
        int n;
        while ((n = _file.Read(buffer)) > 0)
            if (buffer.AsSpan(0, n).ContainsAnyExcept((byte)0)) return false;
        return true;
    }

    private void Skip(int count)
    {
        if (_file.Position + count > _length) throw Truncated();
        _file.Position += count;
    }

    private void SkipZeroTerminated()
    {
        int b;
        while ((b = _file.ReadByte()) > 0) { }
        if (b < 0) throw Truncated();
    }

    private DataFormatException Truncated() => new(_name, null, null,
        Invariant($"the gzip data is incomplete: the file is truncated (or damaged) — it ends after {_total:N0} decompressed bytes without the gzip end marker that matches them ") +
        "('gzip -t' says \"unexpected end of file\"). Get a fresh copy of the file.");

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
            _member?.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
