using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Training;
using Plotly.NET;

namespace NeuralNet.Interactive;

/// <summary>
/// Charts that redraw themselves in place while a network trains: one output in the notebook,
/// updated at most every <see cref="DefaultInterval"/> and always at the end, so the saved notebook
/// holds the complete curve. Outside a notebook kernel nothing is displayed and nothing fails.
/// </summary>
/// <example>
/// <code>
/// var history = new Trainer(net).Train(X, Y, new TrainingOptions { Epochs = 1000, ReportEvery = 10, OnProgress = LiveTraining.Chart() });
/// // or, with the decision boundary forming beside it:
/// var history = LiveTraining.Train(net, X, Y, new TrainingOptions { Epochs = 2000, ReportEvery = 10 }, decisionBoundary: true);
/// </code>
/// </example>
public static class LiveTraining
{
    /// <summary>The least time between two redraws: 250 ms.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A live chart of the cost (top panel) and accuracy (bottom panel, same x axis) of the run being trained, with
    /// earlier runs (<paramref name="compareWith"/>) drawn beside it. Pass it as
    /// <see cref="TrainingOptions.OnProgress"/> (it converts to the callback); it is drawn at every
    /// report (<see cref="TrainingOptions.ReportEvery"/>) as long as <paramref name="minInterval"/> has passed.
    /// </summary>
    public static LiveChart Chart(TimeSpan? minInterval = null, params TrainingHistory[] compareWith) => Chart(minInterval, compareWith, null);

    internal static LiveChart Chart(TimeSpan? minInterval, TrainingHistory[] compareWith, Throttle? shared)
    {
        ArgumentNullException.ThrowIfNull(compareWith);
        return new LiveChart(p => Charts.LiveCurves(p, compareWith), minInterval ?? DefaultInterval, everyEpochs: 1,
            KernelDisplay.Instance, WallClock(), shared);
    }

    /// <summary>
    /// A live decision boundary of a 2-input <paramref name="network"/> on (X, Y), redrawn every
    /// <paramref name="everyEpochs"/> epochs (at reports only; the first and last always), so the boundary
    /// can be watched as it forms. <paramref name="resolution"/> grid points per axis (fewer is faster).
    /// </summary>
    public static LiveChart DecisionBoundary(Network network, Matrix<double> X, Matrix<double> Y, int everyEpochs = 100,
        TimeSpan? minInterval = null, int resolution = 60) => DecisionBoundary(network, X, Y, everyEpochs, minInterval, resolution, null);

    private static LiveChart DecisionBoundary(Network network, Matrix<double> X, Matrix<double> Y, int everyEpochs,
        TimeSpan? minInterval, int resolution, Throttle? shared)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.LayerSizes[0] != 2)
            throw new ArgumentException($"A decision boundary needs a network with 2 inputs; this one has {network.LayerSizes[0]}.", nameof(network));
        return DecisionBoundary(network.PredictProbabilities, X, Y, everyEpochs, minInterval, resolution, shared);
    }

    /// <summary>A live decision boundary of any model of the plane, given as the function from points to probabilities.</summary>
    internal static LiveChart DecisionBoundary(Func<Matrix<double>, Matrix<double>> probabilities, Matrix<double> X, Matrix<double> Y, int everyEpochs,
        TimeSpan? minInterval, int resolution, Throttle? shared)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        return new LiveChart(
            p => Charts.DecisionBoundary(probabilities, X, Y, resolution,
                title: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Decision boundary — {(p.History.StepsPerEpoch == 1 ? "iteration" : "epoch")} {p.Epoch:N0} / {p.Epochs:N0}") + $", training accuracy {HtmlText.Percent(p.Accuracy)}"),
            minInterval ?? DefaultInterval, everyEpochs, KernelDisplay.Instance, WallClock(), shared);
    }

    /// <summary>
    /// Trains <paramref name="network"/> with <paramref name="options"/> while a live cost/accuracy chart
    /// (and with <paramref name="decisionBoundary"/> a live decision boundary, redrawn at every report)
    /// shows the progress; the options' own OnProgress is still called. The charts are brought up to date
    /// at the end, also when training stops early or fails.
    /// </summary>
    public static TrainingHistory Train(Network network, Matrix<double> X, Matrix<double> Y, TrainingOptions? options = null,
        bool decisionBoundary = false, TimeSpan? minInterval = null, params TrainingHistory[] compareWith)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new TrainingOptions();
        // One throttle for both charts, so they are redrawn together, as one round.
        var throttle = new Throttle(minInterval ?? DefaultInterval, WallClock());
        var charts = new List<LiveChart> { Chart(minInterval, compareWith, throttle) };
        if (decisionBoundary) charts.Add(DecisionBoundary(network, X, Y, everyEpochs: 1, minInterval, resolution: 60, throttle));
        var user = options.OnProgress;
        try
        {
            return new Trainer(network).Train(X, Y, options with
            {
                OnProgress = p =>
                {
                    foreach (var chart in charts) chart.Report(p);
                    user?.Invoke(p);
                },
            });
        }
        finally
        {
            foreach (var chart in charts) chart.Flush();
        }
    }

    internal static Func<TimeSpan> WallClock()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        return () => watch.Elapsed;
    }
}

