using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace NeuralNet.Exercises;

public static partial class Check
{
    /// <summary>One forward-pass case: data and a three-layer network's parameters.</summary>
    internal sealed record ForwardCase(Matrix<double> X, Parameters P)
    {
        public int L => P.LayerCount;
    }

    /// <summary>Layer sizes and sample counts of the forward and backward cases: three layers, no two sizes equal within a case.</summary>
    private static readonly (int[] Dims, int Samples)[] NetworkShapes = [([3, 4, 2, 1], 5), ([2, 5, 3, 1], 7), ([4, 3, 6, 1], 9)];

    internal static ForwardCase MakeForwardCase(int exercise, int k)
    {
        var (dims, m) = NetworkShapes[k];
        var rng = Cases.Random(exercise, k);
        var weights = new List<Matrix<double>>();
        var biases = new List<Matrix<double>>();
        for (int l = 1; l < dims.Length; l++)
        {
            weights.Add(Cases.Randn(rng, dims[l], dims[l - 1], 0.8));
            biases.Add(Cases.Randn(rng, dims[l], 1, 0.5));
        }
        return new ForwardCase(Cases.Randn(rng, dims[0], m), new Parameters(weights, biases));
    }

    private static readonly string[] ForwardParts =
        ["AL", .. Enumerable.Range(1, 3).SelectMany(l => new[] { $"caches[{l}].A_prev", $"caches[{l}].W", $"caches[{l}].Z" })];

    /// <summary>The parts in <see cref="ForwardParts"/>' order: AL, then each layer's A_prev, W and Z.</summary>
    private static Matrix<double>?[] ForwardAnswer(Matrix<double>? al, IReadOnlyList<Cache?>? caches) =>
        [al, .. Enumerable.Range(1, 3).SelectMany(l =>
        {
            var c = caches is not null && l < caches.Count ? caches[l] : null;
            return new[] { c?.A_prev, c?.W, c?.Z };
        })];

    /// <summary>The library's forward pass with the given activations: every layer's A_prev, Z and A.</summary>
    private static (Matrix<double>[] APrev, Matrix<double>[] Z, Matrix<double>[] A) Layers(ForwardCase c, Activation hidden, Activation output)
    {
        var forward = DeepNN.ForwardPass(c.X, c.P, hidden, output);
        var range = Enumerable.Range(0, c.L + 1).ToArray();
        return (range.Select(l => l == 0 ? null! : forward.Caches[l].A_prev).ToArray(),
                range.Select(l => l == 0 ? null! : forward.Caches[l].Z).ToArray(),
                range.Select(l => l == 0 ? c.X : forward.Caches[l].A).ToArray());
    }

    /// <summary>
    /// Notebook 01: your forward pass, built from your own Relu, Sigmoid and LinearForward: the parts are checked first,
    /// in that order, then the whole pass — its output AL and every layer's cache — against the library's.
    /// </summary>
    public static ExerciseResult Forward(
        Func<Matrix<double>, Parameters, (Matrix<double> AL, Cache[] caches)>? yours,
        Func<Matrix<double>, Matrix<double>, Matrix<double>, Matrix<double>>? linearForward,
        Func<Matrix<double>, Matrix<double>>? relu,
        Func<Matrix<double>, Matrix<double>>? sigmoid) =>
        Construction.Grade("Forward",
            [("Relu", () => Relu(relu)), ("Sigmoid", () => Sigmoid(sigmoid)), ("LinearForward", () => LinearForward(linearForward))],
            ("Forward", () => ForwardPass(yours)));

    /// <summary>The forward loop alone (its parts checked by <see cref="Forward"/> first).</summary>
    internal static ExerciseResult ForwardPass(Func<Matrix<double>, Parameters, (Matrix<double> AL, Cache[] caches)>? yours) =>
        Grader.Grade(new ExerciseSpec<ForwardCase>
        {
            Name = "Forward",
            Task = "Write Forward so that it runs X through every layer of the network — ReLU on the hidden layers, the sigmoid on the output layer — " +
                   "and returns the output AL and, for each layer l = 1 … L, its cache caches[l] = new Cache(A_prev, W, Z).",
            Idea = "A layer's input is the previous layer's output: start with A = X and, layer by layer, compute Z with your LinearForward, " +
                   "keep what the backward step will need (the layer's input A_prev, its W, its Z), then bend Z with the layer's activation. " +
                   "The last layer's A is AL. Layers are numbered 1 … L like parameters.W[l], so caches needs L + 1 places, caches[0] unused.",
            Equation = "A_0 = X;  for l = 1 … L:  Z_l = W_l·A_{l−1} + b_l,  caches[l] = (A_{l−1}, W_l, Z_l),  A_l = relu(Z_l) if l < L, σ(Z_l) if l = L;  AL = A_L.",
            Parts = ForwardParts,
            CaseCount = NetworkShapes.Length,
            Case = k => MakeForwardCase(12, k),
            Describe = c => Invariant($"X {Shape.Of(c.X)}, layers [{string.Join(", ", c.P.LayerDims)}]"),
            Inputs = c => [("X", c.X), .. Enumerable.Range(1, c.L).SelectMany(l => new[] { ($"parameters.W[{l}]", c.P.W[l]), ($"parameters.b[{l}]", c.P.b[l]) })],
            InPlace = "Forward reads the parameters and the data; training reads them again at the next step and must find them as they were.",
            Library = c =>
            {
                var (al, caches) = Reference.Forward(c.X, c.P);
                return ForwardAnswer(al, caches)!;
            },
            Mistakes =
            [
                new(Mistakes.WrongHiddenActivation, "AL", c => Layers(c, Activations.Sigmoid, Activations.Sigmoid).A[c.L]),
                new(Mistakes.ReluOnOutput, "AL", c => Layers(c, Activations.ReLU, Activations.ReLU).A[c.L]),
                new(Mistakes.LoopStopsBeforeOutput, "AL", c => Layers(c, Activations.ReLU, Activations.Sigmoid).A[c.L - 1]),
                .. Enumerable.Range(1, 3).SelectMany(l => new MistakeVariant<ForwardCase>[]
                {
                    new(Mistakes.CacheKeepsOutput, $"caches[{l}].A_prev", c => Layers(c, Activations.ReLU, Activations.Sigmoid).A[l]),
                    new(Mistakes.CacheKeepsActivation, $"caches[{l}].Z", c => Layers(c, Activations.ReLU, Activations.Sigmoid).A[l]),
                }),
                .. Enumerable.Range(1, 2).SelectMany(l => new MistakeVariant<ForwardCase>[]
                {
                    new(Mistakes.CachesFromZero, $"caches[{l}].A_prev", c => Layers(c, Activations.ReLU, Activations.Sigmoid).APrev[l + 1]),
                    new(Mistakes.CachesFromZero, $"caches[{l}].W", c => c.P.W[l + 1]),
                    new(Mistakes.CachesFromZero, $"caches[{l}].Z", c => Layers(c, Activations.ReLU, Activations.Sigmoid).Z[l + 1]),
                }),
            ],
        }, yours is null ? null : c =>
        {
            var (al, caches) = yours(c.X, c.P);
            return al is null && caches is null ? null : ForwardAnswer(al, caches);
        });
}
