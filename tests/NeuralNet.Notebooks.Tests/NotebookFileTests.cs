using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>
/// Reading and writing .ipynb files, without a kernel: what the runner saves is the notebook as it was,
/// with outputs in the form Jupyter, VS Code and nbconvert read (nbformat 4).
/// </summary>
public sealed class NotebookFileTests
{
    public static TheoryData<string> Notebooks() => NotebookTests.Notebooks();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_written_back_without_outputs_is_the_notebook_as_read(string name)
    {
        var path = Path.Combine(Repository.NotebooksDirectory, name);
        var original = JsonNode.Parse(File.ReadAllText(path))!;
        var notebook = Notebook.Load(path);

        var written = JsonNode.Parse(Notebook.Serialize(notebook.WithOutputs(NoResults)))!;

        // The workbook's notebooks are saved without outputs, so nothing at all may change: cell ids, tags,
        // metadata (the expectations), markdown and code, field order.
        Assert.True(JsonNode.DeepEquals(original, written), $"{name} changed when written back");
        Assert.Equal(original.ToJsonString(), written.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Cells_are_read_with_their_ids_tags_and_kernel(string name)
    {
        var path = Path.Combine(Repository.NotebooksDirectory, name);
        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        var notebook = Notebook.Load(path);

        Assert.Equal(cells.Count, notebook.Cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            Assert.Equal(i, cell.Index);
            Assert.Equal(cells[i]!["cell_type"]!.GetValue<string>(), cell.Kind);
            Assert.Equal(cells[i]!["id"]?.GetValue<string>(), cell.Id);
            Assert.Equal(cells[i]!["metadata"]?["tags"]?.AsArray().Select(t => t!.GetValue<string>()) ?? [], cell.Tags);
            Assert.Equal(cell.IsCode ? "csharp" : null, cell.KernelName);
        }
        Assert.Contains(notebook.Cells, c => c.IsCode);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_cell_has_an_id_of_its_own_and_the_language_is_csharp(string name)
    {
        // nbformat 4.5 requires cell ids (nbconvert warns that their absence will become an error), and
        // nbconvert looks up its syntax highlighter by language_info.name.
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.NotebooksDirectory, name)))!;
        var ids = root["cells"]!.AsArray().Select((c, i) => c!["id"]?.GetValue<string>() ?? $"(cell {i} has no id)").ToList();
        Assert.DoesNotContain(ids, id => id.StartsWith("(cell", StringComparison.Ordinal));
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("C#", root["metadata"]?["language_info"]?["name"]?.GetValue<string>());
    }

    [Fact]
    public void Raw_cells_attachments_and_fields_the_runner_does_not_know_are_kept()
    {
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(
                new JsonObject
                {
                    ["cell_type"] = "raw", ["id"] = "latex", ["metadata"] = new JsonObject { ["format"] = "text/latex" },
                    ["source"] = "\\LaTeX{} is not C#",
                },
                new JsonObject
                {
                    ["cell_type"] = "markdown", ["id"] = "picture", ["metadata"] = new JsonObject(),
                    ["attachments"] = new JsonObject { ["dot.png"] = new JsonObject { ["image/png"] = "iVBORw0KGgo=" } },
                    ["source"] = new JsonArray("# A picture\n", "![dot](attachment:dot.png)"),
                },
                Code("run", "1 + 1", new JsonObject { ["tags"] = new JsonArray("sum"), ["collapsed"] = true, ["editor"] = new JsonObject { ["x"] = 12345678901234567890m } })),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" }, ["custom"] = new JsonArray(1, "two") },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
            ["x-extra"] = "kept",
        };
        var notebook = Notebook.Parse("kept.ipynb", json);

        Assert.Equal(["raw", "markdown", "code"], notebook.Cells.Select(c => c.Kind));
        Assert.Null(notebook.Cells[0].KernelName);   // a raw cell is never run
        Assert.Equal(["sum"], notebook.Cells[2].Tags);

        var written = JsonNode.Parse(Notebook.Serialize(notebook.WithOutputs(new Dictionary<int, (int, IReadOnlyList<CellOutput>)>
        {
            [2] = (1, [CellOutput.Result(new Dictionary<string, string> { ["text/plain"] = "2" })]),
        })))!;

