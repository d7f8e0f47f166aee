using System.Text;
using static System.FormattableString;

namespace NeuralNet.Data;

// Splitting the text into records and fields: the delimiter, quoting, and what a binary file looks like.
public static partial class Csv
{
    private static char DetectDelimiter(Func<TextReader> open, string name)
    {
        // Looks at the first non-blank line, reading at most MaxColumns · 64 characters of it (a huge one-line file is
        // not loaded into one string here; the record reader then refuses it with its own limits).
        using var reader = open();
        int tabs = 0, semicolons = 0, lineNumber = 1, seen = 0;
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) != -1 && seen++ < MaxColumns * 64)
        {
            if (c == 0) throw BinaryFile(name, lineNumber);
            if (c is '\n' or '\r')
            {
                if (any && !quoted) break;
                if (c == '\n') lineNumber++;
                continue;
            }
            if (!char.IsWhiteSpace((char)c)) any = true;
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '\t') tabs++;
            else if (!quoted && c == ';') semicolons++;
        }
        if (tabs > semicolons) return '\t';
        return semicolons > 0 ? ';' : ',';
    }

    private static DataFormatException BinaryFile(string name, int line) =>
        new(name, line, null, "the file contains a NUL character, so it is a binary file, not CSV text. Check that you gave the right file (an IDX file is loaded with Idx.LoadImagesAndLabels).");

    private static string Describe(char delimiter) => delimiter switch
    {
        ',' => "commas (',')",
        ';' => "semicolons (';')",
        '\t' => "tabs",
        _ => $"'{delimiter}'",
    };

    internal static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "…";

    /// <summary>Splits CSV text into records of trimmed fields, tracking the line each record starts on.</summary>
    private sealed class RecordReader(TextReader reader, char delimiter, string name)
    {
        private int _line = 1;
        private readonly StringBuilder _field = new();
        private int _recordChars;
        private List<string>? _fields;   // null while skipping: the fields are not kept
        private int _fieldCount;
        private bool _firstEmpty;

        public bool Next(out List<string> fields, out int startLine)
        {
            while (true)
            {
                startLine = _line;
                fields = _fields = new List<string>();
                if (!ReadRecord()) return false;
                if (!IsBlank) return true;
            }
        }

        /// <summary>Reads past the next record that is not blank, keeping nothing of it (no strings made); false at the end of the text.</summary>
        public bool Skip(out int startLine)
        {
            _fields = null;
            while (true)
            {
                startLine = _line;
                if (!ReadRecord()) return false;
                if (!IsBlank) return true;
            }
        }

        /// <summary>A blank line: one field, empty (after trimming, when it was not quoted).</summary>
        private bool IsBlank => _fieldCount == 1 && _firstEmpty;

        private static bool IsWhiteSpace(StringBuilder text)
        {
            foreach (var chunk in text.GetChunks())
                foreach (char c in chunk.Span)
                    if (!char.IsWhiteSpace(c)) return false;
            return true;
        }

        private void Append(char c)
        {
            if (++_recordChars > MaxRowLength)
                throw new DataFormatException(name, _line, null,
                    Invariant($"this row is longer than {MaxRowLength:N0} characters, more than this loader reads in one row. Are the line breaks missing?"));
            if (_field.Length >= MaxFieldLength)
                throw new DataFormatException(name, _line, _fieldCount + 1,
                    Invariant($"this field is longer than {MaxFieldLength:N0} characters, longer than any number or label. Is the delimiter right, or is a quote never closed?"));
            _field.Append(c);
        }

        private void EndField(bool wasQuoted)
        {
            if (_fieldCount >= MaxColumns)
                throw new DataFormatException(name, _line, null,
                    Invariant($"this row has more than {MaxColumns:N0} fields, more than this loader reads in one row. Is the delimiter right, or are the line breaks missing?"));
            if (_fieldCount == 0) _firstEmpty = wasQuoted ? _field.Length == 0 : IsWhiteSpace(_field);
            _fields?.Add(wasQuoted ? _field.ToString() : _field.ToString().Trim());
            _fieldCount++;
            _field.Clear();
        }

        // Reads one record (into _fields, when kept); false at the end of the text.
        private bool ReadRecord()
        {
            int c = reader.Read();
            if (c == -1) return false;
            _field.Clear();
            _recordChars = 0;
            _fieldCount = 0;
            bool inQuotes = false, afterQuote = false, wasQuoted = false;
            int quoteLine = 0;
            while (true)
            {
                if (c == 0) throw BinaryFile(name, _line);
                if (inQuotes)
                {
                    if (c == -1)
                        throw new DataFormatException(name, quoteLine, _fieldCount + 1,
                            "a quote (\") opened here is never closed. Add the closing quote, or remove the opening one.");
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); _field.Append('"'); }
                        else { inQuotes = false; afterQuote = true; }
                    }
                    else
                    {
                        if (c == '\n') _line++;
                        Append((char)c);
                    }
                }
                else if (c == delimiter || c is '\n' or '\r' or -1)
                {
                    EndField(wasQuoted);
                    afterQuote = wasQuoted = false;
                    if (c == delimiter) { c = reader.Read(); continue; }
                    if (c == '\r' && reader.Peek() == '\n') reader.Read();
                    if (c != -1) _line++;
                    return true;
                }
                else if (c == '"' && !wasQuoted && IsWhiteSpace(_field))
                {
                    inQuotes = wasQuoted = true;
                    quoteLine = _line;
                    _field.Clear();
                }
                else if (afterQuote)
                {
                    if (!char.IsWhiteSpace((char)c))
                        throw new DataFormatException(name, _line, _fieldCount + 1,
                            $"there is text after the closing quote of this field. Put the whole field inside the quotes, and write a quote inside quotes as \"\".");
                }
                else Append((char)c);
                c = reader.Read();
            }
        }
    }
}
