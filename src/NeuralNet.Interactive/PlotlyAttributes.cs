namespace NeuralNet.Interactive;

// plotly.js attributes as C# types, so that a misspelt attribute is a compile error: plotly.js ignores a
// key it does not know, and the chart would just look wrong. Only the attributes the workbook's charts use
// are here; add one when a chart needs it.
//
// The JSON name of a property is its name in lower case (HoverTemplate → "hovertemplate"), or the name
// given by [PlotlyName] where plotly.js spells it otherwise (PlotBgColor → "plot_bgcolor"). A property left
// null is not written, so plotly.js uses its default. Figure.Chart writes these objects into the Plotly.NET
// objects that a GenericChart holds: its writer is the one place that turns names into strings. Nothing else
// sets a plotly.js attribute by name; an attribute missing here is added here, typed.
//
// Values stay plotly.js values: a mode is "lines+markers", an axis reference "x2" (Figure.AxisId), a colour
// "#1f77b4". Where plotly.js takes either one value or one per point, the property is an object
// (Marker.Color: a colour, or an array of colours or of numbers on the colour scale).

/// <summary>A plotly.js object (a trace's <c>line</c>, the layout's <c>xaxis</c>, …) written as JSON attributes.</summary>
internal abstract record PlotlyObject;

/// <summary>A value written as one JSON value of its own shape, not as an object of attributes.</summary>
internal interface IPlotlyValue
{
    /// <summary>The value as Plotly.NET serializes it: numbers, strings, arrays.</summary>
    object ToPlotly();
}

/// <summary>The JSON name of a property, where plotly.js does not spell it as the property's name in lower case.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class PlotlyNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// A list written as numbered attributes: item 0 as <c>xaxis</c>, item 1 as <c>xaxis2</c>, item 2 as
/// <c>xaxis3</c>, … — how plotly.js names the axes of a figure with several panels.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class PlotlyNumberedAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>A colour scale: colours at positions from 0 (the lowest value) to 1 (the highest), <c>[[0, "#2166ac"], …]</c>.</summary>
internal sealed record ColorScale(params (double At, string Color)[] Stops) : IPlotlyValue
{
    public object ToPlotly() => Stops.Select(s => new object[] { s.At, s.Color }).ToArray();
}

/// <summary>
/// Where an axis lies, as fractions of the plotting area from <paramref name="Start"/> to <paramref name="End"/>.
/// Both are clamped to [0, 1]: panel positions computed as 1 − k·h can come out as −5.6e-17, which plotly.js rejects.
/// </summary>
internal sealed record Domain(double Start, double End) : IPlotlyValue
{
    public object ToPlotly() => new[] { Math.Clamp(Start, 0, 1), Math.Clamp(End, 0, 1) };
}

internal sealed record Font : PlotlyObject
{
    public double? Size { get; init; }
    public string? Color { get; init; }
}

/// <summary>A title (of the chart, an axis or a colour bar); plotly.js 3 takes titles as objects only.</summary>
internal sealed record Title(string Text) : PlotlyObject
{
    public Font? Font { get; init; }
}

internal sealed record Line : PlotlyObject
{
    public string? Color { get; init; }
    public double? Width { get; init; }
    /// <summary>"solid", "dash", "dot", …</summary>
    public string? Dash { get; init; }
}

internal sealed record ColorBar : PlotlyObject
{
    public Title? Title { get; init; }
    public double? X { get; init; }
    public double? Y { get; init; }
    /// <summary>Its length, as a fraction of the plotting area's height.</summary>
    public double? Len { get; init; }
    /// <summary>Its width in pixels.</summary>
    public double? Thickness { get; init; }
    public double[]? TickVals { get; init; }
    public string[]? TickText { get; init; }
}

internal sealed record Marker : PlotlyObject
{
    public double? Size { get; init; }
    /// <summary>A colour, or one per point: colours, or numbers drawn on <see cref="ColorScale"/>.</summary>
    public object? Color { get; init; }
    public double? Opacity { get; init; }
    /// <summary>One symbol per point ("circle", "square", …).</summary>
    public string[]? Symbol { get; init; }
    public Line? Line { get; init; }
    public ColorScale? ColorScale { get; init; }
    public double? CMin { get; init; }
    public double? CMax { get; init; }
    public bool? ShowScale { get; init; }
    public ColorBar? ColorBar { get; init; }
}

