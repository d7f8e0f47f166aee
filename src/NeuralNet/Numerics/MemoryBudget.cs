using System.Globalization;
using static System.FormattableString;

namespace NeuralNet.Numerics;

/// <summary>
/// How much memory one matrix, one data set or one model may take, checked with overflow-safe (64-bit, capped)
/// arithmetic <em>before</em> anything is allocated — so a typo in a layer size or a damaged file header is a clear
/// error instead of an "out of memory" crash or a silent int overflow.
/// </summary>
/// <remarks>
/// The budget is <see cref="DefaultBytes"/> (4 GiB) unless the environment variable <c>NEURALNET_MEMORY_BUDGET</c>
/// gives another size in bytes (suffixes K, M, G allowed: <c>NEURALNET_MEMORY_BUDGET=8G</c>). Every check names the
/// budget and the variable, so a larger machine can raise it. Independently of the budget, one matrix cannot have more
/// than <see cref="int.MaxValue"/> elements (MathNet stores it in one array).
/// </remarks>
public static class MemoryBudget
{
    /// <summary>The default budget: 4 GiB (the full Fashion-MNIST training set as doubles is 376 MB).</summary>
    internal const long DefaultBytes = 4L << 30;

    /// <summary>The environment variable that overrides the budget.</summary>
    internal const string Variable = "NEURALNET_MEMORY_BUDGET";

    /// <summary>The budget in bytes in force now.</summary>
    /// <exception cref="ArgumentException">when <c>NEURALNET_MEMORY_BUDGET</c> is set to something that is not a size (it is not ignored).</exception>
    public static long Bytes => FromVariable(Environment.GetEnvironmentVariable(Variable));

    /// <summary>
    /// The budget <paramref name="text"/> (the variable's value) gives: the default when unset or blank, else its size —
    /// and an error naming the variable when it is not one ("16GB", "lots", "0"), rather than the default without a word.
    /// </summary>
    internal static long FromVariable(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultBytes;
        return Parse(text) ?? throw new ArgumentException(
            $"{Variable} is \"{text}\", which is not a memory size: give a whole number of bytes, optionally followed by K, M, G or T (powers of 1024), e.g. {Variable}=16G. " +
            $"Unset it to use the default, {Describe(DefaultBytes)}.");
    }

    /// <summary>The largest number of elements one matrix may have (MathNet keeps a matrix in one array).</summary>
    internal const long MaxElements = int.MaxValue;

    /// <summary>a × b without overflow: the exact product, or <see cref="long.MaxValue"/> when it would not fit.</summary>
    internal static long Multiply(long a, long b)
    {
        if (a < 0 || b < 0) throw new ArgumentOutOfRangeException(a < 0 ? nameof(a) : nameof(b), "Sizes are never negative.");
        if (a == 0 || b == 0) return 0;
        return a > long.MaxValue / b ? long.MaxValue : a * b;
    }

    /// <summary>a + b without overflow: the sum, or <see cref="long.MaxValue"/> when it would not fit.</summary>
    internal static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>"1.5 GiB", "376 MB"-style sizes for messages.</summary>
    internal static string Describe(long bytes) => bytes switch
    {
        long.MaxValue => "more than 8 EiB",
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>What to do when the budget is too small, for the end of a message.</summary>
    internal static string Advice => $"The memory budget is {Describe(Bytes)}; set {Variable} (e.g. {Variable}=16G) to allow more.";

    /// <summary>
    /// Checks that a (rows × columns) matrix of doubles can be allocated: at most <see cref="int.MaxValue"/> elements
    /// and within the budget. Returns the element count. <paramref name="what"/> names the matrix in the message.
    /// </summary>
    /// <exception cref="ArgumentException">when it cannot.</exception>
    internal static long CheckMatrix(long rows, long columns, string what)
    {
        long elements = Multiply(rows, columns);
        if (elements > MaxElements)
            throw new ArgumentException(
                Invariant($"{what} would be {rows:N0} × {columns:N0} = {(elements == long.MaxValue ? "too many" : elements.ToString("N0", CultureInfo.InvariantCulture))} numbers, ") +
                Invariant($"more than one matrix can hold ({MaxElements:N0}). Use smaller sizes."));
        long bytes = Multiply(elements, sizeof(double));
        if (bytes > Bytes)
            throw new ArgumentException(Invariant($"{what} would be {rows:N0} × {columns:N0} numbers = {Describe(bytes)} of memory. {Advice}"));
        return elements;
    }

    /// <summary>
    /// Checks the layer sizes [n_0, …, n_L] of a network before its parameters are allocated: every W_l = (n_l × n_{l−1})
    /// fits in one matrix, and all of W and b together fit in the budget. Returns the number of parameters.
    /// </summary>
    /// <exception cref="ArgumentException">naming the layer and the sizes, when they do not fit.</exception>
    public static long CheckLayerSizes(IReadOnlyList<int> layerSizes)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
            throw new ArgumentException(
                $"Layer sizes need at least two numbers, the input size and the output size (e.g. [2, 3, 1]); got [{Sizes()}].", nameof(layerSizes));
        for (int l = 0; l < layerSizes.Count; l++)
        {
            if (layerSizes[l] <= 0)
                throw new ArgumentException(
                    $"Layer sizes must be positive, but layer {l} ({(l == 0 ? "the input" : l == layerSizes.Count - 1 ? "the output" : "hidden")}) " +
                    Invariant($"has size {layerSizes[l]} in [{Sizes()}]."), nameof(layerSizes));
        }
        long total = 0;
        string all = string.Join(", ", layerSizes.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        for (int l = 1; l < layerSizes.Count; l++)
        {
            long rows = Math.Max(0, layerSizes[l]), columns = Math.Max(0, layerSizes[l - 1]);
            long elements = Multiply(rows, columns);
            if (elements > MaxElements)
                throw new ArgumentException(
                    Invariant($"Layer sizes [{all}]: W{l} would be {rows:N0} × {columns:N0} = {elements:N0} numbers, more than one matrix can hold ({MaxElements:N0}). ") +
                    "Use smaller layers.", nameof(layerSizes));
            total = Add(total, Add(elements, rows));
        }
        long bytes = Multiply(total, sizeof(double));
        if (bytes > Bytes)
            throw new ArgumentException(
                Invariant($"Layer sizes [{all}] need {total:N0} parameters = {Describe(bytes)} of memory (before any training buffers). {Advice}"), nameof(layerSizes));
        return total;

        string Sizes() => string.Join(", ", layerSizes.Select(n => n.ToString(CultureInfo.InvariantCulture)));
    }

    internal static long? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        long unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        if (unit != 1) text = text[..^1];
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0 ? Multiply(n, unit) : null;
    }
}
