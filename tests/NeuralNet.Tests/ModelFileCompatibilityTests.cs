using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Tests;

/// <summary>
/// Model files written by earlier releases (Reference/models, with how each was made) still load, and saving what was
/// loaded — network, history and data record — writes the same bytes: nothing read is lost or changed on the way.
/// </summary>
public sealed class ModelFileCompatibilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuralnet-compat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", "models", name);

    /// <summary>Reads <paramref name="name"/>, saves what was read into a new file and returns (the model read, the new file's text).</summary>
    private (SavedModel Read, string Resaved) ReadAndSaveAgain(string name)
    {
        var read = ModelFile.Read(Reference(name));
        string copy = Path.Combine(_dir, name);
        ModelFile.Save(read.Network, copy, read.Data, read.History);
        return (read, File.ReadAllText(copy, Encoding.UTF8));
    }

    [Theory]
    [InlineData("format2-moons-momentum.json")]      // mini-batches, momentum, dropout, L2, validation figures, a synthetic set's record
    [InlineData("format2-csv-standardized.json")]    // tanh and softmax, a CSV's record: feature names, class names, scaling
    public void A_format_2_file_saved_again_is_byte_identical(string name)
    {
        var (read, resaved) = ReadAndSaveAgain(name);
        Assert.Equal(2, read.Version);
        Assert.NotNull(read.History);
        Assert.NotNull(read.Data);
        Assert.Equal(File.ReadAllText(Reference(name), Encoding.UTF8), resaved);   // the text first, for a readable difference
        Assert.Equal(File.ReadAllBytes(Reference(name)), File.ReadAllBytes(Path.Combine(_dir, name)));
    }

    [Fact]
    public void A_format_1_file_saved_again_is_the_same_but_for_its_version()
    {
        const string name = "format1-spirals-adam.json";
        var (read, resaved) = ReadAndSaveAgain(name);
        Assert.Equal(1, read.Version);
        Assert.Null(read.Data);
        Assert.Equal(20, read.History!.Epochs);
        string original = File.ReadAllText(Reference(name), Encoding.UTF8);
        const string version1 = "\n  \"version\": 1,\n";
        Assert.Equal(2, original.Split(version1).Length);   // the version line occurs once: the replacement below is the only change
        Assert.Equal(original.Replace(version1, "\n  \"version\": 2,\n", StringComparison.Ordinal), resaved);
        Assert.Equal(2, ModelFile.Read(Path.Combine(_dir, name)).Version);
    }

    [Fact]
    public void The_reference_files_predict_as_they_were_trained()
    {
        // Not only the text: the moons model read back classifies its own test split as the old release reported (88.8 %).
        var moons = ModelFile.Read(Reference("format2-moons-momentum.json"));
        var test = SyntheticData.Moons(400, 0.2, 3).TrainTestSplit(0.2, 3).Test;
        Assert.Equal(80, test.Count);
        Assert.Equal(71, (int)Math.Round(moons.Network.Accuracy(test.X, test.BinaryRow(1)) * 80));
        Assert.Equal(moons.History!.ValidationAccuracies[^1], moons.Network.Accuracy(test.X, test.BinaryRow(1)));
    }
}