/// <summary>Which contour lines a contour trace draws: from <see cref="Start"/> to <see cref="End"/> every <see cref="Size"/>.</summary>
internal sealed record Contours : PlotlyObject
{
    public double? Start { get; init; }
    public double? End { get; init; }
    public double? Size { get; init; }
    /// <summary>"fill" (the default), "lines", or "none" for the lines alone, without a colour scale.</summary>
    public string? Coloring { get; init; }
}

// ---------------------------------------------------------------- traces

/// <summary>What every trace of the workbook's charts may set; its plotly.js type comes from the record.</summary>
internal abstract record PlotlyTrace : PlotlyObject
{
    /// <summary>The plotly.js trace type: "scatter", "heatmap", "contour".</summary>
    internal abstract string Type { get; }

    public Array? X { get; init; }
    public Array? Y { get; init; }
    public string? Name { get; init; }
    public bool? ShowLegend { get; init; }
    public string? LegendGroup { get; init; }
    public double? Opacity { get; init; }
    /// <summary>The x axis it is drawn on: "x", "x2", … (<see cref="Figure.AxisId"/>).</summary>
    public string? XAxis { get; init; }
    public string? YAxis { get; init; }
    /// <summary>A text per point (per cell for a heatmap).</summary>
    public Array? Text { get; init; }
    /// <summary>Data per point that a hover template shows as %{customdata}.</summary>
    public Array? CustomData { get; init; }
    /// <summary>"skip" to show no hover label.</summary>
    public string? HoverInfo { get; init; }
    public string? HoverTemplate { get; init; }
}

internal sealed record ScatterTrace : PlotlyTrace
{
    internal override string Type => "scatter";

    /// <summary>"lines", "markers", "lines+markers", "markers+text".</summary>
    public string? Mode { get; init; }
    public Line? Line { get; init; }
    public Marker? Marker { get; init; }
    /// <summary>Where a text sits beside its point: "top center", "middle center", …</summary>
    public string? TextPosition { get; init; }
    public Font? TextFont { get; init; }
    /// <summary>False: texts and markers may reach over the axes' edge.</summary>
    public bool? ClipOnAxis { get; init; }
}

/// <summary>
/// A heatmap: a colour per cell of <see cref="Z"/> (row k at y[k]). Its colours run over
/// <see cref="ZMin"/> … <see cref="ZMax"/>; a scale centred at 0 is one with ZMin = −ZMax (plotly.js ignores
/// zmid once both are given, so there is no ZMid here).
/// </summary>
internal sealed record HeatmapTrace : PlotlyTrace
{
    internal override string Type => "heatmap";

    public Array? Z { get; init; }
    public ColorScale? ColorScale { get; init; }
    public double? ZMin { get; init; }
    public double? ZMax { get; init; }
    public bool? ShowScale { get; init; }
    public ColorBar? ColorBar { get; init; }
    /// <summary>False: no hover label over the empty (null) cells.</summary>
    public bool? HoverOnGaps { get; init; }
    /// <summary>The text written in each cell, e.g. "%{text}".</summary>
    public string? TextTemplate { get; init; }
    /// <summary>Pixels between cells.</summary>
    public int? XGap { get; init; }
    public int? YGap { get; init; }
}

/// <summary>
/// Contour lines (and by default filled bands) of <see cref="Z"/> over the x–y grid. With
/// <c>Contours.Coloring = "none"</c> it draws lines only and has no colour scale, so no ShowScale either.
/// </summary>
internal sealed record ContourTrace : PlotlyTrace
{
    internal override string Type => "contour";

    public Array? Z { get; init; }
    public ColorScale? ColorScale { get; init; }
    public double? ZMin { get; init; }
    public double? ZMax { get; init; }
    public ColorBar? ColorBar { get; init; }
    public Contours? Contours { get; init; }
    public Line? Line { get; init; }
}

// ---------------------------------------------------------------- layout

