using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;

namespace NeuralNet.Tests.Data;

public sealed class LabeledDataTests
{
    // m samples with feature 0 = the sample's index and feature 1 = 10 × index.
    private static LabeledData Indexed(int m, int classes = 3) =>
        new(Matrix<double>.Build.Dense(2, m, (i, j) => i == 0 ? j : 10 * j), Enumerable.Range(0, m).Select(j => j % classes).ToArray());

    [Fact]
    public void Sizes_and_default_class_names()
    {
        var data = Indexed(7);
        Assert.Equal(7, data.Count);
        Assert.Equal(2, data.Features);
        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal([3, 2, 2], data.ClassCounts());
        Assert.Equal("LabeledData: 7 samples × 2 features, 3 classes (0: 3, 1: 2, 2: 2)", data.ToString());
    }

    [Fact]
    public void Constructor_rejects_mismatched_sizes_and_unknown_labels()
    {
        var x = Matrix<double>.Build.Dense(2, 3);
        Assert.Contains("X has 3 columns but there are 2 labels", Assert.Throws<ArgumentException>(() => new LabeledData(x, [0, 1])).Message);
        Assert.Contains("Label 2 of sample 1 is not a class index: there are 2 classes",
            Assert.Throws<ArgumentException>(() => new LabeledData(x, [0, 2, 1], ["a", "b"])).Message);
        Assert.Throws<ArgumentException>(() => new LabeledData(x, [0, -1, 1]));
    }

