using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class SyntheticDataTests
{
    private static void AssertClose(double[] expected, IEnumerable<double> actual)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) < 1e-12, $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    [Fact]
    public void Moons_match_scikit_learn()
    {
        // sklearn.datasets.make_moons(7, noise=0.1, random_state=3), scikit-learn 1.2.1, X transposed
        var data = SyntheticData.Moons(7, noise: 0.1, seed: 3);
        AssertClose([0.5980553870290882, 1.9539957879337315, 1.7077574137112828, 0.09392363893243107, -0.034733017559121386, 0.8372414720793118, -1.1629157428583616], data.X.Row(0));
        AssertClose([-0.3633234996049862, 0.49420791594056435, -0.4261566514033517, 0.38195913844224005, 1.0066298733513626, 0.03978858601245592, -0.06389355251899861], data.X.Row(1));
        Assert.Equal([1, 1, 1, 1, 0, 0, 0], data.Labels);
    }

    [Fact]
    public void Circles_match_scikit_learn()
    {
        // sklearn.datasets.make_circles(7, noise=0.05, factor=0.5, random_state=4)
        var data = SyntheticData.Circles(7, noise: 0.05, factor: 0.5, seed: 4);
        AssertClose([-0.05257411032210034, 0.03636179361675369, 0.5126682590389817, 1.0618612510030006, -0.43914332257920496, -0.5730161319500601, -0.4442277776853808], data.X.Row(0));
        AssertClose([0.5143052111340023, -0.550486074154084, 0.038413438081425604, -0.08228032213332837, 0.8449104901567225, 0.03518305118246989, -0.8402221365969279], data.X.Row(1));
        Assert.Equal([1, 1, 1, 0, 0, 1, 0], data.Labels);
    }

    [Fact]
    public void Spirals_match_the_cs231n_recipe()
    {
        // np.random.seed(5); N = 4; K = 3; for each arm j: r = linspace(0, 1, N); t = linspace(4j, 4(j+1), N) + randn(N)·0.2
        var data = SyntheticData.Spirals(samplesPerClass: 4, classes: 3, noise: 0.2, seed: 5);
        AssertClose([0.0, 0.31808511963239716, -0.0074853430326046275, -0.7228990744660642, -0.0, -0.19728432477346172, 0.13351423624606096, 0.9996166278040477, 0.0, 0.0522564229580494, -0.5621790874839961, -0.5706900306717451], data.X.Row(0));
        AssertClose([0.0, 0.0996642753425453, -0.6666246425719113, -0.6909536367485939, -0.0, 0.2686819798754475, 0.6531603119939816, -0.02768749569144869, -0.0, -0.3292117515684101, -0.35832822668624065, 0.8211655672834088], data.X.Row(1));
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], data.Labels);
        Assert.Equal(3, data.ClassCount);
    }

    [Fact]
    public void Xor_labels_follow_the_signs_of_the_cluster_centres()
    {
        var data = SyntheticData.Xor(400, noise: 0.1, seed: 7);
        Assert.Equal(2, data.Features);
        Assert.Equal([200, 200], data.ClassCounts());
        for (int j = 0; j < data.Count; j++)
        {
            bool differentSigns = Math.Sign(data.X[0, j]) != Math.Sign(data.X[1, j]);
            Assert.Equal(differentSigns ? 1 : 0, data.Labels[j]);   // noise 0.1 never crosses an axis from ±1
        }
    }

    public static TheoryData<string> Generators() => ["moons", "circles", "spirals", "xor"];

    private static LabeledData Make(string name, uint seed) => name switch
    {
        "moons" => SyntheticData.Moons(101, 0.2, seed),
        "circles" => SyntheticData.Circles(101, 0.1, 0.4, seed),
        "spirals" => SyntheticData.Spirals(30, 4, 0.3, seed),
        _ => SyntheticData.Xor(101, 0.5, seed),
    };

    [Theory]
    [MemberData(nameof(Generators))]
    public void Same_seed_gives_identical_data_and_another_seed_does_not(string name)
    {
        var a = Make(name, 11);
        var b = Make(name, 11);
        var c = Make(name, 12);
        Assert.Equal(2, a.Features);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.X, c.X);
        Assert.All(a.X.Enumerate(), v => Assert.True(double.IsFinite(v)));
        var (train1, test1) = a.TrainTestSplit(0.25, seed: 3);
        var (train2, test2) = b.TrainTestSplit(0.25, seed: 3);
        Assert.Equal(train1.X, train2.X);
        Assert.Equal(test1.Labels, test2.Labels);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Moons(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Moons(10, noise: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Circles(10, factor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Spirals(10, classes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Xor(3));
    }
}
