using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

/// <summary>Every object prints itself: the network, its parameters and a backward pass's gradients, exactly.</summary>
public class PrintingTests
{
    [Fact]
    public void A_network_its_parameters_and_its_gradients_print_every_layer()
    {
        var net = new Network([2, 3, 1]);
        Assert.Equal(
            "Network [2 → 3 → 1], cost binary_cross_entropy, 13 parameters\n" +
            "  Layer 1: 2 → 3 units, relu; W (3 × 2), b (3 × 1); 9 parameters\n" +
            "  Layer 2: 3 → 1 units, sigmoid; W (1 × 3), b (1 × 1); 4 parameters", net.ToString());
        Assert.Equal("Parameters: 2 layers, 13 numbers\n  W1 (3 × 2), b1 (3 × 1)\n  W2 (1 × 3), b2 (1 × 1)", net.Parameters.ToString());

        var forward = net.Forward(Matrix<double>.Build.Dense(2, 4, 0.5));
        var gradients = net.Backward(forward, Matrix<double>.Build.Dense(1, 4, 1.0));
        Assert.Equal(
            "Gradients (backprop order, L down to 1):\n" +
            "  Layer 2: dZ (1 × 4) → dW (1 × 3) | db (1 × 1) | dA_prev (3 × 4)\n" +
            "  Layer 1: dA (3 × 4) → dZ (3 × 4) → dW (3 × 2) | db (3 × 1) | (no dA_prev: input layer)", gradients.ToString());
    }
}
