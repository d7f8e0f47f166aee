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
        // The solutions key: its exercise checks must all pass (NotebookExpectations).
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.NotebooksDirectory, "solutions"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            data.Add("solutions/" + Path.GetFileName(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_in_the_real_kernel_and_meets_its_expectations(string notebook)
    {
        // Executed copies mirror notebooks/: the solutions key's go to artifacts/notebooks/solutions/.
        var output = Path.Combine(Repository.ExecutedNotebooksDirectory, Path.GetDirectoryName(notebook) ?? "");
        var result = await Repository.Runner(outputDirectory: output).RunAsync(Path.Combine(Repository.NotebooksDirectory, notebook));

        Repository.AssertKernelGone(result);
        Assert.True(result.Succeeded, $"{notebook} failed at {result.Failure}");
        var errors = result.Errors.Select(e => $"{e.Cell.Describe()}: {e.Output.Text}").ToList();
        Assert.True(errors.Count == 0, $"{notebook} has error outputs:\n{string.Join('\n', errors)}");
        var warnings = result.Warnings.Select(w => $"{w.Cell.Describe()}: {w.Text}").ToList();
        Assert.True(warnings.Count == 0, $"{notebook} has compiler warnings, which a reader sees in red:\n{string.Join('\n', warnings)}");
        var problems = NotebookExpectations.Check(result);
        Assert.True(problems.Count == 0, $"{notebook} did not meet its expectations:\n{string.Join('\n', problems)}");
        AssertChartBundles(notebook, result);
    }

    /// <summary>
    /// Every chart output is its HTML alone (the one form every front end receives intact: no output carries a JSON
    /// MIME type, which the kernel would send to Jupyter as a string), and plotly.js reached the page exactly once,
    /// from the setup cell. Whether they draw is proven in a browser by tests/NeuralNet.Browser.Tests.
    /// </summary>
    private static void AssertChartBundles(string notebook, NotebookRunResult result)
    {
        var outputs = result.Notebook.Cells.SelectMany(result.OutputsOf).ToList();
        string Html(CellOutput o) => o.Data.GetValueOrDefault("text/html") ?? "";
        var charts = outputs.Where(o => Html(o).Contains("class=\"nn-chart\"", StringComparison.Ordinal)).ToList();
        Assert.All(charts, chart => Assert.True(chart.Data.Keys.SequenceEqual(["text/html"]),
            $"{notebook}: a chart output as {string.Join(", ", chart.Data.Keys)}, not text/html alone"));
        var json = outputs.SelectMany(o => o.Data.Keys).Where(m => m.EndsWith("json", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        Assert.True(json.Count == 0, $"{notebook}: outputs as {string.Join(", ", json)}, which the kernel sends to Jupyter as strings");
        var loaders = outputs.Count(o => Html(o).Contains("class=\"nn-plotly-loader\"", StringComparison.Ordinal));
        Assert.True(loaders == 1, $"{notebook}: plotly.js was displayed {loaders} times; the setup cell should display it once");
    }

    [Fact]
    public void There_is_a_notebook_to_test() =>
        Assert.Contains("00-start-here.ipynb", ((IEnumerable<object[]>)Notebooks()).Select(row => (string)row[0]));

    [Fact]
    public void Every_chapter_with_exercises_has_its_solutions_and_every_exercise_is_solved_there()
    {
        var names = ((IEnumerable<object[]>)Notebooks()).Select(row => (string)row[0]).ToList();
        foreach (var chapter in names.Where(n => !n.StartsWith("solutions/", StringComparison.Ordinal)))
        {
            var exercises = ExerciseIds(Path.Combine(Repository.NotebooksDirectory, chapter));
            Assert.True(exercises.Count > 0, $"{chapter} has no exercise (a cell tagged exercise-check)");
            var key = "solutions/" + Path.GetFileNameWithoutExtension(chapter) + ".solutions.ipynb";
            Assert.Contains(key, names);
            var solved = ExerciseIds(Path.Combine(Repository.NotebooksDirectory, key));
            Assert.True(exercises.IsSubsetOf(solved), $"{key} lacks the checks {string.Join(", ", exercises.Except(solved))} of {chapter}");
        }
    }

    /// <summary>The checks of a notebook, each named by its check cell's source: the same call in a chapter and its solutions.</summary>
    private static HashSet<string> ExerciseIds(string path) =>
        Notebook.Load(path).Cells.Where(c => c.Tags.Contains(NotebookExpectations.ExerciseCheckTag)).Select(c => c.Source.Trim()).ToHashSet();
}
