using DynamicObj;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// A small builder of plotly.js figures: traces and layout written as plotly.js attributes
/// (<c>("mode", "lines")</c>), so the JSON is exactly what is written here, then wrapped in a
/// Plotly.NET <see cref="GenericChart"/> with Plotly.NET's default template.
/// </summary>
internal static class Figure
{
    /// <summary>A colour per run, the same for its training and validation curves.</summary>
    internal static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Blue for negative, white for 0, red for positive: with zmid = 0 the sign is the colour.</summary>
    internal static readonly object[][] Diverging = [[0.0, "#2166ac"], [0.25, "#92c5de"], [0.5, "#f7f7f7"], [0.75, "#f4a582"], [1.0, "#b2182b"]];

    internal static Trace Trace(string type, params (string Key, object? Value)[] properties)
    {
        var trace = new Trace(type);
        Set(trace, properties);
        return trace;
    }

    internal static DynamicObj.DynamicObj Obj(params (string Key, object? Value)[] properties)
    {
        var obj = new DynamicObj.DynamicObj();
        Set(obj, properties);
        return obj;
    }

    private static void Set(DynamicObj.DynamicObj target, (string Key, object? Value)[] properties)
    {
        foreach (var (key, value) in properties)
            if (value is not null) target.SetProperty(key, value);
    }

    /// <summary>A chart of the traces with the layout's attributes laid over the default template.</summary>
    internal static GenericChart Chart(IEnumerable<Trace> traces, params (string Key, object? Value)[] layout)
    {
        var l = new Layout();
        Set(l, layout);
        var chart = GenericChart.ofTraceObjects(true, traces.ToArray());
        return GenericChart.addLayout(l, chart);
    }

    /// <summary>A title object, optionally with a smaller subtitle line.</summary>
    internal static DynamicObj.DynamicObj Title(string text) => Obj(("text", text));

    /// <summary>An axis with a title and further attributes.</summary>
    internal static DynamicObj.DynamicObj Axis(string? title, params (string Key, object? Value)[] properties)
    {
        var axis = Obj(properties);
        if (title is not null) axis.SetProperty("title", Title(title));
        return axis;
    }

    /// <summary>Numbers JSON can carry: NaN and ±∞ become null (a gap), which plotly.js understands.</summary>
    internal static double?[] Finite(IEnumerable<double> values) => values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray();
}
