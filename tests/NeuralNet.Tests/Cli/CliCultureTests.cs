using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNet.Tests.Data;

namespace NeuralNet.Tests.Cli;

/// <summary>
/// The CLI writes numbers the same way on every machine (0.5, 1,234: what it reads on its command line and
/// what scripts read from its CSV), without changing the culture of the process that runs it.
/// </summary>
public sealed class CliCultureTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("de-DE")]   // 0,5 and 1.234
    [InlineData("fr-FR")]   // 0,5 and 1 234 (a narrow no-break space)
    [InlineData("sv-SE")]   // −3 (U+2212) for a negative number
    public void Every_command_writes_the_same_text_in_any_culture(string cultureName)
    {
        var culture = CultureInfo.GetCultureInfo(cultureName);
        Assert.Equal(",", culture.NumberFormat.NumberDecimalSeparator);   // the culture really differs (ICU is there)

        var invariant = RunAll(CultureInfo.InvariantCulture, "invariant");
        var local = RunAll(culture, cultureName);

        Assert.Equal(invariant.Count, local.Count);
        for (int i = 0; i < invariant.Count; i++)
        {
            Assert.Equal(invariant[i].Name, local[i].Name);
            Assert.Equal(invariant[i].Text, local[i].Text);
        }
        // Not vacuous: the outputs compared hold decimals and thousands.
        string all = string.Concat(local.Select(o => o.Text));
        Assert.Matches(@"cost 0\.\d{4}", all);
        Assert.Matches(@"\d\.\d%", all);
        Assert.Contains("1,000", all);
        Assert.Contains("not -3", all);
    }

    [Fact]
    public void The_caller_keeps_its_culture_while_the_CLI_runs()
    {
        var saved = CultureInfo.CurrentCulture;
        var seen = new List<string>();
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var r = CliRunner.Run(CancellationToken.None, _ => seen.Add(CultureInfo.CurrentCulture.Name),
                "train", "--data", "moons", "--samples", "100", "--hidden-layers", "4", "--epochs", "2", "--no-chart", "--out", _temp.File("m.json"));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("de-DE", CultureInfo.CurrentCulture.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.NotEmpty(seen);
        Assert.All(seen, name => Assert.Equal("de-DE", name));
    }

    /// <summary>train, evaluate, info, predict (with a CSV out) and two usage errors, run under <paramref name="culture"/>.</summary>
    private List<(string Name, string Text)> RunAll(CultureInfo culture, string tag)
    {
        var saved = CultureInfo.CurrentCulture;
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            string folder = Directory.CreateDirectory(_temp.File(tag)).FullName;
            string model = Path.Combine(folder, "moons.json");
            string rows = Path.Combine(folder, "rows.csv");
            string predictions = Path.Combine(folder, "predictions.csv");
            File.WriteAllText(rows, "x1,x2\n0.5,0.25\n-1.5,1e-3\n2,-0.75\n");

            var outputs = new List<(string, string)>();
            void Add(string name, CliRunner.Result r, int exitCode)
            {
                Assert.True(r.ExitCode == exitCode, $"{name} under {culture.Name}: {r}");
                // The same text in both runs but for the run's folder and the seconds it took.
                string text = (r.Output + r.Error).Replace(folder, "<folder>", StringComparison.Ordinal);
                outputs.Add((name, Regex.Replace(text, @"\d+\.\d s\b", "<t> s")));
            }

            Add("train", CliRunner.Run("train", "--data", "moons", "--samples", "1000", "--hidden-layers", "8", "--epochs", "3",
                "--learning-rate", "0.05", "--l2", "0.0005", "--seed", "2", "--out", model, "--chart", Path.Combine(folder, "chart.html")), 0);
            Add("evaluate", CliRunner.Run("evaluate", model, "--data", "moons", "--samples", "1000", "--seed", "2", "--split", "all"), 0);
            Add("info", CliRunner.Run("info", model), 0);
            Add("predict", CliRunner.Run("predict", model, "--data", rows, "--out", predictions), 0);
            outputs.Add(("predictions.csv", File.ReadAllText(predictions)));
            Add("bad epochs", CliRunner.Run("train", "--data", "moons", "--epochs", "-3", "--out", model), 2);
            Add("bad rate", CliRunner.Run("train", "--data", "moons", "--learning-rate", "1000.5", "--out", model), 2);
            return outputs;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }
}
