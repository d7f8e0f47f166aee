using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Graph;
using NeuralNet.Interactive;
using NeuralNet.Training;
using NeuralNet.Data;
namespace NeuralNet.Tests.Interactive;
public class TmpRender
{
    [Fact]
    public void Render()
    {
        var w = new Scalar(0.8, "w"); var x = new Scalar(1.5, "x"); var b = new Scalar(-0.5, "b");
        var z = (w * x + b).As("z"); var a = z.Sigmoid("a"); var L = Scalar.BinaryCrossEntropy(a, 1, "L");
        L.Backward();
        Charts.ToHtmlFile(GraphCharts.ComputationGraph(L), "/tmp/r/graph1.html");
        var w1 = new Scalar(0.8, "w₁"); var b1 = new Scalar(-0.5, "b₁"); var w2 = new Scalar(-1.2, "w₂"); var b2 = new Scalar(0.3, "b₂");
        var h = (w1 * x + b1).As("z₁").Sigmoid("h");
        var L2 = Scalar.BinaryCrossEntropy((w2 * h + b2).As("z₂").Sigmoid("a"), 1, "L");
        L2.Backward();
        Charts.ToHtmlFile(GraphCharts.ComputationGraph(L2), "/tmp/r/graph2.html");
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
        var Y = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });
        var net = new Network([2, 8, 1], hidden: Activations.Tanh, initialization: Initialization.Xavier(seed: 1));
        net.Train(X, Y, new TrainingOptions { LearningRate = 0.5, Epochs = 1500 });
        Charts.ToHtmlFile(NetworkCharts.Diagram(net), "/tmp/r/diagram.html");
        Charts.ToHtmlFile(NetworkCharts.Diagram(net, net.Backward(net.Forward(X), Y)), "/tmp/r/diagram-grad.html");
        Charts.ToHtmlFile(NetworkCharts.HiddenUnits(net, X, Y), "/tmp/r/hidden.html");
        var moons = SyntheticData.Moons(samples: 200, noise: 0.2, seed: 0);
        var m = new Network([2, 16, 16, 1], initialization: Initialization.He(seed: 1));
        m.Train(moons.X, moons.BinaryRow(), new TrainingOptions { LearningRate = 0.5, Epochs = 2000 });
        Charts.ToHtmlFile(NetworkCharts.HiddenUnits(m, moons.X, moons.BinaryRow()), "/tmp/r/moons-hidden.html");
        Charts.ToHtmlFile(NetworkCharts.Diagram(m), "/tmp/r/moons-diagram.html");
        var f = new Network([784, 64, 10], output: Activations.Softmax, cost: Costs.CategoricalCrossEntropy, initialization: Initialization.He(seed: 1));
        Charts.ToHtmlFile(NetworkCharts.WeightImages(f), "/tmp/r/weights.html");
    }
}
