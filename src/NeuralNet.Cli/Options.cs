using System.Globalization;
using static System.FormattableString;

namespace NeuralNet.Cli;

/// <summary>A mistake on the command line: the message says what is wrong and what to write instead. Exit code 2.</summary>
public sealed class UsageException(string message, string? command = null) : Exception(message)
{
    /// <summary>The command whose help the user should read (null for the top level).</summary>
    public string? Command { get; } = command;
}

/// <summary>One option a command understands, for parsing and for its help.</summary>
/// <param name="Name">The long name without dashes ("epochs").</param>
/// <param name="Value">The value's placeholder in help ("N"); null for a flag that takes no value.</param>
/// <param name="Help">What it does, one or two sentences.</param>
/// <param name="Default">The default, as shown in help (null for none).</param>
/// <param name="Section">The help section it is listed under.</param>
/// <param name="Short">A one-letter alias ('e' for -e), if any.</param>
public sealed record OptionSpec(string Name, string? Value, string Help, string? Default = null, string Section = "Options", char? Short = null)
{
    public bool IsFlag => Value is null;
}

/// <summary>
/// The parsed command line of one command: option values by name, flags, and positional arguments.
/// Typed getters turn text into numbers with messages that name the option and show a valid example.
/// </summary>
public sealed class ParsedOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly string _command;

    private ParsedOptions(string command) => _command = command;

    /// <summary>Arguments that are not options (e.g. a model path).</summary>
    public List<string> Positional { get; } = [];

    /// <summary>True when --help or -h was given.</summary>
    public bool Help { get; private set; }

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="specs"/>: <c>--name value</c>, <c>--name=value</c>,
    /// <c>-x value</c>, flags, and positional arguments; <c>--</c> ends the options.
    /// </summary>
    public static ParsedOptions Parse(string command, IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var result = new ParsedOptions(command);
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg == "-" || !arg.StartsWith('-') || IsNumber(arg))
            {
                result.Positional.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (arg is "-h" or "--help" or "-?")
            {
                result.Help = true;
                continue;
            }
            string name;
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0) (name, inline) = (name[..eq], name[(eq + 1)..]);
            }
            else
            {
                name = arg[1..];
                if (name.Length > 1 && specs.All(s => s.Short?.ToString() != name))
                    throw new UsageException($"Unknown option {arg}. Long options take two dashes: --{name}.{Suggest(name, specs)}", command);
            }
            var spec = specs.FirstOrDefault(s => s.Name == name || (name.Length == 1 && s.Short == name[0]))
                ?? throw new UsageException($"Unknown option {arg}.{Suggest(name, specs)}", command);
            if (spec.IsFlag)
            {
                if (inline is not null)
                    throw new UsageException($"--{spec.Name} is a switch and takes no value; write just --{spec.Name}.", command);
                result._flags.Add(spec.Name);
                continue;
            }
            string? value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                    throw new UsageException($"--{spec.Name} needs a value: --{spec.Name} {spec.Value}{(spec.Default is null ? "" : $" (default {spec.Default})")}.", command);
                value = args[++i];
            }
            if (result._values.ContainsKey(spec.Name))
                throw new UsageException($"--{spec.Name} is given twice; give it once.", command);
            result._values[spec.Name] = value;
        }
        return result;
    }

    private static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>" Did you mean --epochs?" for the closest known option, or "" when none is close.</summary>
    internal static string Suggest(string name, IEnumerable<OptionSpec> specs)
    {
        var best = specs.Select(s => (s.Name, Distance: Levenshtein(name.ToLowerInvariant(), s.Name)))
            .Where(c => c.Distance <= Math.Max(2, c.Name.Length / 3) || c.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase) && name.Length >= 3)
            .OrderBy(c => c.Distance).FirstOrDefault();
        return best.Name is null ? "" : $" Did you mean --{best.Name}?";
    }

    internal static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        }

        return d[a.Length, b.Length];
    }

    /// <summary>True when the option was given (as a value or a flag).</summary>
    public bool Has(string name) => _values.ContainsKey(name) || _flags.Contains(name);

    /// <summary>True when the flag was given.</summary>
    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>The option's text, or null.</summary>
    public string? String(string name)
    {
        if (!_values.TryGetValue(name, out var v)) return null;
        if (string.IsNullOrWhiteSpace(v))
            throw new UsageException($"--{name} is empty; give it a value.", _command);
        return v.Trim();
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive, '-' and '_' alike), or the default.</summary>
    public string Choice(string name, IReadOnlyList<string> choices, string fallback)
    {
        string? v = String(name);
        if (v is null) return fallback;
        string key = v.ToLowerInvariant().Replace('_', '-');
        foreach (string c in choices)
            if (c.Replace('_', '-') == key) return c;
        throw new UsageException($"--{name} must be one of {string.Join(", ", choices)}, not \"{v}\".", _command);
    }

    /// <summary>A whole number ≥ <paramref name="min"/> (and ≤ <paramref name="max"/>), or the default.</summary>
    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue, string? example = null) =>
        String(name) is { } v ? (int)WholeNumber(name, v, min, max, example) : fallback;

    /// <summary>A whole number from 0 to 4,294,967,295 (a seed: every value of a 32-bit generator's seed), or the default.</summary>
    public uint UInt(string name, uint fallback, string? example = null) =>
        String(name) is { } v ? (uint)WholeNumber(name, v, 0, uint.MaxValue, example) : fallback;

    /// <summary>
    /// <paramref name="v"/> as a whole number in [<paramref name="min"/>, <paramref name="max"/>]. A whole number outside
    /// the range is told so with the range — "must be a whole number" would be wrong about 4294967296.
    /// </summary>
    private long WholeNumber(string name, string v, long min, long max, string? example)
    {
        if (!System.Numerics.BigInteger.TryParse(v.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            throw new UsageException($"--{name} must be a whole number, not \"{v}\"{Example(name, example)}.", _command);
        if (n < min || n > max)
        {
            string range = min != int.MinValue && max != int.MaxValue ? Invariant($"between {min} and {max}")
                : n < min ? Invariant($"at least {min}") : Invariant($"at most {max}");
            throw new UsageException($"--{name} must be {range}, not {v}{Example(name, example)}.", _command);
        }
        return (long)n;
    }

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>] (open at the ends when asked), or the default.</summary>
    public double Double(string name, double fallback, double min = double.MinValue, double max = double.MaxValue,
        bool minExclusive = false, bool maxExclusive = false, string? example = null)
    {
        string? v = String(name);
        if (v is null) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
            throw new UsageException($"--{name} must be a number (with a dot for decimals), not \"{v}\"{Example(name, example)}.", _command);
        bool low = minExclusive ? x <= min : x < min;
        bool high = maxExclusive ? x >= max : x > max;
        if (low || high)
        {
            string lo = min == double.MinValue ? "" : (minExclusive ? $"greater than {Fmt(min)}" : $"at least {Fmt(min)}");
            string hi = max == double.MaxValue ? "" : (maxExclusive ? $"less than {Fmt(max)}" : $"at most {Fmt(max)}");
            string range = lo.Length > 0 && hi.Length > 0 ? $"{lo} and {hi}" : lo + hi;
            throw new UsageException($"--{name} must be {range}, not {v}{Example(name, example)}.", _command);
        }
        return x;
    }

    /// <summary>A comma-separated list of whole numbers ≥ 1 ("784,128,10"), or null.</summary>
    public int[]? IntList(string name, string example)
    {
        string? v = String(name);
        if (v is null) return null;
        var parts = v.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]) || result[i] < 1)
            {
                throw new UsageException(
                    $"--{name} is a comma-separated list of layer sizes (whole numbers ≥ 1), e.g. --{name} {example}; \"{parts[i]}\" in \"{v}\" is not one.", _command);
            }
        }
        return result;
    }

    private static string Example(string name, string? example) => example is null ? "" : $"; for example --{name} {example}";

    internal static string Fmt(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
