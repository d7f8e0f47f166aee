using static System.FormattableString;

namespace NeuralNet.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 28 × 28 grey-scale pictures of clothing in ten classes.
/// Each image is one column of 784 pixels (row by row) scaled to [0, 1].
/// </summary>
/// <remarks>
/// The library ships a balanced subset — 2,000 training images (200 per class) and 500 test images
/// (50 per class), the first of each class in the original files' order — in <c>assets/fashion-mnist/</c>
/// (see its README.md). The full set (60,000 + 10,000) is read from a folder holding the original files,
/// such as the one Debian's <c>dataset-fashion-mnist</c> package installs.
/// </remarks>
public static class FashionMnist
{
    /// <summary>Side of an image in pixels (images are 28 × 28).</summary>
    internal const int ImageSize = 28;

    /// <summary>Features per image: 28 · 28 = 784.</summary>
    public const int Pixels = ImageSize * ImageSize;

    /// <summary>The folder where Debian's <c>dataset-fashion-mnist</c> package puts the full data set.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>An environment variable that may name a folder holding the full data set.</summary>
    public const string DirectoryVariable = "FASHION_MNIST_DIR";

    /// <summary>The ten class names, by label: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private const string SubsetFolder = "fashion-mnist";
    private const string TrainImages = "train-images-idx3-ubyte";
    private const string TrainLabels = "train-labels-idx1-ubyte";
    private const string TestImages = "t10k-images-idx3-ubyte";
    private const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>
    /// Loads the shipped subset: 2,000 training and 500 test images, balanced over the ten classes.
    /// It is found in <paramref name="directory"/> if given, else in <c>assets/fashion-mnist</c> beside the
    /// library or in the current folder or any folder above either.
    /// </summary>
    /// <exception cref="DataFormatException">when the subset cannot be found (the message lists where it looked) or is damaged.</exception>
    public static (LabeledData Train, LabeledData Test) LoadSubset(string? directory = null) =>
        Load(directory ?? FindSubsetDirectory());

    /// <summary>
    /// Loads the full data set (60,000 training and 10,000 test images) from <paramref name="directory"/> if given,
    /// else from the folder named by the <c>FASHION_MNIST_DIR</c> environment variable, else from
    /// <c>/usr/share/datasets/fashion-mnist</c> (Debian's <c>dataset-fashion-mnist</c> package).
    /// </summary>
    /// <exception cref="DataFormatException">when the files are not there (the message lists where it looked) or are damaged.</exception>
    public static (LabeledData Train, LabeledData Test) LoadFull(string? directory = null) =>
        LoadFull(directory, Environment.GetEnvironmentVariable(DirectoryVariable), DebianDirectory);

    /// <summary>
    /// As <see cref="LoadFull(string?)"/>, with the variable's value and Debian's folder given. A folder named by the variable
    /// is the one meant: when it lacks the files, that is the error (the data set is not taken from elsewhere without a word).
    /// </summary>
    internal static (LabeledData Train, LabeledData Test) LoadFull(string? directory, string? variable, string debian)
    {
        if (directory is not null) return Load(directory);
        if (!string.IsNullOrWhiteSpace(variable))
        {
            if (HasFiles(variable)) return Load(variable);
            throw new DataFormatException(variable, null, null,
                $"{DirectoryVariable} names this folder ({SafeFile.FullPath(variable)}), but it does not hold the four Fashion-MNIST files " +
                "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, each with or without .gz). " +
                $"Put them there, or unset {DirectoryVariable} to use {debian}.");
        }
        if (HasFiles(debian)) return Load(debian);
        throw new DataFormatException(debian, null, null,
            $"the full Fashion-MNIST data set was not found. Looked in: {debian}. " +
            $"Install it (on Debian or Ubuntu: apt-get install dataset-fashion-mnist), or put the four files " +
            $"(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) " +
            $"in a folder and pass it, or set {DirectoryVariable} to it. The shipped subset needs none of this: FashionMnist.LoadSubset().");
    }

    /// <summary>
    /// Loads a training and a test set from a folder with the four Fashion-MNIST (or MNIST) files under their
    /// usual names: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
    /// <c>t10k-labels-idx1-ubyte</c>, each with or without <c>.gz</c> (compression is detected from the content).
    /// </summary>
    /// <exception cref="DataFormatException">when a file is missing (the message names it) or damaged.</exception>
    public static (LabeledData Train, LabeledData Test) Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DataFormatException(directory, null, null,
                $"folder not found (looked for {SafeFile.FullPath(directory)}; the current directory is {Directory.GetCurrentDirectory()}).");
        var train = Idx.LoadImagesAndLabels(Locate(directory, TrainImages), Locate(directory, TrainLabels), ClassNames);
        var test = Idx.LoadImagesAndLabels(Locate(directory, TestImages), Locate(directory, TestLabels), ClassNames);
        foreach (var (set, name) in new[] { (train, "training"), (test, "test") })
            if (set.Features != Pixels)
                throw new DataFormatException(directory, null, null,
                    Invariant($"the {name} images have {set.Features} pixels each, but Fashion-MNIST images have {Pixels} (28 × 28). Is this the right folder?"));
        return (train, test);
    }

    /// <summary>
    /// The folder holding the shipped subset: <c>fashion-mnist</c> inside an <c>assets</c> folder found by
    /// walking up from the library's folder, the application's folder and the current folder.
    /// </summary>
    /// <exception cref="DataFormatException">when it is nowhere to be found; the message lists the folders searched from.</exception>
    internal static string FindSubsetDirectory()
    {
        var starts = new List<string>();
        void AddStart(string? path)
        {
            if (string.IsNullOrEmpty(path)) return;
            try { path = Path.GetFullPath(path); } catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException) { return; }
            if (!starts.Contains(path)) starts.Add(path);
        }
        string location = typeof(FashionMnist).Assembly.Location;   // empty when loaded from memory
        AddStart(string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location));
        AddStart(AppContext.BaseDirectory);
        AddStart(Directory.GetCurrentDirectory());

        foreach (string start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "assets", SubsetFolder);
                if (HasFiles(candidate)) return candidate;
            }
        }
        throw new DataFormatException(Path.Combine("assets", SubsetFolder), null, null,
            $"the shipped Fashion-MNIST subset was not found in an assets/{SubsetFolder} folder in or above any of: {string.Join("; ", starts)}. " +
            "Run from inside the NeuralNet repository, or pass the folder to FashionMnist.LoadSubset(directory).");
    }

    private static bool HasFiles(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                && new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(name => TryLocate(directory, name) is not null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    // The usual name with .gz or without it; MNIST's own download unpacks to "train-images.idx3-ubyte" on some systems.
    private static string? TryLocate(string directory, string name)
    {
        string dotted = name.Replace("-idx", ".idx", StringComparison.Ordinal);
        foreach (string file in new[] { name + ".gz", name, dotted, dotted + ".gz" })
        {
            string path = Path.Combine(directory, file);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static string Locate(string directory, string name) =>
        TryLocate(directory, name) ?? throw new DataFormatException(Path.Combine(directory, name + ".gz"), null, null,
            $"file not found: the folder {SafeFile.FullPath(directory)} has no {name}.gz (nor {name} uncompressed). A Fashion-MNIST folder needs four files: " +
            "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.");
}
