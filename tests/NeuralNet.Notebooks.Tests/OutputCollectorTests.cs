using System.Text.Json.Nodes;

namespace NeuralNet.Notebooks.Tests;

/// <summary>Event-to-output logic, without a kernel.</summary>
public sealed class OutputCollectorTests
{
    private static JsonObject Values(string text, string? id = null, string mime = "text/plain") => new()
    {
        ["formattedValues"] = new JsonArray(new JsonObject { ["mimeType"] = mime, ["value"] = text, ["suppressDisplay"] = false }),
        ["valueId"] = id,
    };

    [Fact]
    public void Updates_replace_their_display_even_when_the_kernel_gives_them_another_id()
    {
        // What kernel 1.0.712001 sends for: a = display(…); b = display(…); a.Update(…); b.Update(…) ×2.
        var collector = new OutputCollector();
        collector.BeginCell(0);
        collector.OnEvent("DisplayedValueProduced", Values("a0", "display-a"));
        collector.OnEvent("DisplayedValueProduced", Values("b0", "display-b"));
        collector.OnEvent("DisplayedValueUpdated", Values("a1", "update-a"));
        collector.OnEvent("DisplayedValueUpdated", Values("b1", "update-b"));
        collector.OnEvent("DisplayedValueUpdated", Values("a2", "update-a"));
        collector.BeginCell(1);
        collector.OnEvent("DisplayedValueUpdated", Values("b2", "update-b"));

        Assert.Equal(["a2", "b2"], collector.OutputsOf(0).Select(o => o.Data["text/plain"]));
        Assert.Empty(collector.OutputsOf(1));
    }

    [Fact]
    public void An_update_with_the_display_id_replaces_that_display()
    {
        var collector = new OutputCollector();
        collector.BeginCell(0);
        collector.OnEvent("DisplayedValueProduced", Values("static", "one"));
        collector.BeginCell(1);
        collector.OnEvent("DisplayedValueProduced", Values("chart 0", "two", "text/html"));
        collector.OnEvent("DisplayedValueUpdated", Values("chart 9", "two", "text/html"));

        Assert.Equal("static", collector.OutputsOf(0)[0].Data["text/plain"]);
        Assert.Equal("chart 9", Assert.Single(collector.OutputsOf(1)).Data["text/html"]);
    }

    [Fact]
    public void A_new_live_display_in_a_later_cell_does_not_overwrite_an_earlier_cell()
    {
        var collector = new OutputCollector();
        collector.BeginCell(0);
        collector.OnEvent("DisplayedValueProduced", Values("first cell", "p1"));
        collector.BeginCell(1);
        collector.OnEvent("DisplayedValueProduced", Values("epoch 0", "p2"));
        collector.OnEvent("DisplayedValueUpdated", Values("epoch 50", "u2"));

        Assert.Equal("first cell", collector.OutputsOf(0)[0].Data["text/plain"]);
        Assert.Equal("epoch 50", Assert.Single(collector.OutputsOf(1)).Data["text/plain"]);
    }

    [Fact]
    public void Console_output_is_merged_per_stream_and_errors_are_named()
    {
        var collector = new OutputCollector();
        collector.BeginCell(0);
        collector.OnEvent("StandardOutputValueProduced", Values("a\n"));
        collector.OnEvent("StandardOutputValueProduced", Values("b\n"));
        collector.OnEvent("StandardErrorValueProduced", Values("warn\n"));
        collector.OnEvent("ReturnValueProduced", Values("<b>42</b>", mime: "text/html"));
        collector.AddError("System.InvalidOperationException: boom\n   at Submission#3");

        var outputs = collector.OutputsOf(0);
        Assert.Equal([OutputKind.Stream, OutputKind.Stream, OutputKind.Result, OutputKind.Error], outputs.Select(o => o.Kind));
        Assert.Equal("a\nb\n", outputs[0].Text);
        var error = outputs[3].ToJson(1);
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("boom", error["evalue"]!.GetValue<string>());
        Assert.Equal("CompilationError", CellOutput.Error("(2,9): error CS0103: The name 'x' does not exist").ErrorName);
    }

    [Fact]
    public void Compiler_warnings_are_kept_as_jupyter_shows_them_and_listed()
    {
        // What kernel 1.0.712001 sends for a cell with an unused local and a call to an [Obsolete] method.
        var body = JsonNode.Parse("""
            {"diagnostics":[
              {"linePositionSpan":{"start":{"line":6,"character":24},"end":{"line":6,"character":29}},"severity":"warning","code":"CS0618","message":"'Old()' is obsolete: 'use G'"},
              {"linePositionSpan":{"start":{"line":2,"character":8},"end":{"line":2,"character":9}},"severity":"warning","code":"CS0168","message":"The variable 'x' is declared but never used"},
              {"linePositionSpan":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},"severity":"info","code":"CS8019","message":"Unnecessary using directive"}],
             "formattedDiagnostics":[
              {"mimeType":"text/plain","value":"(7,25): warning CS0618: 'Old()' is obsolete: 'use G'","suppressDisplay":false},
              {"mimeType":"text/plain","value":"(3,9): warning CS0168: The variable 'x' is declared but never used","suppressDisplay":false},
              {"mimeType":"text/plain","value":"(1,1): info CS8019: Unnecessary using directive","suppressDisplay":false}]}
            """)!.AsObject();
        var collector = new OutputCollector();
        collector.BeginCell(0);
        collector.OnEvent("DiagnosticsProduced", new JsonObject { ["diagnostics"] = new JsonArray(), ["formattedDiagnostics"] = new JsonArray() });
        collector.BeginCell(2);
        collector.OnEvent("DiagnosticsProduced", body);
        collector.OnEvent("StandardOutputValueProduced", Values("3\n"));

        Assert.Equal([(2, "(7,25): warning CS0618: 'Old()' is obsolete: 'use G'"), (2, "(3,9): warning CS0168: The variable 'x' is declared but never used")],
            collector.Warnings);
        Assert.Empty(collector.OutputsOf(0));
        var outputs = collector.OutputsOf(2);
        Assert.Equal("stderr", outputs[0].StreamName);
        Assert.Equal("(7,25): warning CS0618: 'Old()' is obsolete: 'use G'\n(3,9): warning CS0168: The variable 'x' is declared but never used\n", outputs[0].Text);
        Assert.Equal("3\n", outputs[1].Text);
    }

    [Fact]
    public void Warnings_are_written_from_their_structure_when_the_formatted_list_does_not_pair_with_it()
    {
        var body = JsonNode.Parse("""
            {"diagnostics":[
              {"linePositionSpan":{"start":{"line":6,"character":24}},"severity":"warning","code":"CS0618","message":"'Old()' is obsolete"},
              {"linePositionSpan":{"start":{"line":2,"character":8}},"severity":"warning","code":"CS0168","message":"The variable 'x' is declared but never used"}],
             "formattedDiagnostics":[{"mimeType":"text/plain","value":"two diagnostics in one text","suppressDisplay":false}]}
            """)!.AsObject();
        var collector = new OutputCollector();
        collector.BeginCell(0);
        collector.OnEvent("DiagnosticsProduced", body);

        Assert.Equal([(0, "(7,25): warning CS0618: 'Old()' is obsolete"), (0, "(3,9): warning CS0168: The variable 'x' is declared but never used")],
            collector.Warnings);
    }
}
