using NeuralNet.Interactive;
using NeuralNet.Training;

namespace NeuralNet.Cli;

/// <summary>Writes the training history as a standalone HTML chart, with NeuralNet.Interactive's Plotly charts.</summary>
public static class ChartWriter
{
    /// <summary>
    /// Writes cost and accuracy per epoch (training, and the test set at each report) of <paramref name="history"/>
    /// to <paramref name="path"/> as a page that carries plotly.js itself, so it opens without internet.
    /// Returns the full path written.
    /// </summary>
    public static string Write(TrainingHistory history, string path, string title) =>
        Charts.ToHtmlFile(Charts.CostAndAccuracy(history), path, embedPlotlyJs: true, title: title);
}
