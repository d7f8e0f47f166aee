using NeuralNet.Training;

namespace NeuralNet.Cli;

/// <summary>Writes the training history as a standalone HTML chart (cost and accuracy per epoch).</summary>
public static class ChartWriter
{
    /// <summary>Writes the chart of <paramref name="history"/> to <paramref name="path"/>; returns the full path.</summary>
    public static string Write(TrainingHistory history, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        // Placeholder until NeuralNet.Interactive's Charts is merged: the chart is one call to it.
        string full = Path.GetFullPath(path);
        File.WriteAllText(full, $"<!DOCTYPE html><title>{System.Net.WebUtility.HtmlEncode(title)}</title><pre>{history}</pre>");
        return full;
    }
}