        var expected = json.DeepClone();
        expected["cells"]![2]!["execution_count"] = 1;
        expected["cells"]![2]!["outputs"] = new JsonArray(new JsonObject
        {
            ["output_type"] = "execute_result",
            ["data"] = new JsonObject { ["text/plain"] = new JsonArray("2") },
            ["metadata"] = new JsonObject(),
            ["execution_count"] = 1,
        });
        Assert.Equal(expected.ToJsonString(), written.ToJsonString());
    }

    [Fact]
    public void Outputs_are_written_in_the_form_nbformat_readers_expect()
    {
        const string Html = "<div class=\"chart\">\n<script>draw();</script>\n</div>";
        const string Figure = """{"data":[{"type":"scatter","x":[1,2],"y":[0.5,0.25]}],"layout":{"title":{"text":"cost"}}}""";
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(
                new JsonObject { ["cell_type"] = "markdown", ["id"] = "intro", ["metadata"] = new JsonObject(), ["source"] = "# Outputs" },
                Code("chart", "display(chart);", new JsonObject { ["tags"] = new JsonArray("first-chart") }),
                Code("fails", "throw new InvalidOperationException(\"boom\");", new JsonObject()),
                Code("never", "1", new JsonObject())),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var notebook = Notebook.Parse("outputs.ipynb", json);
        var results = new Dictionary<int, (int, IReadOnlyList<CellOutput>)>
        {
            [1] = (1,
            [
                CellOutput.Display(new Dictionary<string, string>
                {
                    ["text/html"] = Html, ["application/vnd.plotly.v1+json"] = Figure, ["application/json"] = Figure, ["text/plain"] = "GenericChart",
                }, "display-1"),
                CellOutput.Stream("stdout", "epoch 1\nepoch 2\n"),
                CellOutput.Stream("stderr", "slow"),
                CellOutput.Result(new Dictionary<string, string> { ["text/plain"] = "42" }),
            ]),
            [2] = (2, [CellOutput.Error("System.InvalidOperationException: boom\n   at Submission#3.<Initialize>()")]),
        };

        var cells = JsonNode.Parse(Notebook.Serialize(notebook.WithOutputs(results)))!["cells"]!.AsArray();

        Assert.Equal(json["cells"]![0]!.ToJsonString(), cells[0]!.ToJsonString());   // markdown untouched
        var chart = cells[1]!;
        Assert.Equal("chart", chart["id"]!.GetValue<string>());
        Assert.Equal("first-chart", chart["metadata"]!["tags"]![0]!.GetValue<string>());
        Assert.Equal(1, chart["execution_count"]!.GetValue<int>());
        var outputs = chart["outputs"]!.AsArray();
        Assert.Equal(["display_data", "stream", "stream", "execute_result"], outputs.Select(o => o!["output_type"]!.GetValue<string>()));

        // display_data: text types as nbformat's multiline strings (lines keeping their \n). JSON types as Jupyter saves what
        // the kernel sends it: application/json as JSON (the kernel parses that one), any other as the string it formatted.
        var data = outputs[0]!["data"]!;
        Assert.Equal(["<div class=\"chart\">\n", "<script>draw();</script>\n", "</div>"], data["text/html"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(Figure, data["application/vnd.plotly.v1+json"]!.GetValue<string>());
        Assert.IsType<JsonObject>(data["application/json"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Figure), data["application/json"]));
        Assert.Equal(["GenericChart"], data["text/plain"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.IsType<JsonObject>(outputs[0]!["metadata"]);

        Assert.Equal("stdout", outputs[1]!["name"]!.GetValue<string>());
        Assert.Equal(["epoch 1\n", "epoch 2\n"], outputs[1]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("stderr", outputs[2]!["name"]!.GetValue<string>());
        Assert.Equal(["slow"], outputs[2]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(1, outputs[3]!["execution_count"]!.GetValue<int>());

        var error = Assert.Single(cells[2]!["outputs"]!.AsArray())!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("boom", error["evalue"]!.GetValue<string>());
        Assert.Equal(["System.InvalidOperationException: boom", "   at Submission#3.<Initialize>()"], error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));

        Assert.Empty(cells[3]!["outputs"]!.AsArray());   // did not run
        Assert.Null(cells[3]!["execution_count"]);
    }

    [Fact]
    public void A_file_that_is_not_a_notebook_is_named_with_the_problem()
    {
        var folder = Directory.CreateTempSubdirectory("neuralnet-notebook-file-test-").FullName;
        try
        {
            var notJson = Path.Combine(folder, "broken.ipynb");
            File.WriteAllText(notJson, "{ \"cells\": [");
            var e = Assert.Throws<InvalidDataException>(() => Notebook.Load(notJson));
            Assert.StartsWith(notJson + ": not a valid notebook", e.Message);

            var oldFormat = Path.Combine(folder, "old.ipynb");
            File.WriteAllText(oldFormat, """{ "nbformat": 3, "worksheets": [] }""");
            e = Assert.Throws<InvalidDataException>(() => Notebook.Load(oldFormat));
            Assert.Equal($"{oldFormat}: nbformat 3; only nbformat 4 is supported", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly IReadOnlyDictionary<int, (int, IReadOnlyList<CellOutput>)> NoResults =
        new Dictionary<int, (int, IReadOnlyList<CellOutput>)>();

    private static JsonObject Code(string id, string source, JsonObject metadata) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["id"] = id,
        ["metadata"] = metadata,
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };
}
