using System.Text.Json;
using NeuralNet.Numerics;
using NeuralNet.Tests.Reference;

namespace NeuralNet.Tests;

/// <summary>Replays every call recorded from NumPy's legacy generator and demands the same numbers, bit for bit.</summary>
public class NumPyRandomTests
{
    public static TheoryData<string, uint> Cases()
    {
        var data = new TheoryData<string, uint>();
        foreach (var c in ReferenceData.Random.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!, c.GetProperty("seed").GetUInt32());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_numpy_exactly(string name, uint seed)
    {
        var @case = ReferenceData.Random.GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name && c.GetProperty("seed").GetUInt32() == seed);
        var rng = new NumPyRandom(seed);
        int stepNumber = 0;
        foreach (var step in @case.GetProperty("steps").EnumerateArray())
        {
            stepNumber++;
            var expected = ReferenceData.Doubles(step.GetProperty("data"));
            var actual = Replay(rng, step.GetProperty("call").GetString()!, step.GetProperty("args"), Count(step));
            Assert.True(expected.Length == actual.Length, $"step {stepNumber}: {expected.Length} values expected, {actual.Length} produced");
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i] == actual[i], $"{name} seed {seed} step {stepNumber} ({step.GetProperty("call")}) value {i}: NumPy {expected[i]:R}, ours {actual[i]:R}");
        }
    }

    private static int Count(JsonElement step) =>
        step.GetProperty("shape").EnumerateArray().Aggregate(1, (p, e) => p * e.GetInt32());

    private static (int Rows, int Cols) Size(JsonElement args, int count)
    {
        if (!args.TryGetProperty("size", out var size) || size.ValueKind == JsonValueKind.Null) return (1, 1);
        if (size.ValueKind == JsonValueKind.Number) return (1, size.GetInt32());
        var dims = ReferenceData.Ints(size);
        return dims.Length == 2 ? (dims[0], dims[1]) : (1, count);
    }

    private static double[] Flatten(MathNet.Numerics.LinearAlgebra.Matrix<double> m)
    {
        var values = new double[m.RowCount * m.ColumnCount];
        for (int i = 0; i < m.RowCount; i++)
            for (int j = 0; j < m.ColumnCount; j++)
                values[i * m.ColumnCount + j] = m[i, j];
        return values;
    }

    private static double[] Replay(NumPyRandom rng, string call, JsonElement args, int count)
    {
        var (rows, cols) = Size(args, count);
        switch (call)
        {
            case "raw32":
                return Enumerable.Range(0, count).Select(_ => (double)rng.NextUInt32()).ToArray();
            case "random_sample":
                return Flatten(rng.Rand(rows, cols));
            case "randn":
                return Flatten(rng.Randn(rows, cols));
            case "randint":
                return Flatten(rng.RandInt(args.GetProperty("low").GetInt64(), args.GetProperty("high").GetInt64(), rows, cols));
            case "choice":
                var a = args.GetProperty("a");
                double[] values = a.ValueKind == JsonValueKind.Number
                    ? Enumerable.Range(0, a.GetInt32()).Select(i => (double)i).ToArray()
                    : ReferenceData.Doubles(a);
                return Flatten(rng.Choice(values, rows, cols));
            case "shuffle_arange":
                var items = Enumerable.Range(0, args.GetProperty("n").GetInt32()).ToArray();
                rng.Shuffle(items);
                return items.Select(i => (double)i).ToArray();
            case "permutation":
                return rng.Permutation(args.GetProperty("n").GetInt32()).Select(i => (double)i).ToArray();
            default:
                throw new InvalidOperationException($"The reference file has a call this test does not know: {call}");
        }
    }

    [Fact]
    public void Reseeding_restarts_the_sequence_and_drops_the_spare_normal()
    {
        var rng = new NumPyRandom(7);
        double first = rng.NextGaussian();
        rng.NextGaussian();
        rng.NextGaussian(); // leaves a spare
        rng.Seed(7);
        Assert.Equal(first, rng.NextGaussian());
    }

    [Fact]
    public void A_randint_range_of_2_to_the_32_is_a_raw_draw_and_a_wider_one_is_refused_even_for_an_empty_matrix()
    {
        var rng = new NumPyRandom(5);
        var raw = new NumPyRandom(5);
        for (int i = 0; i < 1000; i++)
            Assert.Equal(-7 + (long)raw.NextUInt32(), rng.RandInt(-7, -7 + (1L << 32)));
        Assert.Contains("up to 2^32", Assert.Throws<ArgumentOutOfRangeException>(() => rng.RandInt(0, (1L << 32) + 1, 0, 0)).Message);
    }

    [Theory]
    [InlineData(long.MinValue, long.MaxValue, "18446744073709551615")]   // high − low − 1 wrapped to −2 and was drawn from
    [InlineData(long.MinValue, 0L, "9223372036854775808")]               // refused, but the count wrapped negative
    [InlineData(-1L, long.MaxValue, "9223372036854775808")]
    public void A_randint_range_too_wide_for_a_long_is_refused_with_its_true_width(long low, long high, string width)
    {
        var rng = new NumPyRandom(0);
        foreach (var draw in new Action[] { () => rng.RandInt(low, high), () => rng.RandInt(low, high, 2, 2) })
            Assert.Contains(FormattableString.Invariant($"supports ranges up to 2^32 values; [{low}, {high}) has {width}."),
                Assert.Throws<ArgumentOutOfRangeException>(draw).Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_a_reason()
    {
        var rng = new NumPyRandom(0);
        Assert.Contains("low < high", Assert.Throws<ArgumentOutOfRangeException>(() => rng.RandInt(5, 5)).Message);
        Assert.Contains("at least one value", Assert.Throws<ArgumentException>(() => rng.Choice([], 1, 1)).Message);
        Assert.Contains("n ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => rng.Permutation(-1)).Message);
    }
}
