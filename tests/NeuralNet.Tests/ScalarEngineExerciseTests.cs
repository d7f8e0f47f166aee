using NeuralNet.Exercises;
using static NeuralNet.Tests.ExerciseAssertions;

namespace NeuralNet.Tests;

/// <summary>
/// Notebook 01a's construction: the student's own scalar engine (Check.ScalarEngine). The solution passes; each
/// classic mistake, written as a student writes it — the solution with one line changed — is named; garbage
/// (null, NaN, an exception, a changed forward pass) is explained in words; an unanswered skeleton says what to write.
/// </summary>
public class ScalarEngineExerciseTests
{
    // ------------------------------------------------------------ helpers (as in ExerciseTests)

    private static ExerciseResult Check<T>() where T : Engine<T>, IEngineNode<T>, new() => NeuralNet.Exercises.Check.ScalarEngine(v => Engine<T>.Make(v));

    // ------------------------------------------------------------ the solution, as notebooks/solutions/01a writes it

    public sealed class Node : IEngineNode<Node>
    {
        public double Value { get; }
        public double Grad { get; set; }
        public Node[] Inputs { get; }
        public Action PassBack { get; set; } = () => { };

        public Node(double value, params Node[] inputs)
        {
            Value = value;
            Inputs = inputs;
        }

        public static Node operator +(Node a, Node b)
        {
            var result = new Node(a.Value + b.Value, a, b);
            result.PassBack = () =>
            {
                a.Grad += result.Grad;
                b.Grad += result.Grad;
            };
            return result;
        }

        public static Node operator *(Node a, Node b)
        {
            var result = new Node(a.Value * b.Value, a, b);
            result.PassBack = () =>
            {
                a.Grad += b.Value * result.Grad;
                b.Grad += a.Value * result.Grad;
            };
            return result;
        }

        public Node Sigmoid()
        {
            Node z = this;
            var result = new Node(1 / (1 + Math.Exp(-z.Value)), z);
            result.PassBack = () => z.Grad += result.Value * (1 - result.Value) * result.Grad;
            return result;
        }

        public Node Loss(double y)
        {
            Node a = this;
            var result = new Node(-(y * Math.Log(a.Value) + (1 - y) * Math.Log(1 - a.Value)), a);
            result.PassBack = () => a.Grad += -(y / a.Value - (1 - y) / (1 - a.Value)) * result.Grad;
            return result;
        }

        public void Backward()
        {
            var order = new List<Node>();
            var seen = new HashSet<Node>();
            void Visit(Node node)
            {
                if (!seen.Add(node)) return;
                foreach (var input in node.Inputs) Visit(input);
                order.Add(node);
            }
            Visit(this);
            foreach (var node in order) node.Grad = 0;
            Grad = 1;
            for (int i = order.Count - 1; i >= 0; i--) order[i].PassBack();
        }
    }

    /// <summary>The skeleton of the chapter as shipped: values and inputs, no PassBack written, an empty Backward.</summary>
    public sealed class Skeleton : IEngineNode<Skeleton>
    {
        public double Value { get; }
        public double Grad { get; set; }
        public Skeleton[] Inputs { get; }

        public Skeleton(double value, params Skeleton[] inputs)
        {
            Value = value;
            Inputs = inputs;
        }

        public static Skeleton operator +(Skeleton a, Skeleton b) => new(a.Value + b.Value, a, b);
        public static Skeleton operator *(Skeleton a, Skeleton b) => new(a.Value * b.Value, a, b);
        public Skeleton Sigmoid() => new(1 / (1 + Math.Exp(-Value)), this);
        public Skeleton Loss(double y) => new(-(y * Math.Log(Value) + (1 - y) * Math.Log(1 - Value)), this);

        public void Backward()
        {
            // your code
        }
    }

    // ------------------------------------------------------------ the same engine with each backward part overridable

    /// <summary>
    /// The solution again, every part of its backward half a virtual method, so that each mistake below is the solution
    /// with the one line a student gets wrong. (The operators are declared by each type: C# wants them on the type itself.)
    /// </summary>
    public abstract class Engine<TSelf> where TSelf : Engine<TSelf>, new()
    {
        public double Value { get; private set; }
        public double Grad { get; set; }
        public TSelf[] Inputs { get; private set; } = [];
        public Action PassBack { get; set; } = () => { };

