using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// A data file could not be loaded or written: it is missing, unreadable, not in the expected format,
/// or its target cannot be written. The message names the file, says where the problem is (line and
/// column for CSV, byte offset or item for IDX) and what to change. Every data loader in
/// <see cref="NeuralNet.Data"/> (CSV, IDX, the data sets) throws only this type for a bad file, so one
/// <c>catch (DataFormatException)</c> covers them all; model files throw <see cref="ModelFileException"/>.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>A data-file error with its location; the message is built from the parts.</summary>
    /// <param name="filePath">The file being read (as given, or made absolute by the loader).</param>
    /// <param name="line">1-based line number in a text file, if the problem is on one line.</param>
    /// <param name="column">1-based column (field) number, if the problem is in one field.</param>
    /// <param name="problem">What is wrong and what to change, as a sentence.</param>
    /// <param name="inner">The underlying exception, if any (for example an <see cref="IOException"/>).</param>
    public DataFormatException(string filePath, int? line, int? column, string problem, Exception? inner = null)
        : base(Compose(filePath, line, column, problem), inner)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file that could not be loaded.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line of a text file where the problem is, or null when it is not on one line.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column (field number) where the problem is, or null when it is not in one field.</summary>
    public int? Column { get; }

    /// <summary>The problem alone, without the file and location (the <see cref="Exception.Message"/> has both).</summary>
    public string Problem { get; }

    private static string Compose(string filePath, int? line, int? column, string problem)
    {
        string where = (line, column) switch
        {
            (int l, int c) => Invariant($", line {l}, column {c}"),
            (int l, null) => Invariant($", line {l}"),
            (null, int c) => Invariant($", column {c}"),
            _ => "",
        };
        return $"{filePath}{where}: {problem}";
    }
}
