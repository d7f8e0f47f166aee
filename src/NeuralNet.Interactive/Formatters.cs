using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.DotNet.Interactive.Formatting;
using NeuralNet.Training;

namespace NeuralNet.Interactive;

/// <summary>
/// How the library's objects describe themselves when a notebook displays them: HTML tables that say
/// what each number is, and charts as HTML that draws their plotly figure. <see cref="Register"/> installs them in .NET
/// Interactive's formatter; the <c>ToHtml</c> methods give the same HTML as a string (plain text stays
/// each type's ToString()).
/// </summary>
public static class Formatters
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>True once <see cref="Register"/> has run.</summary>
    public static bool IsRegistered
    {
        get { lock (Gate) return _registered; }
    }

    /// <summary>
    /// Registers every formatter of the workbook, the one place that does: Plotly.NET charts as HTML
    /// (<see cref="ChartOutput"/>), and the HTML (and plain-text) formatters of
    /// Matrix&lt;double&gt;, Network, Layer, Parameters, ForwardResult, LayerCache, Gradients, LayerGradients,
    /// GradientCheckReport, TrainingHistory, ExerciseResult, and your network's YourNetworkFile, Cache and Grads. <see cref="KernelSetup"/> calls it when the
    /// library is loaded (the setup cell, or the first use of this assembly); only the first call registers.
    /// </summary>
    internal static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
        }
        RegisterCharts();
        Add<Matrix<double>>(m => ToHtml(m));
        Add<Network>(ToHtml);
        Add<Layer>(ToHtml);
        Add<Parameters>(ToHtml);
        Add<ForwardResult>(ToHtml);
        Add<LayerCache>(ToHtml);
        Add<Gradients>(ToHtml);
        Add<LayerGradients>(ToHtml);
        Add<GradientCheckReport>(ToHtml);
        Add<TrainingHistory>(ToHtml);
        Add<NeuralNet.Exercises.ExerciseResult>(ExerciseHtml.ToHtml);
        Add<YourNetworkFile>(ToHtml);
        Add<NeuralNet.Exercises.Cache>(c => $"<code>{HtmlText.Escape(c.ToString())}</code>");
        Add<NeuralNet.Exercises.Grads>(g => $"<code>{HtmlText.Escape(g.ToString())}</code>");
    }

    /// <summary>
    /// A chart displays as <c>text/html</c> only (<see cref="ChartOutput.Html"/>: draws with the page's plotly.js), the
    /// one form every front end receives intact and draws (see <see cref="ChartOutput"/>).
    /// </summary>
    // Kept in its own method so the Plotly.NET types are only needed after KernelSetup's resolver is in place.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RegisterCharts()
    {
        Formatter.Register<Plotly.NET.GenericChart>((chart, writer) => writer.Write(ChartOutput.Html(chart)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Plotly.NET.GenericChart), HtmlFormatter.MimeType);
    }

    private static void Add<T>(Func<T, string> html) where T : class
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(value.ToString()), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
    }

    /// <summary>Your network's file: each function, whose it is (yours or the library's) and why.</summary>
    public static string ToHtml(YourNetworkFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var rows = file.Functions.Select(f => (IReadOnlyList<string>)
            [$"<code>{f.Name}</code>", f.Yours ? "<b>yours</b>" : "the library's", HtmlText.Escape(f.Notebook), HtmlText.Escape(f.Note)]);
        int yours = file.Functions.Count(f => f.Yours);
        string caption = $"Your network: {yours} of {file.Functions.Count} functions yours, written to {HtmlText.Escape(Path.GetFileName(file.Path))} (the next cell loads it)";
        return HtmlText.Table(caption, ["function", "whose", "read from", "why the library's"], rows,
            file.Helpers.Count == 0 ? null : $"With your helpers: {HtmlText.Escape(string.Join(", ", file.Helpers))}.");
    }

    /// <summary>A matrix: its shape and its values, elided NumPy-style when large.</summary>
    public static string ToHtml(Matrix<double> matrix, string? name = null) => HtmlText.Matrix(matrix, name);

    /// <summary>A network: one row per layer with its sizes, activation, parameter shapes and counts, and the total.</summary>
    public static string ToHtml(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var rows = new List<string[]>
        {
            new[] { "0", "input", $"{network.LayerSizes[0]} features", "", "", "", "" },
        };
        rows.AddRange(network.Layers.Select(LayerRow));
        rows.Add(["", "", "", "", "", "<b>total</b>", $"<b>{network.ParameterCount:N0}</b>"]);
        string caption = $"Network [{string.Join(" → ", network.LayerSizes)}] · cost {HtmlText.Escape(network.Cost.Name)}";
        string note = "Layer l computes A_l = g(W_l·A_{l−1} + b_l); W_l is (units × inputs), b_l is (units × 1): n_l·n_{l−1} + n_l parameters."
            + (network.Initialization is { } init ? $" Weights drawn by {HtmlText.Escape(init.ToString())}." : "");
        return HtmlText.Table(caption, ["layer", "inputs → units", "activation g", "W shape", "b shape", "weights + biases", "parameters"], rows, note);
    }

    private static string[] LayerRow(Layer layer) =>
    [
        layer.Index.ToString(CultureInfo.InvariantCulture),
        $"{layer.Inputs} → {layer.Units}",
        HtmlText.Escape(layer.Activation.Name),
        Shape.Of(layer.W),
        Shape.Of(layer.b),
        $"{layer.Units * layer.Inputs:N0} + {layer.Units:N0}",
        $"{layer.ParameterCount:N0}",
    ];

    /// <summary>One layer: the same row as in the network's table.</summary>
    public static string ToHtml(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return HtmlText.Table($"Layer {layer.Index}: A = {HtmlText.Escape(layer.Activation.Name)}(W·A_prev + b)",
            ["layer", "inputs → units", "activation g", "W shape", "b shape", "weights + biases", "parameters"], [LayerRow(layer)]);
    }

    /// <summary>All weights and biases: shapes, counts and small matrices inline.</summary>
    public static string ToHtml(Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var rows = Enumerable.Range(1, parameters.LayerCount).Select(l => (IReadOnlyList<string>)
        [
            l.ToString(CultureInfo.InvariantCulture),
            HtmlText.ShapeAndSmallValues(parameters.W[l]),
            HtmlText.ShapeAndSmallValues(parameters.b[l]),
            $"{parameters.W[l].RowCount * parameters.W[l].ColumnCount + parameters.b[l].RowCount:N0}",
        ]);
        return HtmlText.Table($"Parameters: {parameters.LayerCount} layers, {parameters.Count:N0} numbers",
            ["l", "W_l", "b_l", "numbers"], rows);
    }

    /// <summary>A forward pass: per layer what its cache holds, and the output AL.</summary>
    public static string ToHtml(ForwardResult forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        var rows = forward.Caches.Select(CacheRow);
        string table = HtmlText.Table($"Forward pass: AL {Shape.Of(forward.AL)} (one column of outputs per sample)",
            CacheHeader, rows,
            "Each layer keeps A_prev, W, b, Z and A in its cache for the backward pass. Columns are samples.");
        return table + HtmlText.Matrix(forward.AL, "AL");
    }

    private static readonly string[] CacheHeader = ["l", "A_{l−1} (input)", "W_l", "b_l", "Z_l = W_l·A_{l−1} + b_l", "A_l = g(Z_l)"];

    private static string[] CacheRow(LayerCache cache) =>
    [
        cache.Layer.ToString(CultureInfo.InvariantCulture),
        HtmlText.ShapeAndSmallValues(cache.A_prev),
        HtmlText.ShapeAndSmallValues(cache.W),
        HtmlText.ShapeAndSmallValues(cache.b),
        HtmlText.ShapeAndSmallValues(cache.Z),
        $"g = {HtmlText.Escape(cache.Activation.Name)}<br>" + HtmlText.ShapeAndSmallValues(cache.A),
    ];

    /// <summary>One layer's cache.</summary>
    public static string ToHtml(LayerCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return HtmlText.Table($"Layer {cache.Layer} cache", CacheHeader, [CacheRow(cache)]);
    }

    private static readonly string[] GradientHeader =
        ["l", "dA_l (from above)", "dZ_l = dA_l ⊙ g′(Z_l)", "dW_l = dZ_l·A_{l−1}ᵀ / m", "db_l = Σ dZ_l / m", "dA_{l−1} = W_lᵀ·dZ_l (sent down)"];

    private static string[] GradientRow(LayerGradients g) =>
    [
        g.Layer.ToString(CultureInfo.InvariantCulture),
        g.dA is null ? HtmlText.Note("— (the cost gave dZ directly)") : HtmlText.ShapeAndNorm(g.dA),
        HtmlText.ShapeAndNorm(g.dZ),
        HtmlText.ShapeAndNorm(g.dW),
        HtmlText.ShapeAndNorm(g.db),
        g.dA_prev is null ? HtmlText.Note("— (layer 1: nothing below)") : HtmlText.ShapeAndNorm(g.dA_prev),
    ];

    /// <summary>The chain-rule table: one row per layer from L down to 1, the order backprop computes them in.</summary>
    public static string ToHtml(Gradients gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        return HtmlText.Table($"Gradients of {gradients.Count} layers, in backprop order (L = {gradients.Count} down to 1)",
            GradientHeader, gradients.Reverse().Select(GradientRow),
            "Read each row left to right: dA_l arrives from the layer above, becomes dZ_l, which gives dW_l and db_l "
            + "(same shapes as W_l and b_l) and dA_{l−1} for the row below. ‖·‖ is the Frobenius norm.");
    }

    /// <summary>One layer's block of the chain-rule table.</summary>
    public static string ToHtml(LayerGradients gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        return HtmlText.Table($"Layer {gradients.Layer} gradients", GradientHeader, [GradientRow(gradients)]);
    }

    /// <summary>A gradient check: one row per W and b with its relative error and a verdict.</summary>
    public static string ToHtml(GradientCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Rows.Select(r => (IReadOnlyList<string>)
        [
            r.Layer.ToString(CultureInfo.InvariantCulture),
            $"{r.Parameter}{r.Layer}",
            $"{r.Count:N0}",
            r.AnalyticNorm.ToString("E3", CultureInfo.InvariantCulture),
            r.NumericalNorm.ToString("E3", CultureInfo.InvariantCulture),
            r.RelativeError.ToString("E2", CultureInfo.InvariantCulture),
            Verdict(r.RelativeError),
        ]);
        string caption = $"Gradient check (ε = {HtmlText.Number(report.Epsilon)}): max relative error "
            + $"{report.MaxRelativeError.ToString("E2", CultureInfo.InvariantCulture)} — {Verdict(report.MaxRelativeError)}";
        return HtmlText.Table(caption, ["layer", "parameter", "count", "‖analytic‖", "‖numerical‖", "relative error", "verdict"], rows,
            "Relative error = ‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖). Below 1e-7: backprop is right; "
            + "above 1e-4: a formula is wrong.");
    }

    private static string Verdict(double relativeError)
    {
        var verdict = GradientCheckReport.Verdict(relativeError);
        string mark = verdict switch { GradientVerdict.Correct => "✓", GradientVerdict.Suspicious => "⚠", _ => "✗" };
        return $"{mark} {verdict.ToString().ToLowerInvariant()}";
    }

    /// <summary>A training run in short: its settings, then the first, last and best cost and accuracy.</summary>
    public static string ToHtml(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        string caption = $"Training history: {HtmlText.Escape(history.Label)} · {HtmlText.Escape(history.Optimizer)} · "
            + $"{history.Epochs:N0} epochs{(history.Stopped ? " (stopped early)" : "")}";
        if (history.Epochs == 0) return HtmlText.Table(caption, ["", "first", "last", "best"], [], "Nothing recorded yet.");
        var rows = new List<IReadOnlyList<string>>
        {
            Row("cost", Enumerable.Range(1, history.Epochs).ToArray(), history.Costs, lowerIsBetter: true),
            Row("accuracy", Enumerable.Range(1, history.Epochs).ToArray(), history.Accuracies, lowerIsBetter: false),
        };
        if (history.ValidationEpochs.Count > 0)
        {
            var epochs = history.ValidationEpochs.ToArray();
            rows.Add(Row("validation cost", epochs, history.ValidationCosts, lowerIsBetter: true));
            rows.Add(Row("validation accuracy", epochs, history.ValidationAccuracies, lowerIsBetter: false));
        }
        return HtmlText.Table(caption, ["", "first", "last", "best"], rows,
            $"Learning rate α = {history.LearningRate.ToString(CultureInfo.InvariantCulture)}. Plot it with Charts.Training(history).");

        static IReadOnlyList<string> Row(string name, int[] epochs, IReadOnlyList<double> values, bool lowerIsBetter)
        {
            int best = 0;
            for (int i = 1; i < values.Count; i++)
                if (lowerIsBetter ? values[i] < values[best] : values[i] > values[best]) best = i;
            return
            [
                name,
                $"{HtmlText.Number(values[0])} {HtmlText.Note($"(epoch {epochs[0]})")}",
                $"{HtmlText.Number(values[^1])} {HtmlText.Note($"(epoch {epochs[^1]})")}",
                $"{HtmlText.Number(values[best])} {HtmlText.Note($"(epoch {epochs[best]})")}",
            ];
        }
    }
}
