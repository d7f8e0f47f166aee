using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests.Reference;

/// <summary>Reads the NumPy reference files made by make_reference.py (committed beside it).</summary>
internal static class ReferenceData
{
    private static readonly Lazy<JsonDocument> RandomDoc = new(() => Load("numpy_random.json"));
    private static readonly Lazy<JsonDocument> MirrorDoc = new(() => Load("mirror_training.json"));

    public static JsonElement Random => RandomDoc.Value.RootElement;
    public static JsonElement Mirror => MirrorDoc.Value.RootElement;

    private static JsonDocument Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", name);
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>A {"shape": [r, c], "data": [C order]} object as a matrix (a 1-D shape becomes one row).</summary>
    public static Matrix<double> Mat(JsonElement mat)
    {
        var shape = Ints(mat.GetProperty("shape"));
        var data = Doubles(mat.GetProperty("data"));
        int rows = shape.Length == 2 ? shape[0] : 1;
        int cols = shape.Length == 2 ? shape[1] : data.Length;
        return Matrix<double>.Build.Dense(rows, cols, (i, j) => data[i * cols + j]);
    }
}
