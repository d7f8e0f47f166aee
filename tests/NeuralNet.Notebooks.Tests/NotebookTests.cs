namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// Every notebook under notebooks/ runs top to bottom in the real kernel process, without error
/// outputs, and meets the expectations in its own metadata (see README.md). A new notebook is picked
/// up automatically.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class NotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Repository.NotebooksDirectory, "*.ipynb").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_in_the_real_kernel_and_meets_its_expectations(string notebook)
    {
        var result = await Repository.Runner().RunAsync(Path.Combine(Repository.NotebooksDirectory, notebook));

        Repository.AssertKernelGone(result);
        Assert.True(result.Succeeded, $"{notebook} failed at {result.Failure}");
        var errors = result.Errors.Select(e => $"{e.Cell.Describe()}: {e.Output.Text}").ToList();
        Assert.True(errors.Count == 0, $"{notebook} has error outputs:\n{string.Join('\n', errors)}");
        var problems = NotebookExpectations.Check(result);
        Assert.True(problems.Count == 0, $"{notebook} did not meet its expectations:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void There_is_a_notebook_to_test() =>
        Assert.Contains("00-start-here.ipynb", ((IEnumerable<object[]>)Notebooks()).Select(row => (string)row[0]));
}
