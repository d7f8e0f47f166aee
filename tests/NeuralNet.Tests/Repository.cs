namespace NeuralNet.Tests;

/// <summary>The repository the tests were built from: the folder holding NeuralNet.sln, above the test binaries.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No NeuralNet.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