        public static TSelf Make(double value, params TSelf[] inputs) => new() { Value = value, Inputs = inputs };

        private TSelf Self => (TSelf)this;

        protected static TSelf Add(TSelf a, TSelf b)
        {
            var result = Make(a.Value + b.Value, a, b);
            result.PassBack = () => result.AddBack(a, b);
            return result;
        }

        protected static TSelf Multiply(TSelf a, TSelf b)
        {
            var result = Make(a.Value * b.Value, a, b);
            result.PassBack = () => result.MultiplyBack(a, b);
            return result;
        }

        public TSelf Sigmoid()
        {
            var result = Make(SigmoidOf(Value), Self);
            result.PassBack = () => result.SigmoidBack(Self);
            return result;
        }

        public TSelf Loss(double y)
        {
            var result = Make(-(y * Math.Log(Value) + (1 - y) * Math.Log(1 - Value)), Self);
            result.PassBack = () => result.LossBack(Self, y);
            return result;
        }

        protected virtual double SigmoidOf(double z) => 1 / (1 + Math.Exp(-z));

        // Each runs on the result, so Grad and Value are the result's.
        protected virtual void AddBack(TSelf a, TSelf b)
        {
            a.Grad += Grad;
            b.Grad += Grad;
        }

        protected virtual void MultiplyBack(TSelf a, TSelf b)
        {
            a.Grad += b.Value * Grad;
            b.Grad += a.Value * Grad;
        }

        protected virtual void SigmoidBack(TSelf z) => z.Grad += Value * (1 - Value) * Grad;

        protected virtual void LossBack(TSelf a, double y) => a.Grad += -(y / a.Value - (1 - y) / (1 - a.Value)) * Grad;

        public virtual void Backward()
        {
            var order = Order();
            foreach (var node in order) node.Grad = 0;
            Grad = 1;
            for (int i = order.Count - 1; i >= 0; i--) order[i].PassBack();
        }

        protected virtual List<TSelf> Order()
        {
            var order = new List<TSelf>();
            var seen = new HashSet<TSelf>();
            void Visit(TSelf node)
            {
                if (!seen.Add(node)) return;
                foreach (var input in node.Inputs) Visit(input);
                order.Add(node);
            }
            Visit(Self);
            return order;
        }
    }

    public sealed class Right : Engine<Right>, IEngineNode<Right>
    {
        public static Right operator +(Right a, Right b) => Add(a, b);
        public static Right operator *(Right a, Right b) => Multiply(a, b);
    }

    // ---- = instead of +=

    public sealed class AssignsInProduct : Engine<AssignsInProduct>, IEngineNode<AssignsInProduct>
    {
        public static AssignsInProduct operator +(AssignsInProduct a, AssignsInProduct b) => Add(a, b);
        public static AssignsInProduct operator *(AssignsInProduct a, AssignsInProduct b) => Multiply(a, b);

        protected override void MultiplyBack(AssignsInProduct a, AssignsInProduct b)
        {
            a.Grad = b.Value * Grad;
            b.Grad = a.Value * Grad;
        }
    }

    public sealed class AssignsInSum : Engine<AssignsInSum>, IEngineNode<AssignsInSum>
    {
        public static AssignsInSum operator +(AssignsInSum a, AssignsInSum b) => Add(a, b);
        public static AssignsInSum operator *(AssignsInSum a, AssignsInSum b) => Multiply(a, b);

        protected override void AddBack(AssignsInSum a, AssignsInSum b)
        {
            a.Grad = Grad;
            b.Grad = Grad;
        }
    }

    public sealed class AssignsEverywhere : Engine<AssignsEverywhere>, IEngineNode<AssignsEverywhere>
    {
        public static AssignsEverywhere operator +(AssignsEverywhere a, AssignsEverywhere b) => Add(a, b);
        public static AssignsEverywhere operator *(AssignsEverywhere a, AssignsEverywhere b) => Multiply(a, b);

        protected override void AddBack(AssignsEverywhere a, AssignsEverywhere b)
        {
            a.Grad = Grad;
            b.Grad = Grad;
        }

        protected override void MultiplyBack(AssignsEverywhere a, AssignsEverywhere b)
        {
            a.Grad = b.Value * Grad;
            b.Grad = a.Value * Grad;
        }

