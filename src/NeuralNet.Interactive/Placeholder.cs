namespace NeuralNet.Interactive;

// Replaced by the notebook helpers (charts, live training, formatters).
internal static class Placeholder { }
