using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Numerics;

namespace NeuralNet.Cli;

/// <summary>
/// The network a command line asks for, fitted to the data: layer sizes (first and last inferred when not
/// given), activations, cost, and how the labels are encoded for it.
/// </summary>
public sealed record NetworkPlan(int[] LayerSizes, Activation Hidden, Activation Output, Cost Cost)
{
    /// <summary>One output unit (sigmoid, labels as a 0/1 row) or one per class (labels one-hot).</summary>
    public bool SingleUnit => LayerSizes[^1] == 1;

    /// <summary>The labels of <paramref name="data"/> as the network's targets Y.</summary>
    public Matrix<double> Targets(LabeledData data) => Targets(data, LayerSizes[^1]);

    /// <summary>Labels as targets for a network with <paramref name="outputs"/> output units.</summary>
    public static Matrix<double> Targets(LabeledData data, int outputs)
    {
        if (outputs == 1) return data.BinaryRow(1);
        var y = data.OneHot();
        if (y.RowCount == outputs) return y;
        // The test set may lack the last classes: pad with zero rows.
        var padded = Matrix<double>.Build.Dense(outputs, data.Count);
        padded.SetSubMatrix(0, 0, y.SubMatrix(0, Math.Min(y.RowCount, outputs), 0, data.Count));
        return padded;
    }

    /// <summary>"784 → 128 → 10 (relu, softmax; categorical_cross_entropy)".</summary>
    public string Describe() =>
        $"{string.Join(" → ", LayerSizes)} ({Hidden.Name} hidden, {Output.Name} output, {Cost.Name})";

    /// <summary>
    /// Fits the options to the data. <paramref name="layers"/> is the full list (first = features, last = outputs);
    /// <paramref name="hiddenLayers"/> only the hidden sizes. Output and cost default from the class count:
    /// two classes → one sigmoid unit with binary cross-entropy; more → softmax with categorical cross-entropy.
    /// </summary>
    public static NetworkPlan Create(int features, int classes, int[]? layers, int[]? hiddenLayers,
        string hidden, string? output, string? cost)
    {
        if (classes < 2)
        {
            throw new UsageException(
                $"The labels have only {classes} class{(classes == 1 ? "" : "es")}; a classifier needs at least two. Is --label-column the right column?", "train");
        }

        if (layers is not null && hiddenLayers is not null)
            throw new UsageException("Give --layers (all sizes, e.g. 784,128,10) or --hidden-layers (only the hidden ones, e.g. 128), not both.", "train");

        var hiddenActivation = ActivationOption("hidden", hidden);
        if (hiddenActivation.Key == "softmax")
            throw new UsageException("--hidden softmax is not supported: softmax belongs on the output layer. Use relu, tanh, sigmoid or leaky_relu.", "train");
        Activation? outputActivation = output is null ? null : ActivationOption("output", output);

        int fittingOutputs;   // what the output layer needs, given the requested activation
        if (outputActivation is null)
        {
            int requestedLast = layers?[^1] ?? 0;
            if (classes == 2 && requestedLast == 2) outputActivation = Activations.Softmax;
            else outputActivation = classes == 2 ? Activations.Sigmoid : Activations.Softmax;
        }
        fittingOutputs = classes == 2 && outputActivation.Key != "softmax" ? 1 : classes;

        int[] sizes;
        if (layers is not null)
        {
            if (layers.Length < 2)
            {
                throw new UsageException(
                    $"--layers needs at least the input and output sizes, e.g. --layers {features},64,{fittingOutputs}; for the hidden sizes alone use --hidden-layers.", "train");
            }

            if (layers[0] != features)
            {
                throw new UsageException(
                    $"--layers starts with {layers[0]}, but the data has {features} feature{(features == 1 ? "" : "s")} per sample, so the first size must be {features}: " +
                    $"--layers {string.Join(',', new[] { features }.Concat(layers[1..]))} (or give only the hidden sizes: --hidden-layers {HiddenOf(layers)}).", "train");
            }

            int last = layers[^1];
            bool fits = last == fittingOutputs || (classes == 2 && output is null && last is 1 or 2);
            if (!fits)
            {
                string what = classes == 2
                    ? "1 (one sigmoid unit, the default for two classes) or 2 (softmax)"
                    : $"{classes} (one unit per class)";
                throw new UsageException(
                    $"--layers ends with {last}, but the data has {classes} classes, so the output layer must have {what}: " +
                    $"--layers {string.Join(',', layers[..^1].Append(fittingOutputs))}.", "train");
            }
            sizes = layers;
        }
        else
        {
            sizes = [features, .. hiddenLayers ?? [64], fittingOutputs];
        }

        try { MemoryBudget.CheckLayerSizes(sizes); }
        catch (ArgumentException e)
        {
            string option = layers is not null ? $"--layers {string.Join(',', layers)}" : $"--hidden-layers {string.Join(',', hiddenLayers ?? [64])}";
            throw new UsageException($"{option}: {CliApp.StripParameter(e)}", "train");
        }

        if (outputActivation.Key == "softmax" && sizes[^1] == 1)
            throw new UsageException("--output softmax needs one unit per class; with two classes it needs 2 output units.", "train");
        Cost costFunction = cost is null
            ? (outputActivation.Key == "softmax" ? Costs.CategoricalCrossEntropy : Costs.BinaryCrossEntropy)
            : CostOption(cost);
        return new NetworkPlan(sizes, hiddenActivation, outputActivation, costFunction);
    }

    private static string HiddenOf(int[] layers) => layers.Length > 2 ? string.Join(',', layers[1..^1]) : "64";

    private static Activation ActivationOption(string option, string name)
    {
        try { return Activations.FromName(name.Replace('-', '_')); }
        catch (ArgumentException)
        {
            throw new UsageException($"--{option} must be an activation: {string.Join(", ", Activations.Names)} (or leaky_relu(0.1)); not \"{name}\".", "train");
        }
    }

    private static Cost CostOption(string name)
    {
        try { return Costs.FromName(name.Replace('-', '_')); }
        catch (ArgumentException)
        {
            throw new UsageException($"--cost must be one of {string.Join(", ", Costs.Names)}; not \"{name}\".", "train");
        }
    }
}
