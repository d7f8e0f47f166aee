using System.Collections;
using System.Globalization;
using System.Reflection;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// A small builder of plotly.js figures: traces and layout written as typed attributes
/// (<see cref="ScatterTrace"/>, <see cref="Axis"/>, … in PlotlyAttributes.cs), so the JSON is exactly what
/// is written there, then wrapped in a Plotly.NET <see cref="GenericChart"/> with Plotly.NET's default template.
/// </summary>
internal static class Figure
{
    /// <summary>A colour per run, the same for its training and validation curves.</summary>
    internal static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Blue for negative, white for 0, red for positive: with a range symmetric around 0 the sign is the colour.</summary>
    internal static readonly ColorScale Diverging = new((0.0, "#2166ac"), (0.25, "#92c5de"), (0.5, "#f7f7f7"), (0.75, "#f4a582"), (1.0, "#b2182b"));

    /// <summary>White at 0 to red at 1, <see cref="Diverging"/>'s upper half: for values that are never negative.</summary>
    internal static readonly ColorScale FromZero = new((0.0, "#f7f7f7"), (0.5, "#f4a582"), (1.0, "#b2182b"));

    /// <summary>Blue at 0, white at ½, red at 1: a probability, 0.5 white.</summary>
    internal static readonly ColorScale Probability = new((0.0, "#4575b4"), (0.5, "#f7f7f7"), (1.0, "#d73027"));

    /// <summary>An axis drawn without ticks, labels, grid or zero line: for pictures and diagrams.</summary>
    internal static readonly Axis HiddenAxis = new() { ShowTickLabels = false, ShowGrid = false, ZeroLine = false, Ticks = "" };

    /// <summary>
    /// The id of panel <paramref name="index"/>'s axis (counted from 0) as traces and anchors name it:
    /// <c>AxisId("x", 0)</c> is "x", <c>AxisId("x", 1)</c> is "x2" — the axis <see cref="ChartLayout.XAxes"/>[1] writes as xaxis2.
    /// </summary>
    internal static string AxisId(string letter, int index) => index == 0 ? letter : letter + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>A chart of the traces with the layout's attributes laid over the default template.</summary>
    internal static GenericChart Chart(IEnumerable<PlotlyTrace> traces, ChartLayout layout)
    {
        var plotlyTraces = traces.Select(t =>
        {
            var trace = new Trace(t.Type);
            Write(t, trace);
            return trace;
        }).ToArray();
        var plotlyLayout = new Layout();
        Write(layout, plotlyLayout);
        return GenericChart.addLayout(plotlyLayout, GenericChart.ofTraceObjects(true, plotlyTraces));
    }

    /// <summary>Numbers JSON can carry: NaN and ±∞ become null (a gap), which plotly.js understands.</summary>
    internal static double?[] Finite(IEnumerable<double> values) => values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray();

    // ---------------------------------------------------------------- typed attributes → Plotly.NET objects

    // The one place where attribute names become strings: a property's name in lower case, or its
    // [PlotlyName]; a [PlotlyNumbered] list as name, name2, name3, …; null properties are left out.
    private static void Write(PlotlyObject source, DynamicObj.DynamicObj target)
    {
        foreach (var property in PropertiesOf(source.GetType()))
        {
            object? value = property.GetValue(source);
            if (value is null) continue;
            if (property.GetCustomAttribute<PlotlyNumberedAttribute>() is { } numbered)
            {
                int index = 0;
                foreach (var item in (IEnumerable)value)
                    target.SetProperty(AxisId(numbered.Name, index++), Value(item));
                continue;
            }
            string name = property.GetCustomAttribute<PlotlyNameAttribute>()?.Name ?? property.Name.ToLowerInvariant();
            target.SetProperty(name, Value(value));
        }
    }

    private static object Value(object value) => value switch
    {
        PlotlyObject o => ToDynamic(o),
        IPlotlyValue v => v.ToPlotly(),
        IEnumerable<PlotlyObject> list => list.Select(ToDynamic).ToArray(),
        _ => value,
    };

    private static DynamicObj.DynamicObj ToDynamic(PlotlyObject source)
    {
        var obj = new DynamicObj.DynamicObj();
        Write(source, obj);
        return obj;
    }

    private static readonly Dictionary<Type, PropertyInfo[]> Properties = [];

    private static PropertyInfo[] PropertiesOf(Type type)
    {
        lock (Properties)
        {
            if (!Properties.TryGetValue(type, out var properties))
                Properties[type] = properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                    .ToArray();
            return properties;
        }
    }
}
