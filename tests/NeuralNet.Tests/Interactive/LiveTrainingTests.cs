using NeuralNet.Interactive;
using NeuralNet.Training;
using Plotly.NET;

namespace NeuralNet.Tests.Interactive;

public class LiveTrainingTests
{
    /// <summary>A notebook stand-in: records the first display and every update.</summary>
    private sealed class FakeDisplay : IDisplayTarget, IDisplayHandle
    {
        public int Shown, Updates;
        public object? Last;

        public IDisplayHandle? Show(object content)
        {
            Shown++;
            Last = content;
            return this;
        }

        public void Update(object content)
        {
            Updates++;
            Last = content;
        }
    }

    private sealed class FakeClock
    {
        public TimeSpan Now;
        public TimeSpan Read() => Now;
    }

    private static (LiveChart Chart, FakeDisplay Display, FakeClock Clock, List<int> Drawn) Live(int everyEpochs = 1, double intervalMs = 250)
    {
        var display = new FakeDisplay();
        var clock = new FakeClock();
        var drawn = new List<int>();
        var chart = new LiveChart(p =>
        {
            drawn.Add(p.Epoch);
            return Charts.Cost(p.History);
        }, TimeSpan.FromMilliseconds(intervalMs), everyEpochs, display, clock.Read);
        return (chart, display, clock, drawn);
    }

    [Fact]
    public void A_thousand_reports_a_millisecond_apart_draw_five_times_first_and_last_included()
    {
        var (chart, display, clock, drawn) = Live();
        var history = new TrainingHistory(0.05);
        for (int epoch = 1; epoch <= 1000; epoch++)
        {
            history.Add(1.0 / epoch, 0.5);
            chart.Report(Samples.Progress(epoch, 1000, history));
            clock.Now += TimeSpan.FromMilliseconds(1);
        }
        // Epoch 1 at t = 0, then t = 250, 500, 750 ms, then the last epoch always.
        Assert.Equal([1, 251, 501, 751, 1000], drawn);
        Assert.Equal(1, display.Shown);
        Assert.Equal(4, display.Updates);
        Assert.Equal(5, chart.Draws);
        Assert.Equal(1000, chart.CurrentEpoch);
        Assert.True(chart.IsDisplayed);
        // The final output holds the complete curve.
        // The final display is the chart itself (so the kernel formats it as every chart: HTML).
        var final = Assert.IsAssignableFrom<GenericChart>(display.Last);
        Assert.Same(chart.Current, final);
        Assert.Contains("0.001", Charts.ToHtml(final));
        Assert.Contains("0.001", ChartOutput.FigureJson(final));
        Assert.Equal(1000, GenericChart.getTraces(chart.Current!).Single().TryGetPropertyValue("y") is { } y ? ((Array)y.Value).Length : 0);
    }