internal sealed record Axis : PlotlyObject
{
    public Title? Title { get; init; }
    public Domain? Domain { get; init; }
    /// <summary>The axis it crosses ("y", "y2", …): a panel's x axis anchors to its own y axis.</summary>
    public string? Anchor { get; init; }
    public double[]? Range { get; init; }
    /// <summary>"reversed" to draw from the top down.</summary>
    public string? AutoRange { get; init; }
    /// <summary>"category" for names on the axis.</summary>
    public string? Type { get; init; }
    /// <summary>"domain": keep the cells square by shrinking the axis, not by widening its range.</summary>
    public string? Constrain { get; init; }
    /// <summary>"x": one unit of this axis is as long on screen as one unit of x.</summary>
    public string? ScaleAnchor { get; init; }
    public string? Side { get; init; }
    /// <summary>"linear": ticks at <see cref="Tick0"/> + k·<see cref="DTick"/>.</summary>
    public string? TickMode { get; init; }
    public int? Tick0 { get; init; }
    public int? DTick { get; init; }
    public double? TickAngle { get; init; }
    /// <summary>"" for no tick marks.</summary>
    public string? Ticks { get; init; }
    public bool? ShowTickLabels { get; init; }
    /// <summary>The tick labels' font: set it only where <see cref="ShowTickLabels"/> is not false (plotly.js ignores it there).</summary>
    public Font? TickFont { get; init; }
    public bool? ShowGrid { get; init; }
    public bool? ZeroLine { get; init; }
}

/// <summary>A text placed on the chart, optionally with an arrow from (AX, AY) to (X, Y).</summary>
internal sealed record Annotation : PlotlyObject
{
    public string? Text { get; init; }
    public double? X { get; init; }
    public double? Y { get; init; }
    /// <summary>"paper" (fractions of the plotting area) or an axis ("x", "x2", …).</summary>
    public string? XRef { get; init; }
    public string? YRef { get; init; }
    public string? XAnchor { get; init; }
    public string? YAnchor { get; init; }
    public Font? Font { get; init; }
    public string? BgColor { get; init; }
    public double? BorderPad { get; init; }
    public bool? ShowArrow { get; init; }
    /// <summary>Where the arrow starts (with AXRef = "x", in x units).</summary>
    public double? AX { get; init; }
    public double? AY { get; init; }
    public string? AXRef { get; init; }
    public string? AYRef { get; init; }
    /// <summary>The arrowhead's style, 0 … 8.</summary>
    public int? ArrowHead { get; init; }
    public double? ArrowSize { get; init; }
    public double? ArrowWidth { get; init; }
    public string? ArrowColor { get; init; }
    /// <summary>Pixels left free between the arrow's head and (X, Y).</summary>
    public double? Standoff { get; init; }
    public double? StartStandoff { get; init; }
}

internal sealed record Legend : PlotlyObject
{
    /// <summary>"h" for one row of entries.</summary>
    public string? Orientation { get; init; }
    public double? X { get; init; }
    public double? Y { get; init; }
    public string? XAnchor { get; init; }
    public string? YAnchor { get; init; }
}

/// <summary>Pixels around the plotting area.</summary>
internal sealed record Margin : PlotlyObject
{
    public int? L { get; init; }
    public int? R { get; init; }
    public int? T { get; init; }
    public int? B { get; init; }
}

internal sealed record ModeBar : PlotlyObject
{
    /// <summary>"v": the tool buttons in a column at the right.</summary>
    public string? Orientation { get; init; }
}

/// <summary>A chart's layout, laid over Plotly.NET's default template.</summary>
internal sealed record ChartLayout : PlotlyObject
{
    public Title? Title { get; init; }
    /// <summary>The x axes: the first is plotly.js's <c>xaxis</c>, the second <c>xaxis2</c>, …</summary>
    [PlotlyNumbered("xaxis")]
    public IReadOnlyList<Axis>? XAxes { get; init; }
    /// <summary>The y axes: <c>yaxis</c>, <c>yaxis2</c>, …</summary>
    [PlotlyNumbered("yaxis")]
    public IReadOnlyList<Axis>? YAxes { get; init; }
    public IReadOnlyList<Annotation>? Annotations { get; init; }
    public bool? ShowLegend { get; init; }
    public Legend? Legend { get; init; }
    public Margin? Margin { get; init; }
    public ModeBar? ModeBar { get; init; }
    /// <summary>"closest": hover shows the point under the pointer.</summary>
    public string? HoverMode { get; init; }
    [PlotlyName("plot_bgcolor")]
    public string? PlotBgColor { get; init; }
    /// <summary>The figure's size in pixels.</summary>
    public int? Width { get; init; }
    public int? Height { get; init; }
}
