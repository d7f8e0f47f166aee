using System.Globalization;
using System.Text;
using NeuralNet.Numerics;
using static System.FormattableString;

namespace NeuralNet.Data;

// Opening a CSV file as text: gzip, byte-order marks, and where a file is not UTF-8.
public static partial class Csv
{
    private static TextReader OpenText(string path, string shown)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[4];
            int n = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            file.Position = 0;
            Stream stream = file;
            if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
                stream = new CheckedGzipStream(file, shown, MemoryBudget.Bytes);
            else if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && head[3] is >= 1 and <= 4)
                throw new DataFormatException(shown, null, null, "this is an IDX file (the MNIST image/label format), not CSV text. Load it with Idx.LoadImagesAndLabels.");
            else if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
                throw new DataFormatException(shown, null, null, "this is a zip archive, not CSV text. Extract the .csv file from it first.");
            // Strict: bytes that are not UTF-8 stop the reading (NotUtf8 then says where), instead of becoming � in a class name.
            return new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The file is not UTF-8 text: the first byte sequence that is not, where it is (line, byte offset, the text before it
    /// on its line) and what to do. Decoding it anyway would change every accented letter of a class name or header into
    /// �, silently renaming classes (Latin-1's "Café" and "Cafe" would stay apart, but "Café" and "Cafè" would merge).
    /// </summary>
    private static DataFormatException NotUtf8(string path, DecoderFallbackException e)
    {
        int? line;
        long offset;
        byte[] bad;
        string before;
        try { (line, offset, bad, before) = FirstInvalidUtf8(path); }
        catch (DataFormatException damaged) { return damaged; }   // the gzip data is damaged there: that is the error to report
        catch (Exception other) when (other is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new DataFormatException(path, null, null, $"could not read the file: {other.Message}", other);
        }
        string hex = string.Join(" ", bad.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        string latin1 = bad.Length == 1 && bad[0] >= 0xA0 ? $" ('{(char)bad[0]}' in Latin-1)" : "";
        string after = before.Length > 0 ? $", after \"{before}\"," : "";
        return new DataFormatException(path, line, null,
            Invariant($"the text is not UTF-8: at byte offset {offset:N0}{after} comes {hex}{latin1}, which is not a UTF-8 character. The file is in another encoding ") +
            "(Latin-1 or Windows-1252, as older spreadsheets save CSV, most likely); read as UTF-8, its class names and headers would be changed. " +
            "Save it as UTF-8 (a spreadsheet's \"CSV UTF-8\"; or iconv -f latin1 -t utf-8 in.csv > out.csv) and load that.", e);
    }

    /// <summary>Finds the first byte sequence of the (decompressed) file that is not UTF-8: its 1-based line, byte offset, bytes, and up to 30 characters before it on its line.</summary>
    private static (int? Line, long Offset, byte[] Bytes, string Before) FirstInvalidUtf8(string path)
    {
        using var reader = OpenText(path, path);
        Stream stream = ((StreamReader)reader).BaseStream;   // nothing read from it yet: the bytes from the start
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length];
        int line = 1, kept = 0;
        long offset = 0;
        var tail = new StringBuilder();
        bool lastWasCr = false;
        while (true)
        {
            int read = stream.Read(buffer.AsSpan(kept));   // what is there: no further into a damaged file than needed
            int length = kept + read;
            if (length == 0) break;
            var status = System.Text.Unicode.Utf8.ToUtf16(buffer.AsSpan(0, length), chars, out int used, out int written,
                replaceInvalidSequences: false, isFinalBlock: read == 0);
            for (int i = 0; i < written; i++)
            {
                char c = chars[i];
                if (c == '\uFEFF') continue;   // a byte-order mark
                if (c == '\n' || c == '\r')
                {
                    if (!(c == '\n' && lastWasCr)) line++;
                    tail.Clear();
                }
                else
                {
                    tail.Append(c);
                    if (tail.Length > 30) tail.Remove(0, tail.Length - 30);
                }
                lastWasCr = c == '\r';
            }
            offset += used;
            if (status == System.Buffers.OperationStatus.InvalidData || (status == System.Buffers.OperationStatus.NeedMoreData && read == 0))
            {
                int n = 1;
                while (n < 4 && used + n < length && (buffer[used + n] & 0xC0) == 0x80) n++;   // a broken sequence: its lead and continuation bytes
                return (line, offset, buffer.AsSpan(used, Math.Min(n, length - used)).ToArray(), tail.ToString().Trim());
            }
            kept = length - used;   // a sequence cut by the buffer's end: keep it for the next round
            buffer.AsSpan(used, kept).CopyTo(buffer);
            if (read == 0) break;
        }
        return (null, offset, [], "");
    }
}