    [Fact]
    public void OneHot_and_BinaryRow()
    {
        var data = Indexed(4);
        var y = data.OneHot();
        Assert.Equal(3, y.RowCount);
        Assert.Equal(4, y.ColumnCount);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 0, 1 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 } }), y);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 0, 0 } }), data.BinaryRow(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.BinaryRow(3));
    }

    [Fact]
    public void Select_keeps_the_order_given_and_the_class_names()
    {
        var data = new LabeledData(Matrix<double>.Build.Dense(2, 4, (i, j) => i * 100 + j), [0, 1, 2, 1], ["a", "b", "c"]);
        var picked = data.Select([3, 0, 3]);
        Assert.Equal([1, 0, 1], picked.Labels);
        Assert.Equal(new double[] { 3, 0, 3 }, picked.X.Row(0).ToArray());
        Assert.Equal(new double[] { 103, 100, 103 }, picked.X.Row(1).ToArray());
        Assert.Equal(data.ClassNames, picked.ClassNames);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Select([4]));
        Assert.Throws<ArgumentException>(() => data.Select([]));
    }

    [Fact]
    public void OnlyClasses_relabels_in_the_order_given()
    {
        var data = new LabeledData(Matrix<double>.Build.Dense(1, 5, (_, j) => j), [0, 1, 2, 1, 0], ["a", "b", "c"]);
        var two = data.OnlyClasses(2, 0);
        Assert.Equal(["c", "a"], two.ClassNames);
        Assert.Equal([1, 0, 1], two.Labels);
        Assert.Equal(new double[] { 0, 2, 4 }, two.X.Row(0).ToArray());
    }

    [Fact]
    public void TrainTestSplit_matches_the_original_numpy_shuffle()
    {
        // np.random.seed(1); idx = np.arange(259); np.random.shuffle(idx)
        // → idx[:10] = [185, 34, 187, 236, 218, 183, 169, 27, 145, 189], idx[207:212] = [246, 30, 200, 121, 175]
        var (train, test) = Indexed(259).TrainTestSplit(0.2, seed: 1);
        Assert.Equal(207, train.Count);
        Assert.Equal(52, test.Count);
        Assert.Equal(new double[] { 185, 34, 187, 236, 218, 183, 169, 27, 145, 189 }, train.X.Row(0).SubVector(0, 10).ToArray());
        Assert.Equal(new double[] { 246, 30, 200, 121, 175 }, test.X.Row(0).SubVector(0, 5).ToArray());
        Assert.Equal(train.X.Row(0).Select(v => (int)v % 3), train.Labels);
        var all = train.X.Row(0).Concat(test.X.Row(0)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 259).Select(i => (double)i), all);
    }

    [Fact]
    public void TrainTestSplit_is_deterministic_per_seed_and_can_continue_a_generator()
    {
        var data = Indexed(50);
        var a = data.TrainTestSplit(0.3, seed: 42);
        var b = data.TrainTestSplit(0.3, seed: 42);
        var c = data.TrainTestSplit(0.3, seed: 43);
        Assert.Equal(a.Train.X, b.Train.X);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.NotEqual(a.Train.X, c.Train.X);

        var random = new NumPyRandom(42);
        var d = data.TrainTestSplit(0.3, random);
        Assert.Equal(a.Train.X, d.Train.X);
        var e = data.TrainTestSplit(0.3, random);   // the stream goes on: a different split
        Assert.NotEqual(d.Train.X, e.Train.X);
    }

    [Fact]
    public void TrainTestSplit_rejects_fractions_that_leave_a_side_empty()
    {
        var data = Indexed(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.TrainTestSplit(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.TrainTestSplit(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.TrainTestSplit(double.NaN));
        Assert.Contains("leaves no test samples", Assert.Throws<ArgumentException>(() => data.TrainTestSplit(1e-17, 1u)).Message);
        Assert.Contains("leaves no training samples", Assert.Throws<ArgumentException>(() => data.TrainTestSplit(0.9, 1u)).Message);
        Assert.Equal((2, 1), (data.TrainTestSplit(0.01, 1u).Train.Count, data.TrainTestSplit(0.01, 1u).Test.Count));   // int(3 · 0.99) = 2
    }

    [Fact]
    public void FeatureScaler_uses_training_statistics()
    {
        var train = new LabeledData(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 3 }, { 5, 5 } }), [0, 1]);
        var test = new LabeledData(Matrix<double>.Build.DenseOfArray(new double[,] { { 5 }, { 7 } }), [1], train.ClassNames);

        var scaler = FeatureScaler.Fit(train);
        Assert.Equal([2.0, 5.0], scaler.Mean);
        Assert.Equal([1.0, 1.0], scaler.Std);   // the constant feature gets 1, not 0
        var scaled = scaler.Apply(train);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { -1, 1 }, { 0, 0 } }), scaled.X);
        Assert.Equal(3.0, scaler.Apply(test).X[0, 0]);
        Assert.Equal(2.0, scaler.Apply(test).X[1, 0]);
    }

    [Fact]
    public void Standardising_a_feature_of_very_large_values_keeps_it_instead_of_zeroing_it()
    {
        // Values near 1e200 (a CSV file may hold them): their squares overflow, the deviation was ∞ and the feature
        // became 0 for every sample, without a word.
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { -3e200, -1e200, 1e200, 3e200 }, { 1, 2, 3, 4 } });
        var scaler = FeatureScaler.Fit(new LabeledData(x, [0, 1, 0, 1]));
        Assert.True(double.IsFinite(scaler.Std[0]), $"std {scaler.Std[0]}");
        Assert.Equal(Math.Sqrt(5) * 1e200, scaler.Std[0], 1e188);
        var scaled = scaler.Apply(x);
        Assert.Equal(-3 / Math.Sqrt(5), scaled[0, 0], 12);
        Assert.Equal(1 / Math.Sqrt(5), scaled[0, 2], 12);
        Assert.Equal(1.1180339887498947, scaler.Std[1], 15);   // an ordinary feature as before
    }

    [Fact]
    public void Two_classes_of_the_same_name_are_refused()
    {
        var x = Matrix<double>.Build.Dense(2, 3);
        var e = Assert.Throws<ArgumentException>(() => new LabeledData(x, [0, 1, 2], ["cat", "dog", "cat"]));
        Assert.StartsWith("Classes 0 and 2 are both named 'cat': each class needs its own name, or their samples could not be told apart by name.", e.Message);
        var csv = Assert.Throws<ArgumentException>(() => Csv.Parse("1,2,cat\n3,4,dog\n", new CsvOptions { ClassNames = ["cat", "dog", "cat"] }));
        Assert.StartsWith("CsvOptions.ClassNames names classes 0 and 2 both 'cat'; each class needs its own name.", csv.Message);
    }
}