    [Fact]
    public void Slow_reports_are_all_drawn()
    {
        var (chart, _, clock, drawn) = Live();
        var history = new TrainingHistory(0.05);
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            history.Add(1, 0.5);
            chart.Report(Samples.Progress(epoch, 5, history));
            clock.Now += TimeSpan.FromSeconds(1);
        }
        Assert.Equal([1, 2, 3, 4, 5], drawn);
    }

    [Fact]
    public void Every_n_epochs_draws_only_multiples_of_n_and_the_ends()
    {
        var (chart, _, clock, drawn) = Live(everyEpochs: 4, intervalMs: 0);
        var history = new TrainingHistory(0.05);
        for (int epoch = 1; epoch <= 10; epoch++)
        {
            history.Add(1, 0.5);
            chart.Report(Samples.Progress(epoch, 10, history));
            clock.Now += TimeSpan.FromMilliseconds(10);
        }
        Assert.Equal([1, 4, 8, 10], drawn);
    }

    [Fact]
    public void Flush_draws_the_last_skipped_report_when_training_stops_early()
    {
        var (chart, display, clock, drawn) = Live();
        var history = new TrainingHistory(0.05);
        for (int epoch = 1; epoch <= 30; epoch++)       // of 100: stopped early, no last report
        {
            history.Add(1, 0.5);
            chart.Report(Samples.Progress(epoch, 100, history));
            clock.Now += TimeSpan.FromMilliseconds(1);
        }
        Assert.Equal([1], drawn);
        chart.Flush();
        Assert.Equal([1, 30], drawn);
        Assert.Equal(1, display.Updates);
        chart.Flush();                                   // nothing new: no redraw
        Assert.Equal(2, chart.Draws);
    }

    [Fact]
    public void A_chart_that_fails_to_draw_never_stops_training()
    {
        int calls = 0;
        var chart = new LiveChart(_ => { calls++; throw new InvalidOperationException("boom"); },
            TimeSpan.Zero, 1, new FakeDisplay(), () => TimeSpan.Zero);
        var history = new TrainingHistory(0.05);
        history.Add(1, 0.5);
        chart.Report(Samples.Progress(1, 3, history));
        chart.Report(Samples.Progress(2, 3, history));
        Assert.Equal(1, calls);
        Assert.Null(chart.Current);
    }

    [Fact]
    public void Charts_sharing_a_throttle_redraw_together()
    {
        var clock = new FakeClock();
        var throttle = new Throttle(TimeSpan.FromMilliseconds(250), clock.Read);
        var a = new List<int>();
        var b = new List<int>();
        var curves = new LiveChart(p => { a.Add(p.Epoch); return Charts.Cost(p.History); }, TimeSpan.Zero, 1, new FakeDisplay(), clock.Read, throttle);
        var boundary = new LiveChart(p => { b.Add(p.Epoch); return Charts.Cost(p.History); }, TimeSpan.Zero, 1, new FakeDisplay(), clock.Read, throttle);
        var history = new TrainingHistory(0.05);
        for (int epoch = 1; epoch <= 1000; epoch++)
        {
            history.Add(1, 0.5);
            curves.Report(Samples.Progress(epoch, 1000, history));
            boundary.Report(Samples.Progress(epoch, 1000, history));
            clock.Now += TimeSpan.FromMilliseconds(1);
        }
        Assert.Equal([1, 251, 501, 751, 1000], a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_slow_chart_waits_twice_its_drawing_time_between_redraws()
    {
        var clock = new FakeClock();
        var starts = new List<TimeSpan>();
        var chart = new LiveChart(p =>
        {
            starts.Add(clock.Now);
            clock.Now += TimeSpan.FromMilliseconds(500);         // drawing takes half a second
            return Charts.Cost(p.History);
        }, TimeSpan.FromMilliseconds(250), 1, new FakeDisplay(), clock.Read);
        var history = new TrainingHistory(0.05);
        for (int epoch = 1; epoch <= 5000; epoch++)
        {
            history.Add(1, 0.5);
            chart.Report(Samples.Progress(epoch, 5000, history));
            clock.Now += TimeSpan.FromMilliseconds(1);
        }
        var gaps = starts.Zip(starts.Skip(1), (x, y) => (y - x).TotalMilliseconds).SkipLast(1).ToArray();
        Assert.True(gaps.Length > 2);
        Assert.InRange(gaps[0], 750, 752);                       // the first draw (JIT, start-up) is not a measure: 500 + 250
        Assert.All(gaps.Skip(1), g => Assert.InRange(g, 1500, 1502));   // then 500 ms drawing + 1000 ms wait
        Assert.Equal(5000, chart.CurrentEpoch);
    }

    [Fact]
    public void Outside_a_kernel_live_training_runs_quietly_and_keeps_the_final_chart()
    {
        var (X, Y) = Samples.Clusters();
        var net = new Network([2, 3, 1], hidden: Activations.Tanh);
        int userReports = 0;
        var history = LiveTraining.Train(net, X, Y,
            new TrainingOptions { Optimizer = new Sgd(0.5), Epochs = 50, ReportEvery = 5, OnProgress = _ => userReports++ },
            decisionBoundary: true);
        Assert.Equal(50, history.Epochs);
        Assert.Equal(11, userReports);                   // epochs 1, 5, 10, …, 50: the user's callback still runs

        var live = LiveTraining.Chart();
        new Trainer(net).Train(X, Y, new TrainingOptions { Epochs = 20, ReportEvery = 5, OnProgress = live });
        Assert.False(live.IsDisplayed);
        Assert.Equal(20, live.CurrentEpoch);
        Assert.Equal(2, live.Draws);                     // headless: the first and the last only

        var boundary = LiveTraining.DecisionBoundary(net, X, Y, everyEpochs: 10, resolution: 10);
        new Trainer(net).Train(X, Y, new TrainingOptions { Epochs = 20, ReportEvery = 5, OnProgress = boundary });
        Assert.Contains("iteration 20 / 20", GenericChart.toJson(boundary.Current!));   // full batch: an epoch is one iteration
    }
}