/// <summary>
/// One chart shown once and redrawn in place as reports arrive. It redraws at most every
/// <see cref="MinInterval"/> (wall clock) and only at epochs that are multiples of <see cref="EveryEpochs"/>,
/// but always at the first report and at the last (epoch = epochs); a report skipped meanwhile is drawn
/// by <see cref="Flush"/>. Converts to <c>Action&lt;TrainingProgress&gt;</c> for <see cref="TrainingOptions.OnProgress"/>.
/// </summary>
public sealed class LiveChart
{
    private readonly Func<TrainingProgress, GenericChart> _render;
    private readonly IDisplayTarget _target;
    private readonly Throttle _throttle;
    private IDisplayHandle? _handle;
    private bool _headless;
    private TrainingProgress? _pending;
    private bool _failed;

    internal LiveChart(Func<TrainingProgress, GenericChart> render, TimeSpan minInterval, int everyEpochs, IDisplayTarget target, Func<TimeSpan> clock,
        Throttle? shared = null)
    {
        if (everyEpochs < 1) throw new ArgumentOutOfRangeException(nameof(everyEpochs), $"Redraw every N ≥ 1 epochs, not {everyEpochs}.");
        _render = render;
        _target = target;
        _throttle = shared ?? new Throttle(minInterval, clock);
        MinInterval = minInterval;
        EveryEpochs = everyEpochs;
    }

    /// <summary>The least wall-clock time between two redraws.</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>Redraws happen only at epochs that are multiples of this (and the first and last).</summary>
    public int EveryEpochs { get; }

    /// <summary>The chart as last drawn (null before the first report).</summary>
    public GenericChart? Current { get; private set; }

    /// <summary>The epoch the current chart shows.</summary>
    public int? CurrentEpoch { get; private set; }

    /// <summary>How many times the chart was drawn: the first display plus every update.</summary>
    public int Draws { get; private set; }

    /// <summary>True when the chart is shown in a notebook; false outside a kernel.</summary>
    public bool IsDisplayed => _handle is not null;

    /// <summary>The callback for <see cref="TrainingOptions.OnProgress"/>.</summary>
    public Action<TrainingProgress> OnProgress => Report;

    /// <summary>Lets a live chart be given directly as <see cref="TrainingOptions.OnProgress"/>.</summary>
    public static implicit operator Action<TrainingProgress>(LiveChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.Report;
    }

    /// <summary>Takes one report: draws it now if it is due, else keeps it for later.</summary>
    public void Report(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        bool first = Draws == 0;
        bool last = progress.Epoch >= progress.Epochs;
        bool onStep = progress.Epoch % EveryEpochs == 0;
        // Outside a kernel there is no one to show intermediate charts to: draw only the end.
        bool due = first || last || (!_headless && onStep && _throttle.IsDue(progress.Epoch));
        if (due) Draw(progress);
        else if (first || last || onStep) _pending = progress;
    }

    /// <summary>Draws the last report that was skipped, if any: call it when training ends early.</summary>
    public void Flush()
    {
        if (_pending is { } p) Draw(p);
    }

