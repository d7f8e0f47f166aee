using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Numerics;

/// <summary>
/// A random generator that gives, for the same seed, exactly the numbers NumPy's legacy global
/// generator gives (<c>np.random.seed</c>, <c>rand</c>, <c>randn</c>, <c>randint</c>, <c>choice</c>,
/// <c>shuffle</c>, <c>permutation</c>). With it, a C# notebook reproduces a NumPy notebook digit for digit.
/// </summary>
/// <remarks>
/// The recipe: a Mersenne Twister (MT19937) seeded with <c>init_genrand(seed)</c>; a double is made of
/// two 32-bit draws, <c>((a &gt;&gt; 5)·2²⁶ + (b &gt;&gt; 6)) / 2⁵³</c>; normals come from the polar
/// Box–Muller method, which makes two at a time and keeps the second for the next call; integers in a
/// small range are masked 32-bit draws, redrawn until they fall in range. Matrices are filled in
/// NumPy's order, row by row (C order), whatever the storage order of the matrix.
/// </remarks>
public sealed class NumPyRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;
    private double? _spareGauss;

    /// <summary>A generator seeded as <c>np.random.seed(seed)</c> would seed NumPy's.</summary>
    public NumPyRandom(uint seed) => Seed(seed);

    /// <summary>The seed this generator was last seeded with.</summary>
    internal uint LastSeed { get; private set; }

    /// <summary>Reseeds the generator, as <c>np.random.seed(seed)</c>; a kept spare normal is dropped.</summary>
    public void Seed(uint seed)
    {
        LastSeed = seed;
        _mt[0] = seed;
        for (int i = 1; i < N; i++)
            _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        _index = N;
        _spareGauss = null;
    }

    /// <summary>The next raw 32-bit output of the Mersenne Twister.</summary>
    internal uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Makes the next 624 words of state by MT19937's recurrence; the indices wrap around the state.</summary>
    private void Twist()
    {
        const uint upper = 0x80000000u, lower = 0x7fffffffu, matrixA = 0x9908b0dfu;
        for (int k = 0; k < N; k++)
        {
            uint y = (_mt[k] & upper) | (_mt[(k + 1) % N] & lower);
            _mt[k] = _mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? matrixA : 0u);
        }
        _index = 0;
    }

    /// <summary>A uniform double in [0, 1), as <c>np.random.random_sample()</c> (53 random bits).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>A standard normal draw, as <c>np.random.randn()</c> (polar Box–Muller, spare kept).</summary>
    internal double NextGaussian()
    {
        if (_spareGauss is double spare)
        {
            _spareGauss = null;
            return spare;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _spareGauss = f * x1;
        return f * x2;
    }

    /// <summary>
    /// An integer in [0, max], inclusive, by masked rejection: draw 32 bits, keep the lowest bits
    /// that can hold <paramref name="max"/>, redraw while the value is above it.
    /// This is NumPy's <c>random_interval</c> (used by shuffle) and its masked bounded draw (used by randint); for
    /// max = 2³² − 1 the mask keeps all 32 bits, so the draw is a raw one, as NumPy's.
    /// </summary>
    private uint NextMaskedUpTo(uint max)
    {
        if (max == 0) return 0;
        uint mask = uint.MaxValue >> BitOperations.LeadingZeroCount(max);
        uint value;
        while ((value = NextUInt32() & mask) > max) { }
        return value;
    }

    /// <summary>An integer in [low, high), as <c>np.random.randint(low, high)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when high ≤ low, or the range is wider than 2³².</exception>
    public long RandInt(long low, long high) => low + NextMaskedUpTo(LargestOffset(low, high));

    /// <summary>A rows × cols matrix of uniform [0, 1) draws, filled row by row as <c>np.random.rand(rows, cols)</c>.</summary>
    public Matrix<double> Rand(int rows, int cols) => Fill(rows, cols, NextDouble);

    /// <summary>A rows × cols matrix of standard normals, filled row by row as <c>np.random.randn(rows, cols)</c>.</summary>
    public Matrix<double> Randn(int rows, int cols) => Fill(rows, cols, NextGaussian);

    /// <summary>A rows × cols matrix of integers in [low, high), as <c>np.random.randint(low, high, size=(rows, cols))</c>.</summary>
    public Matrix<double> RandInt(long low, long high, int rows, int cols)
    {
        uint largest = LargestOffset(low, high);
        return Fill(rows, cols, () => low + NextMaskedUpTo(largest));
    }

    /// <summary>
    /// high − low − 1, the largest number a draw in [low, high) adds to low; refuses an empty range or one wider than 2³².
    /// The width high − low is taken as a ulong: it can reach 2⁶⁴ − 1, which wraps in a long.
    /// </summary>
    private static uint LargestOffset(long low, long high)
    {
        if (high <= low)
            throw new ArgumentOutOfRangeException(nameof(high), Invariant($"randint needs low < high, but low = {low} and high = {high}."));
        ulong width = unchecked((ulong)high - (ulong)low);
        if (width > 1UL << 32)
            throw new ArgumentOutOfRangeException(nameof(high), Invariant($"randint here supports ranges up to 2^32 values; [{low}, {high}) has {width}."));
        return (uint)(width - 1);
    }

    /// <summary>
    /// A rows × cols matrix whose entries are picked uniformly, with replacement, from
    /// <paramref name="values"/>, as <c>np.random.choice(values, size=(rows, cols))</c>.
    /// </summary>
    public Matrix<double> Choice(IReadOnlyList<double> values, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            throw new ArgumentException("choice needs at least one value to choose from.", nameof(values));
        return Fill(rows, cols, () => values[(int)RandInt(0, values.Count)]);
    }

    /// <summary>Shuffles the list in place, as <c>np.random.shuffle</c>: Fisher–Yates from the end.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = (int)NextMaskedUpTo((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>0 … n−1 in a random order, as <c>np.random.permutation(n)</c>.</summary>
    internal int[] Permutation(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), Invariant($"permutation needs n ≥ 0, not {n}."));
        var order = Enumerable.Range(0, n).ToArray();
        Shuffle(order);
        return order;
    }

    private static Matrix<double> Fill(int rows, int cols, Func<double> next)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), Invariant($"A matrix needs non-negative sizes, not {rows} × {cols}."));
        var m = Matrix<double>.Build.Dense(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = next();
        return m;
    }

    /// <inheritdoc />
    public override string ToString() => Invariant($"NumPyRandom(seed={LastSeed}, MT19937 as np.random's legacy generator)");
}
