using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class FashionMnistTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_shipped_subset_loads_balanced_and_scaled()
    {
        var (train, test) = FashionMnist.LoadSubset();
        Assert.Equal(2000, train.Count);
        Assert.Equal(500, test.Count);
        Assert.Equal(784, train.Features);
        Assert.All(train.ClassCounts(), n => Assert.Equal(200, n));
        Assert.All(test.ClassCounts(), n => Assert.Equal(50, n));
        Assert.Equal(FashionMnist.ClassNames, train.ClassNames);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        Assert.Equal(0.0, train.X.Enumerate().Min());
        Assert.Equal(1.0, train.X.Enumerate().Max());
        Assert.StartsWith("LabeledData: 2000 samples × 784 features, 10 classes (T-shirt/top: 200, Trouser: 200,", train.ToString());
    }

    [Fact]
    public void The_subset_is_found_beside_the_library_and_from_the_repository()
    {
        string found = FashionMnist.FindSubsetDirectory();
        Assert.True(File.Exists(Path.Combine(found, "train-images-idx3-ubyte.gz")));
        Assert.EndsWith(Path.Combine("assets", "fashion-mnist"), found);
    }

    [Fact]
    public void Missing_folders_and_files_are_named()
    {
        var missing = _temp.File("no-such-folder");
        var e = Assert.Throws<DataFormatException>(() => FashionMnist.Load(missing));
        Assert.Contains("folder not found", e.Message);
        Assert.Contains(missing, e.Message);

        _temp.WriteBytes("train-images-idx3-ubyte.gz", TempFolder.Gzip(TempFolder.Idx([1, 28, 28], new byte[784])));
        e = Assert.Throws<DataFormatException>(() => FashionMnist.Load(_temp.Path));
        Assert.Contains("has no train-labels-idx1-ubyte.gz", e.Message);

        e = Assert.Throws<DataFormatException>(() => FashionMnist.LoadFull(missing));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void A_FASHION_MNIST_DIR_without_the_files_is_the_error_not_another_folder_taken_silently()
    {
        // Debian's folder stands in here as the shipped subset's: it has the four files, the variable's folder has none.
        string debian = FashionMnist.FindSubsetDirectory();
        string empty = Directory.CreateDirectory(_temp.File("typo")).FullName;
        var e = Assert.Throws<DataFormatException>(() => FashionMnist.LoadFull(null, empty, debian));
        Assert.Equal($"{empty}: FASHION_MNIST_DIR names this folder ({empty}), but it does not hold the four Fashion-MNIST files " +
            "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, each with or without .gz). " +
            $"Put them there, or unset FASHION_MNIST_DIR to use {debian}.", e.Message);
        Assert.Equal(2000, FashionMnist.LoadFull(null, "  ", debian).Train.Count);   // unset (blank): Debian's folder
        Assert.Equal(2000, FashionMnist.LoadFull(null, debian, "/nowhere").Train.Count);
    }

    [Fact]
    public void Uncompressed_and_dotted_file_names_are_accepted()
    {
        var dir = Directory.CreateDirectory(_temp.File("mnist")).FullName;
        foreach (var (name, dims, count) in new[] { ("train-images.idx3-ubyte", new[] { 3, 28, 28 }, 3 * 784), ("train-labels-idx1-ubyte", [3], 3), ("t10k-images-idx3-ubyte", [2, 28, 28], 2 * 784), ("t10k-labels.idx1-ubyte.gz", [2], 2) })
            Idx.Write(Path.Combine(dir, name), dims, new byte[count], gzip: name.EndsWith(".gz"));
        var (train, test) = FashionMnist.Load(dir);
        Assert.Equal(3, train.Count);
        Assert.Equal(2, test.Count);
    }

    [Fact]
    public void Images_of_the_wrong_size_are_rejected()
    {
        var dir = Directory.CreateDirectory(_temp.File("small")).FullName;
        foreach (var (name, dims) in new[] { ("train-images-idx3-ubyte.gz", new[] { 2, 4, 4 }), ("train-labels-idx1-ubyte.gz", [2]), ("t10k-images-idx3-ubyte.gz", [2, 4, 4]), ("t10k-labels-idx1-ubyte.gz", [2]) })
            Idx.Write(Path.Combine(dir, name), dims, new byte[dims.Aggregate(1, (a, b) => a * b)]);
        Assert.Contains("have 16 pixels each, but Fashion-MNIST images have 784",
            Assert.Throws<DataFormatException>(() => FashionMnist.Load(dir)).Message);
    }
}
