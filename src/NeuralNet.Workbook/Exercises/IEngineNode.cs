namespace NeuralNet.Exercises;

/// <summary>
/// What <see cref="Check.ScalarEngine{T}"/> needs from the scalar engine a student writes in notebook 01a: a number
/// (<see cref="Value"/>) that remembers how it was made, the four operations that make new ones, and
/// <see cref="Backward"/>, which fills in every <see cref="Grad"/>. The notebook's skeleton declares it:
/// <code>public class Node : IEngineNode&lt;Node&gt; { … }</code>
/// </summary>
/// <typeparam name="TSelf">The student's own type (Node).</typeparam>
public interface IEngineNode<TSelf> where TSelf : IEngineNode<TSelf>
{
    /// <summary>The number, computed in the forward pass.</summary>
    double Value { get; }

    /// <summary>
    /// ∂(output)/∂(this node) after <see cref="Backward"/> was called on the output. (The check sets it too, to tell a
    /// Backward that does nothing from one that clears the gradients but never starts the output at 1.)
    /// </summary>
    double Grad { get; set; }

    /// <summary>a + b, remembering a and b.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>a · b, remembering a and b.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>σ(this), remembering this.</summary>
    TSelf Sigmoid();

    /// <summary>The cross-entropy loss of this probability for the label y, −(y·log a + (1 − y)·log(1 − a)).</summary>
    TSelf Loss(double y);

    /// <summary>Backpropagation from this node: every node it was computed from gets its gradient ∂(this)/∂(node).</summary>
    void Backward();
}
