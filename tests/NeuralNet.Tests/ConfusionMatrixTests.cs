using NeuralNet.Data;

namespace NeuralNet.Tests;

public class ConfusionMatrixTests
{
    // 3 classes; actual down, predicted across:
    //        0  1  2
    //   0 [  2  1  0 ]
    //   1 [  0  1  2 ]
    //   2 [  0  0  1 ]
    private static readonly int[] Actual = [0, 0, 0, 1, 1, 1, 2];
    private static readonly int[] Predicted = [0, 1, 0, 2, 1, 2, 2];

    private static ConfusionMatrix Sample() => new(Actual, Predicted, ["cat", "dog", "bird"]);

    [Fact]
    public void Too_many_class_names_for_a_table_are_refused_before_allocating_it()
    {
        // 100,000 names: 10 billion counts; .NET said only "Array dimensions exceeded supported range".
        var names = Enumerable.Range(0, 100_000).Select(k => $"class {k}").ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 1], [1, 1], names));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.StartsWith("There are 100,000 class names, so the table would hold 100,000 × 100,000 = 10,000,000,000 counts (37.3 GiB), " +
            "more than one table can hold (2,147,483,647). Give the names of the classes that occur (labels numbered 0, 1, … among them), or group the classes.", e.Message);
        Assert.Equal("classNames", e.ParamName);
    }

    [Fact]
    public void Counts_actual_down_and_predicted_across()
    {
        var m = Sample();
        Assert.Equal(3, m.ClassCount);
        Assert.Equal(2, m[0, 0]);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(2, m[1, 2]);
        Assert.Equal(0, m[2, 0]);
        Assert.Equal(7, m.Total);
        Assert.Equal(4, m.Correct);
        Assert.Equal(4.0 / 7, m.Accuracy, 12);
        Assert.Equal(new double[,] { { 2, 1, 0 }, { 0, 1, 2 }, { 0, 0, 1 } }, m.ToMatrix().ToArray());
    }

    [Fact]
    public void Recall_and_precision_per_class()
    {
        var m = Sample();
        Assert.Equal(2.0 / 3, m.Recall(0), 12);
        Assert.Equal(1.0 / 3, m.Recall(1), 12);
        Assert.Equal(1.0, m.Recall(2), 12);
        Assert.Equal(1.0, m.Precision(0), 12);
        Assert.Equal(0.5, m.Precision(1), 12);
        Assert.Equal(1.0 / 3, m.Precision(2), 12);
        Assert.Equal(3, m.ActualCount(1));
        Assert.Equal(3, m.PredictedCount(2));
    }

    [Fact]
    public void Recall_and_precision_are_NaN_for_an_absent_class()
    {
        var m = new ConfusionMatrix([0, 0], [0, 0], ["a", "b"]);
        Assert.True(double.IsNaN(m.Recall(1)));
        Assert.True(double.IsNaN(m.Precision(1)));
        Assert.Contains("–", m.ToString());
    }

    [Fact]
    public void Most_confused_lists_the_largest_mistakes_first_and_skips_the_diagonal_and_zeros()
    {
        var top = Sample().MostConfused(5);
        Assert.Equal(2, top.Count);
        Assert.Equal((1, 2, 2), (top[0].Actual, top[0].Predicted, top[0].Count));
        Assert.Equal(("dog", "bird"), (top[0].ActualName, top[0].PredictedName));
        Assert.Equal(2.0 / 3, top[0].ShareOfActual, 12);
        Assert.Equal((0, 1, 1), (top[1].Actual, top[1].Predicted, top[1].Count));
        Assert.Equal("dog taken for bird: 2 times (66.7% of the dog samples)", top[0].ToString());
        Assert.Single(Sample().MostConfused(1));
        Assert.Empty(Sample().MostConfused(0));
    }

    [Fact]
    public void Samples_finds_the_examples_of_one_mistake_in_order()
    {
        var m = Sample();
        Assert.Equal([3, 5], m.Samples(1, 2));
        Assert.Equal([0, 2], m.Samples(0, 0));
        Assert.Empty(m.Samples(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Samples(3, 0));
    }

    [Fact]
    public void Text_table_shows_counts_recall_and_accuracy()
    {
        string text = Sample().ToString();
        Assert.Contains("1 dog", text);
        Assert.Contains("33.3%", text);
        Assert.Contains("accuracy: 4 of 7 right (57.1%)", text);
    }

    [Fact]
    public void Default_class_names_are_the_numbers()
    {
        var m = new ConfusionMatrix([0, 2], [1, 2]);
        Assert.Equal(["0", "1", "2"], m.ClassNames);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_reason()
    {
        Assert.Contains("one prediction per sample", Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 1], [0])).Message);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix([], []));
        Assert.Contains("there are 2 classes", Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 2], [0, 1], ["a", "b"])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample().MostConfused(-1));
    }

    [Fact]
    public void Without_class_names_labels_that_are_all_negative_are_refused_naming_the_sample()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConfusionMatrix([-5], [-5]));
        Assert.Equal("actual", e.ParamName);
        Assert.StartsWith("The actual class of sample 0 is -5, but classes are numbered from 0, and every label here is negative. " +
            "Map each label to its class's number (0, 1, 2, …) first, with or without class names.", e.Message);
        Assert.Contains("there are 3 classes, numbered 0 to 2",
            Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, -1], [2, 1])).Message);   // one negative among others: as before
    }

    [Fact]
    public void Without_class_names_a_label_too_large_to_be_a_class_is_refused_before_the_table_is_built()
    {
        Assert.Equal(10, new ConfusionMatrix([0, 9], [9, 0]).ClassCount);                 // few samples, far-apart labels: fine
        Assert.Equal(1024, new ConfusionMatrix([0, 1023], [1023, 0]).ClassCount);         // the most classes inferred
        var e = Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 1], [1, 1024]));
        Assert.Equal("predicted", e.ParamName);
        Assert.Contains("The predicted class of sample 1 is 1024, but without class names", e.Message);
        Assert.Contains("at most 1024 of them (0 to 1023)", e.Message);
        Assert.Contains("pass their names as classNames", e.Message);
        var huge = Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 2_000_000_000, 7], [0, 1, -1]));
        Assert.Contains("The actual class of sample 1 is 2000000000", huge.Message);
        Assert.Equal(2000, new ConfusionMatrix([1999], [0], Enumerable.Range(0, 2000).Select(k => $"c{k}").ToArray()).ClassCount);   // named: no cap
    }

    [Fact]
    public void Of_a_network_uses_its_predictions_and_the_data_class_names()
    {
        var data = new LabeledData(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,] { { -3, 3, 2, -2 } }),
            [0, 1, 1, 1], ["no", "yes"]);
        var net = new Network([1, 1], initialization: Initialization.He(seed: 1));
        net.Layers[1].W[0, 0] = 5;                     // sigmoid(5x) > 0.5 exactly when x > 0
        var m = ConfusionMatrix.Of(net, data);
        Assert.Equal(["no", "yes"], m.ClassNames);
        Assert.Equal(1, m[0, 0]);
        Assert.Equal(2, m[1, 1]);
        Assert.Equal(1, m[1, 0]);
        Assert.Equal(net.Accuracy(data.X, data.BinaryRow()), m.Accuracy, 12);
    }
}