        protected override void SigmoidBack(AssignsEverywhere z) => z.Grad = Value * (1 - Value) * Grad;

        protected override void LossBack(AssignsEverywhere a, double y) => a.Grad = -(y / a.Value - (1 - y) / (1 - a.Value)) * Grad;
    }

    // ---- the order of the walk

    /// <summary>The topological order walked as it is listed: from the leaves to the output.</summary>
    public sealed class LeavesFirst : Engine<LeavesFirst>, IEngineNode<LeavesFirst>
    {
        public static LeavesFirst operator +(LeavesFirst a, LeavesFirst b) => Add(a, b);
        public static LeavesFirst operator *(LeavesFirst a, LeavesFirst b) => Multiply(a, b);

        public override void Backward()
        {
            var order = Order();
            foreach (var node in order) node.Grad = 0;
            Grad = 1;
            foreach (var node in order) node.PassBack();
        }
    }

    /// <summary>No topological sort: depth first from the output, each node passing back as soon as it is reached.</summary>
    public sealed class DepthFirst : Engine<DepthFirst>, IEngineNode<DepthFirst>
    {
        public static DepthFirst operator +(DepthFirst a, DepthFirst b) => Add(a, b);
        public static DepthFirst operator *(DepthFirst a, DepthFirst b) => Multiply(a, b);

        public override void Backward()
        {
            var seen = new HashSet<DepthFirst>();
            void Reset(DepthFirst node)
            {
                if (!seen.Add(node)) return;
                node.Grad = 0;
                foreach (var input in node.Inputs) Reset(input);
            }
            Reset(this);
            Grad = 1;
            var done = new HashSet<DepthFirst>();
            void Walk(DepthFirst node)
            {
                if (!done.Add(node)) return;
                node.PassBack();
                foreach (var input in node.Inputs) Walk(input);
            }
            Walk(this);
        }
    }

    /// <summary>No topological sort: level by level from the output (a queue).</summary>
    public sealed class LevelByLevel : Engine<LevelByLevel>, IEngineNode<LevelByLevel>
    {
        public static LevelByLevel operator +(LevelByLevel a, LevelByLevel b) => Add(a, b);
        public static LevelByLevel operator *(LevelByLevel a, LevelByLevel b) => Multiply(a, b);

