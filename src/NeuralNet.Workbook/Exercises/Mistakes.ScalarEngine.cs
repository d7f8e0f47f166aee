namespace NeuralNet.Exercises;

/// <summary>The mistakes of notebook 01a's scalar engine (<see cref="Check.ScalarEngine{T}"/>): the backward walk and its operations.</summary>
public static partial class Mistakes
{
    /// <summary>A gradient assigned where the parts along several arrows must be added: x·x gets x·g, not 2x·g.</summary>
    public static readonly Mistake AssignedNotAdded = new("= instead of +=",
        "A number used in several places (both factors of x·x, or an input of two later nodes) gets a part of the gradient back along each of its arrows, " +
        "and its gradient is the sum of those parts: add over the paths. Assigning keeps only the part that arrived last.");

    /// <summary>PassBack called on a node before every node it feeds has passed its part back to it.</summary>
    public static readonly Mistake WalkOrder = new("wrong order",
        "A node may pass its gradient on only when that gradient is complete: after every node it feeds has passed its part back to it. " +
        "A topological order (each node after all of its inputs), walked from its end, guarantees that. Following the arrows back from the output does not " +
        "when a node is reached along paths of different lengths, and walking from the leaves passes zeros.");

    /// <summary>A node walked twice (an order built without remembering which nodes it already holds).</summary>
    public static readonly Mistake PassedBackTwice = new("a node passed back twice",
        "Each node passes its gradient back exactly once. A node reached along two paths must still appear once in the order: " +
        "walked a second time, it hands its gradient to its inputs again, and they count it twice.");

    /// <summary>Backward called again on the inputs, each call setting its node's gradient to 1.</summary>
    public static readonly Mistake RestartedInside = new("Backward restarted inside the graph",
        "Only the output starts with gradient 1 (∂out/∂out = 1). Every other node's gradient is what its consumers pass back to it: " +
        "starting Backward again on an inner node throws that away and sets it to 1.");

    /// <summary>Backward run twice adds the second walk onto the first.</summary>
    public static readonly Mistake GradientsNotReset = new("gradients not reset",
        "The walk adds into every Grad, so what the last call of Backward left there is still there when it is called again. " +
        "Start each walk from 0 everywhere (and 1 at the output).");

    /// <summary>Backward clears the gradients but never sets the output's to 1 (or sets it before clearing it).</summary>
    public static readonly Mistake WalkNotStarted = new("walk not started at 1",
        "The walk starts at the output with ∂out/∂out = 1; every other gradient is a product that begins with it, so with 0 there " +
        "everything stays 0. Set it after clearing the gradients, or the clearing undoes it.");

    /// <summary>An operation hands the gradient on without multiplying by its local derivative.</summary>
    public static readonly Mistake LocalDerivativeMissing = new("local derivative missing",
        "Each arrow multiplies the gradient that reached the operation's result by its own local derivative: for the factor a of a·b that is b, " +
        "for the sigmoid σ(z)(1 − σ(z)), for the loss ∂ℓ/∂a. Only + hands the gradient on unchanged, because its local derivatives are 1.");

    /// <summary>An operation passes nothing back to one of its inputs.</summary>
    public static readonly Mistake InputLeftOut = new("an input left out",
        "An operation hands a part of the gradient to every one of its inputs, one arrow each. An input that gets nothing keeps gradient 0, " +
        "as if the output did not depend on it.");
}
