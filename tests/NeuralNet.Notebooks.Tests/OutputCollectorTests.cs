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
}