        public override void Backward()
        {
            foreach (var node in Order()) node.Grad = 0;
            Grad = 1;
            var queue = new Queue<LevelByLevel>([this]);
            var seen = new HashSet<LevelByLevel> { this };
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                node.PassBack();
                foreach (var input in node.Inputs)
                    if (seen.Add(input)) queue.Enqueue(input);
            }
        }
    }

    /// <summary>The topological sort without remembering which nodes it already listed.</summary>
    public sealed class NoSeenSet : Engine<NoSeenSet>, IEngineNode<NoSeenSet>
    {
        public static NoSeenSet operator +(NoSeenSet a, NoSeenSet b) => Add(a, b);
        public static NoSeenSet operator *(NoSeenSet a, NoSeenSet b) => Multiply(a, b);

        protected override List<NoSeenSet> Order()
        {
            var order = new List<NoSeenSet>();
            void Visit(NoSeenSet node)
            {
                foreach (var input in node.Inputs) Visit(input);
                order.Add(node);
            }
            Visit(this);
            return order;
        }
    }

    /// <summary>Backward calling itself on the inputs: every node starts again at 1.</summary>
    public sealed class Recursive : Engine<Recursive>, IEngineNode<Recursive>
    {
        public static Recursive operator +(Recursive a, Recursive b) => Add(a, b);
        public static Recursive operator *(Recursive a, Recursive b) => Multiply(a, b);

        public override void Backward()
        {
            Grad = 1;
            PassBack();
            foreach (var input in Inputs) input.Backward();
        }
    }

    /// <summary>The output set to 1 before the gradients are cleared, which clears it too.</summary>
    public sealed class OneThenClear : Engine<OneThenClear>, IEngineNode<OneThenClear>
    {
        public static OneThenClear operator +(OneThenClear a, OneThenClear b) => Add(a, b);
        public static OneThenClear operator *(OneThenClear a, OneThenClear b) => Multiply(a, b);

        public override void Backward()
        {
            var order = Order();
            Grad = 1;
            foreach (var node in order) node.Grad = 0;
            for (int i = order.Count - 1; i >= 0; i--) order[i].PassBack();
        }
    }

    public sealed class NoReset : Engine<NoReset>, IEngineNode<NoReset>
    {
        public static NoReset operator +(NoReset a, NoReset b) => Add(a, b);
        public static NoReset operator *(NoReset a, NoReset b) => Multiply(a, b);

        public override void Backward()
        {
            var order = Order();
            Grad = 1;
            for (int i = order.Count - 1; i >= 0; i--) order[i].PassBack();
        }
    }

    // ---- the operations' local derivatives

    public sealed class ProductWithoutFactor : Engine<ProductWithoutFactor>, IEngineNode<ProductWithoutFactor>
    {
        public static ProductWithoutFactor operator +(ProductWithoutFactor a, ProductWithoutFactor b) => Add(a, b);
        public static ProductWithoutFactor operator *(ProductWithoutFactor a, ProductWithoutFactor b) => Multiply(a, b);

        protected override void MultiplyBack(ProductWithoutFactor a, ProductWithoutFactor b)
        {
            a.Grad += Grad;
            b.Grad += Grad;
        }
    }

    public sealed class ProductOwnFactor : Engine<ProductOwnFactor>, IEngineNode<ProductOwnFactor>
    {
        public static ProductOwnFactor operator +(ProductOwnFactor a, ProductOwnFactor b) => Add(a, b);
        public static ProductOwnFactor operator *(ProductOwnFactor a, ProductOwnFactor b) => Multiply(a, b);

        protected override void MultiplyBack(ProductOwnFactor a, ProductOwnFactor b)
        {
            a.Grad += a.Value * Grad;
            b.Grad += b.Value * Grad;
        }
    }

    public sealed class SumForgetsB : Engine<SumForgetsB>, IEngineNode<SumForgetsB>
    {
        public static SumForgetsB operator +(SumForgetsB a, SumForgetsB b) => Add(a, b);
        public static SumForgetsB operator *(SumForgetsB a, SumForgetsB b) => Multiply(a, b);

        protected override void AddBack(SumForgetsB a, SumForgetsB b) => a.Grad += Grad;
    }

    public sealed class SigmoidWithoutSlope : Engine<SigmoidWithoutSlope>, IEngineNode<SigmoidWithoutSlope>
    {
        public static SigmoidWithoutSlope operator +(SigmoidWithoutSlope a, SigmoidWithoutSlope b) => Add(a, b);
        public static SigmoidWithoutSlope operator *(SigmoidWithoutSlope a, SigmoidWithoutSlope b) => Multiply(a, b);

        protected override void SigmoidBack(SigmoidWithoutSlope z) => z.Grad += Grad;
    }

    public sealed class SigmoidSlopeOfZ : Engine<SigmoidSlopeOfZ>, IEngineNode<SigmoidSlopeOfZ>
    {
        public static SigmoidSlopeOfZ operator +(SigmoidSlopeOfZ a, SigmoidSlopeOfZ b) => Add(a, b);
        public static SigmoidSlopeOfZ operator *(SigmoidSlopeOfZ a, SigmoidSlopeOfZ b) => Multiply(a, b);

        protected override void SigmoidBack(SigmoidSlopeOfZ z) => z.Grad += z.Value * (1 - z.Value) * Grad;
    }

    public sealed class SigmoidValue : Engine<SigmoidValue>, IEngineNode<SigmoidValue>
    {
        public static SigmoidValue operator +(SigmoidValue a, SigmoidValue b) => Add(a, b);
        public static SigmoidValue operator *(SigmoidValue a, SigmoidValue b) => Multiply(a, b);

        protected override void SigmoidBack(SigmoidValue z) => z.Grad += Value * Grad;
    }

    public sealed class LossWithoutDerivative : Engine<LossWithoutDerivative>, IEngineNode<LossWithoutDerivative>
    {
        public static LossWithoutDerivative operator +(LossWithoutDerivative a, LossWithoutDerivative b) => Add(a, b);
        public static LossWithoutDerivative operator *(LossWithoutDerivative a, LossWithoutDerivative b) => Multiply(a, b);

        protected override void LossBack(LossWithoutDerivative a, double y) => a.Grad += Grad;
    }

    public sealed class LossWithoutMinus : Engine<LossWithoutMinus>, IEngineNode<LossWithoutMinus>
    {
        public static LossWithoutMinus operator +(LossWithoutMinus a, LossWithoutMinus b) => Add(a, b);
        public static LossWithoutMinus operator *(LossWithoutMinus a, LossWithoutMinus b) => Multiply(a, b);

        protected override void LossBack(LossWithoutMinus a, double y) => a.Grad += (y / a.Value - (1 - y) / (1 - a.Value)) * Grad;
    }

    public sealed class LossPassesError : Engine<LossPassesError>, IEngineNode<LossPassesError>
    {
        public static LossPassesError operator +(LossPassesError a, LossPassesError b) => Add(a, b);
        public static LossPassesError operator *(LossPassesError a, LossPassesError b) => Multiply(a, b);

        protected override void LossBack(LossPassesError a, double y) => a.Grad += (a.Value - y) * Grad;
    }

    public sealed class LossForLabelOne : Engine<LossForLabelOne>, IEngineNode<LossForLabelOne>
    {
        public static LossForLabelOne operator +(LossForLabelOne a, LossForLabelOne b) => Add(a, b);
        public static LossForLabelOne operator *(LossForLabelOne a, LossForLabelOne b) => Multiply(a, b);

        protected override void LossBack(LossForLabelOne a, double y) => a.Grad += -1 / a.Value * Grad;
    }

    // ---- garbage

    /// <summary>× hands back twice the right amount: wrong, but no classic mistake.</summary>
    public sealed class ProductTwice : Engine<ProductTwice>, IEngineNode<ProductTwice>
    {
        public static ProductTwice operator +(ProductTwice a, ProductTwice b) => Add(a, b);
        public static ProductTwice operator *(ProductTwice a, ProductTwice b) => Multiply(a, b);

        protected override void MultiplyBack(ProductTwice a, ProductTwice b)
        {
            a.Grad += 2 * b.Value * Grad;
            b.Grad += 2 * a.Value * Grad;
        }
    }

    public sealed class NaNSlope : Engine<NaNSlope>, IEngineNode<NaNSlope>
    {
        public static NaNSlope operator +(NaNSlope a, NaNSlope b) => Add(a, b);
        public static NaNSlope operator *(NaNSlope a, NaNSlope b) => Multiply(a, b);

        protected override void SigmoidBack(NaNSlope z) => z.Grad += 0.0 / (Value - Value) * Grad;
    }

    public sealed class Throws : Engine<Throws>, IEngineNode<Throws>
    {
        public static Throws operator +(Throws a, Throws b) => Add(a, b);
        public static Throws operator *(Throws a, Throws b) => Multiply(a, b);

        protected override void MultiplyBack(Throws a, Throws b) => throw new InvalidOperationException("my own <b>message</b>");
    }

    /// <summary>The sigmoid's PassBack reaching for a second input it does not have.</summary>
    public sealed class SecondInput : Engine<SecondInput>, IEngineNode<SecondInput>
    {
        public static SecondInput operator +(SecondInput a, SecondInput b) => Add(a, b);
        public static SecondInput operator *(SecondInput a, SecondInput b) => Multiply(a, b);

        protected override void SigmoidBack(SecondInput z) => Inputs[1].Grad += Grad;
    }

    public sealed class Unwritten : Engine<Unwritten>, IEngineNode<Unwritten>
    {
        public static Unwritten operator +(Unwritten a, Unwritten b) => Add(a, b);
        public static Unwritten operator *(Unwritten a, Unwritten b) => Multiply(a, b);

        public override void Backward() => throw new NotImplementedException();
    }

    public sealed class NullSum : Engine<NullSum>, IEngineNode<NullSum>
    {
        public static NullSum operator +(NullSum a, NullSum b) => null!;
        public static NullSum operator *(NullSum a, NullSum b) => Multiply(a, b);
    }

    /// <summary>The forward pass of the sigmoid changed (e^z for e^−z): the values the gradients are taken at are not the library's.</summary>
    public sealed class ChangedForward : Engine<ChangedForward>, IEngineNode<ChangedForward>
    {
        public static ChangedForward operator +(ChangedForward a, ChangedForward b) => Add(a, b);
        public static ChangedForward operator *(ChangedForward a, ChangedForward b) => Multiply(a, b);

        protected override double SigmoidOf(double z) => 1 / (1 + Math.Exp(z));
    }

    // ------------------------------------------------------------ the tests

    [Fact]
    public void The_solution_passes_and_its_gradients_are_the_librarys_on_every_graph()
    {
        var result = NeuralNet.Exercises.Check.ScalarEngine(v => new Node(v));
        Passes(result);
        Assert.Contains("every gradient matches the library's Scalar on all 10 graphs", result.Message);
        Assert.Contains("Backward called twice", result.Message);
        Assert.Contains(result.Details, d => d.Contains("out = x·x", StringComparison.Ordinal));
        Passes(Check<Right>());
    }

    [Fact]
    public void The_checks_own_walk_without_mistakes_is_the_librarys_backward()
    {
        foreach (var graph in NeuralNet.Exercises.Check.EngineGraphs())
        {
            var library = graph.LibraryGradients();
            var walked = graph.Walk(graph.Backward());
            for (int k = 0; k < library.Length; k++) Assert.Equal(library[k], walked[k], 1e-14);
            // Every reverse topological order gives the same gradients; none of them is a mistake's.
            foreach (var order in graph.AllBackwardOrders())
                Assert.Equal(library, graph.Walk(order), new ToleranceComparer(1e-14));
        }
    }

    [Fact]
    public void An_unanswered_skeleton_says_what_to_write()
    {
        var skeleton = NeuralNet.Exercises.Check.ScalarEngine(v => new Skeleton(v));
        Unanswered(skeleton, "Write the backward half of Node");
        Assert.Contains("every gradient is still 0, even the output's own", skeleton.Message);
        Unanswered(NeuralNet.Exercises.Check.ScalarEngine<Node>(null), "Write the backward half of Node");
        Unanswered(Check<Unwritten>(), "Write the backward half of Node");
    }

    [Fact]
    public void Equals_instead_of_plus_equals_is_named_where_a_number_is_used_twice()
    {
        var product = Check<AssignsInProduct>();
        Names(Mistakes.AssignedNotAdded, product);
        Assert.Equal("= instead of +=", Mistakes.AssignedNotAdded.Name);
        // First on x·x, the smallest graph where it shows, with the two parts that should have been added.
        Explained(product, "Graph 7 of 10: out = x·x", "∂out/∂x: yours is -1.3, the library's is -2.6",
            "x is used twice", "the sum of the parts, -1.3 + (-1.3) = -2.6", "Yours is one of the parts alone");
        // In + only: it shows where b feeds both samples.
        var sum = Check<AssignsInSum>();
        Names(Mistakes.AssignedNotAdded, sum);
        Explained(sum, "Graph 9 of 10: the two samples", "∂J/∂b");
        Names(Mistakes.AssignedNotAdded, Check<AssignsEverywhere>());
    }

    [Fact]
    public void A_walk_in_the_wrong_order_is_named()
    {
        var leavesFirst = Check<LeavesFirst>();
        Names(Mistakes.WalkOrder, leavesFirst);
        Explained(leavesFirst, "Graph 6 of 10: the neuron of this notebook", "The operation can be right and the walk still wrong");
        Assert.DoesNotContain("is the PassBack of your", leavesFirst.ToString());   // a student's trial went to re-read a sigmoid that was right
        var depthFirst = Check<DepthFirst>();
        Names(Mistakes.WalkOrder, depthFirst);
        Explained(depthFirst, "Graph 10 of 10: three neurons with skip connections");
        Names(Mistakes.WalkOrder, Check<LevelByLevel>());
    }

    [Fact]
    public void A_node_walked_twice_and_Backward_restarted_inside_are_named()
    {
        var twice = Check<NoSeenSet>();
        Names(Mistakes.PassedBackTwice, twice);
        Explained(twice, "Graph 10 of 10");
        Names(Mistakes.RestartedInside, Check<Recursive>());
    }

    [Fact]
    public void A_walk_that_never_starts_at_1_is_named_and_not_taken_for_an_unanswered_one()
    {
        var result = Check<OneThenClear>();
        Names(Mistakes.WalkNotStarted, result);
        Explained(result, "your Backward sets the gradients to 0");
        Assert.DoesNotContain("not answered", result.ToString());
    }

    [Fact]
    public void Gradients_not_reset_are_named_when_Backward_runs_twice()
    {
        var result = Check<NoReset>();
        Names(Mistakes.GradientsNotReset, result);
        Explained(result, "Backward called twice on the neuron of this notebook", "after the second call");
    }

    [Fact]
    public void A_missing_or_wrong_local_derivative_is_named_with_its_operation()
    {
        var product = Check<ProductWithoutFactor>();
        Names(Mistakes.LocalDerivativeMissing, product);
        Explained(product, "your operator * hands the gradient back to a and b unchanged", "Graph 1 of 10: out = a·b");
        Explained(Check<SigmoidWithoutSlope>(), "your Sigmoid hands the gradient back to z unchanged", "Graph 3 of 10");
        Names(Mistakes.LocalDerivativeMissing, Check<SigmoidWithoutSlope>());
        Names(Mistakes.LocalDerivativeMissing, Check<LossWithoutDerivative>());
        Names(Mistakes.WrongLocalDerivative, Check<ProductOwnFactor>());
        Names(Mistakes.InputLeftOut, Check<SumForgetsB>());
        Names(Mistakes.SigmoidDerivativeOfZ, Check<SigmoidSlopeOfZ>());
        Names(Mistakes.ValueForDerivative, Check<SigmoidValue>());
        Names(Mistakes.GradientSign, Check<LossWithoutMinus>());
        Names(Mistakes.SigmoidDerivativeTwice, Check<LossPassesError>());
        var labelOne = Check<LossForLabelOne>();
        Names(Mistakes.CostMissingTerm, labelOne);
        Explained(labelOne, "Graph 5 of 10: ℓ = loss(a, y = 0)");
    }

    [Fact]
    public void An_unnamed_wrong_gradient_says_where_it_first_differs_and_what_should_have_arrived()
    {
        var result = Check<ProductTwice>();
        Assert.Equal(Verdict.Wrong, result.Verdict);
        Explained(result, "Graph 1 of 10", "∂out/∂a: yours is -1.6, the library's is -0.8",
            "out = a·b, whose gradient is right (1)", "what your operator * passes back to its input a is off", "× the other factor b = 1 × -0.8 = -0.8");
    }

    [Fact]
    public void Garbage_is_explained_in_words()
    {
        Explained(Check<NaNSlope>(), "NaN", "Graph 3 of 10");
        var thrown = Check<Throws>();
        Assert.Equal(Verdict.Crashed, thrown.Verdict);
        Explained(thrown, "Your code stopped with an error", "it threw InvalidOperationException, saying “my own <b>message</b>”", "while running Backward", "Graph 1 of 10");
        Explained(Check<NullSum>(), "your operator + returned null", "Graph 2 of 10");
        var index = Check<SecondInput>();
        Assert.Equal(Verdict.Crashed, index.Verdict);
        Explained(index, "an index went past the end of an array or a list", "one node for Sigmoid and Loss (Inputs[0])", "Graph 3 of 10: out = σ(z)");
        Assert.DoesNotContain("matrix", index.ToString());
        Explained(NeuralNet.Exercises.Check.ScalarEngine<Node>(v => null!), "returned null for a given number");
        Explained(Check<ChangedForward>(), "Graph 3 of 10", "the value of out = σ(z) is 0.354344 in yours and 0.645656 in the library's", "has the line that computes Sigmoid's value changed?");
    }

    [Fact]
    public void Each_mistake_the_check_knows_is_distinct_from_the_right_answer_on_some_graph()
    {
        // A mistake that gives the library's numbers on every graph could never be seen: each must differ somewhere.
        var graphs = NeuralNet.Exercises.Check.EngineGraphs();
        foreach (var (mistake, what, gradients) in NeuralNet.Exercises.Check.EngineMistakes())
            Assert.True(graphs.Any(g => gradients(g).Any(w => !w.Zip(g.LibraryGradients()).All(p => Math.Abs(p.First - p.Second) < 1e-9))),
                $"{mistake.Name} ({what}) gives the right gradients on every graph");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