    private void Draw(TrainingProgress progress)
    {
        _pending = null;
        if (_failed) return;
        _throttle.Starting(progress.Epoch);
        GenericChart chart;
        try
        {
            chart = _render(progress);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A chart that cannot be drawn must never stop training; say so once and carry on.
            System.Diagnostics.Trace.WriteLine($"NeuralNet.Interactive: the live chart could not be drawn: {e.Message}");
            _failed = true;
            return;
        }
        Current = chart;
        CurrentEpoch = progress.Epoch;
        Draws++;
        if (!_headless)
        {
            // The chart itself, formatted by the kernel as every chart is (ChartOutput: HTML); each update
            // replaces it, so the saved output holds the final figure.
            if (_handle is null)
            {
                _handle = _target.Show(chart);
                _headless = _handle is null;
            }
            else
            {
                _handle.Update(chart);
            }
        }
        _throttle.Drawn();
    }
}

/// <summary>
/// "At most once per interval", per round of drawing: a report is due when the interval has passed since
/// the last round ended, and also twice the last round's own drawing time (so slow charts spend at most
/// about a third of the wall time drawing). Several charts sharing one throttle decide once per epoch
/// and draw together, as one round.
/// </summary>
internal sealed class Throttle(TimeSpan interval, Func<TimeSpan> clock)
{
    private TimeSpan? _lastEnd;
    private TimeSpan _roundStart;
    private TimeSpan _roundCost;
    private int _epoch = int.MinValue;
    private bool _decision;
    private int? _firstRound;

    /// <summary>Whether the report of <paramref name="epoch"/> is due (the same answer for every chart asking about that epoch).</summary>
    public bool IsDue(int epoch)
    {
        if (epoch == _epoch) return _decision;
        var now = clock();
        var wait = _roundCost * 2 > interval ? _roundCost * 2 : interval;
        _decision = _lastEnd is not { } last || now - last >= wait;
        _epoch = epoch;
        if (_decision) _roundStart = now;
        return _decision;
    }

    /// <summary>A chart starts drawing <paramref name="epoch"/> (due or forced: the first or last report).</summary>
    public void Starting(int epoch)
    {
        if (epoch == _epoch && _decision) return;
        _epoch = epoch;
        _decision = true;
        _roundStart = clock();
    }

    /// <summary>A chart finished drawing; the round's cost so far is the time since it started.</summary>
    public void Drawn()
    {
        var now = clock();
        _lastEnd = now;
        // The first round pays for JIT compilation and Plotly's start-up: not a measure of drawing time.
        _firstRound ??= _epoch;
        if (_epoch != _firstRound) _roundCost = now - _roundStart;
    }
}

/// <summary>Where a live chart is shown: the notebook, or in tests a fake.</summary>
internal interface IDisplayTarget
{
    /// <summary>Shows the content and returns a handle to update it, or null when there is nowhere to show it.</summary>
    IDisplayHandle? Show(object content);
}

internal interface IDisplayHandle
{
    void Update(object content);
}

/// <summary>The notebook kernel's display of the cell being run; nothing outside a kernel.</summary>
internal sealed class KernelDisplay : IDisplayTarget
{
    public static readonly KernelDisplay Instance = new();

    public IDisplayHandle? Show(object content)
    {
        try
        {
            return Kernel.Show(content);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // No kernel assembly, or no cell running (e.g. training on a background thread): just don't display.
            System.Diagnostics.Trace.WriteLine($"NeuralNet.Interactive: the live chart cannot be displayed: {e.Message}");
            return null;
        }
    }

    /// <summary>Kept apart so that the kernel's types are only loaded when a chart is shown.</summary>
    private static class Kernel
    {
        public static IDisplayHandle? Show(object content)
        {
            var context = Microsoft.DotNet.Interactive.KernelInvocationContext.Current;
            if (context is null) return null;
            // A chart's one MIME type (its formatter is registered by Formatters.Register); Update re-formats it.
            var displayed = Microsoft.DotNet.Interactive.KernelInvocationContextExtensions.Display(context, content,
                Microsoft.DotNet.Interactive.Formatting.HtmlFormatter.MimeType);
            return new Handle(content => displayed.Update(content));
        }
    }

    private sealed class Handle(Action<object> update) : IDisplayHandle
    {
        public void Update(object content)
        {
            try
            {
                update(content);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                System.Diagnostics.Trace.WriteLine($"NeuralNet.Interactive: the live chart could not be updated: {e.Message}");
            }
        }
    }
}
