namespace NeuralNet.Tests;

/// <summary>
/// The library stays small enough to read: a student who opens src/NeuralNet sees a network library of a few files, not
/// a framework. These are the sizes issue 21 brought it back to, kept as limits so that growth is a decision someone
/// makes (and writes down here), not a drift. Lines are counted as <c>wc -l</c> counts them, every .cs file included.
/// </summary>
public class SourceSizeTests
{
    private const int MaxFileLines = 400;
    private const int MaxCoreLines = 4_100;

    private static string[] SourceFiles(string under) =>
        Directory.GetFiles(Path.Combine(Repository.Root, under), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToArray();

    private static int Lines(string file) => File.ReadAllText(file).Count(c => c == '\n');

    private static string Relative(string file) => Path.GetRelativePath(Repository.Root, file).Replace('\\', '/');

    [Fact]
    public void No_source_file_under_src_is_over_400_lines()
    {
        var files = SourceFiles("src");
        Assert.True(files.Length > 50, $"only {files.Length} .cs files found under src/: is the repository root right ({Repository.Root})?");
        var over = files.Select(f => (File: Relative(f), Lines: Lines(f))).Where(f => f.Lines > MaxFileLines)
            .OrderByDescending(f => f.Lines).Select(f => $"{f.File} ({f.Lines} lines)").ToArray();
        Assert.True(over.Length == 0,
            $"over {MaxFileLines} lines: {string.Join(", ", over)}. Split the file into parts that each hold one idea a reader can name " +
            "(a partial class in Type.Part.cs files, as Csv and Charts are), or cut a long method into named steps.");
    }

    [Fact]
    public void The_core_library_is_under_4100_lines()
    {
        var files = SourceFiles("src/NeuralNet");
        int total = files.Sum(Lines);
        Assert.True(total > 1_000, $"only {total} lines found in src/NeuralNet: is the repository root right ({Repository.Root})?");
        Assert.True(total < MaxCoreLines,
            $"src/NeuralNet has {total:N0} lines in {files.Length} files, the limit is {MaxCoreLines:N0}. The core is the network a student reads: " +
            "file formats and data sets belong in NeuralNet.Data, teaching aids in NeuralNet.Workbook, charts in NeuralNet.Interactive.");
    }
}
