using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>The metadata expectations, checked against a made-up run (no kernel).</summary>
public sealed class ExpectationTests
{
    private static NotebookRunResult Run(JsonArray expect)
    {
        var json = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["neuralnet"] = new JsonObject { ["expect"] = expect } },
            ["cells"] = new JsonArray(
                new JsonObject { ["cell_type"] = "markdown", ["id"] = "intro", ["metadata"] = new JsonObject(), ["source"] = "# Hi" },
                new JsonObject
                {
                    ["cell_type"] = "code", ["id"] = "c1", ["source"] = "chart",
                    ["metadata"] = new JsonObject { ["tags"] = new JsonArray("chart") },
                }),
        };
        var notebook = Notebook.Parse("test.ipynb", json);
        var outputs = new List<CellOutput>
        {
            CellOutput.Display(new Dictionary<string, string> { ["text/html"] = "<div>plotly</div>" }, null),
            CellOutput.Stream("stdout", "loss 0.25\n"),
        };
        var cells = new Dictionary<int, (int, IReadOnlyList<CellOutput>)> { [1] = (1, outputs) };
        return new NotebookRunResult(notebook, cells, null, TimeSpan.Zero, null, [], []);
    }

    [Fact]
    public void Met_expectations_report_nothing()
    {
        var problems = NotebookExpectations.Check(Run([
            new JsonObject { ["cell"] = "chart", ["mime"] = "text/html", ["contains"] = "plotly" },
            new JsonObject { ["cell"] = "c1", ["mime"] = "stdout", ["contains"] = "loss 0.25" },
            new JsonObject { ["cell"] = 1, ["notContains"] = "NaN" },
        ]));
        Assert.Empty(problems);
    }

    [Fact]
    public void Unmet_expectations_name_the_cell_and_the_text()
    {
        var problems = NotebookExpectations.Check(Run([
            new JsonObject { ["cell"] = "chart", ["mime"] = "text/plain", ["contains"] = "plotly" },
            new JsonObject { ["cell"] = "nope", ["contains"] = "x" },
            new JsonObject { ["cell"] = "intro", ["contains"] = "x" },
            new JsonObject { ["cell"] = "chart", ["notContains"] = "loss" },
        ]));
        Assert.Equal(4, problems.Count);
        Assert.Contains("cell 2 (`chart`) [text/plain] has no output containing \"plotly\"", problems[0]);
        Assert.Contains("no cell \"nope\"", problems[1]);
        Assert.Contains("did not run", problems[2]);
        Assert.Contains("has an output containing \"loss\"", problems[3]);
    }
}
