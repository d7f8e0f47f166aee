using System.Text.Json.Nodes;
using NeuralNet.Interactive;

namespace NeuralNet.Tests.Interactive;

/// <summary>
/// my-network.csx: the student's functions read from the exercise cells of their saved notebooks, the library's where a
/// function is not written or does not compile on its own, and a file that always compiles.
/// </summary>
public sealed class YourNetworkFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnet-your-network-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A notebook file holding the given cells, each an exercise cell (tagged) or, when it starts with "!", an untagged one.</summary>
    private void Notebook(string name, params string[] cells) =>
        File.WriteAllText(Path.Combine(_folder, name), new JsonObject
        {
            ["cells"] = new JsonArray([.. cells.Select(code => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code",
                ["metadata"] = code.StartsWith('!') ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray("exercise") },
                ["outputs"] = new JsonArray(),
                ["source"] = code.TrimStart('!'),
            })]),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString());

    private const string ForwardAsShipped = """
        using NeuralNet.Exercises;

        Matrix<double> Relu(Matrix<double> Z) => null;      // your code here
        Matrix<double> Sigmoid(Matrix<double> Z) => null;   // your code here
        Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b) => null;   // your code here

        (Matrix<double> AL, Cache[] caches) Forward(Matrix<double> X, Parameters parameters)
        {
            return (null, null);   // your code here
        }
        """;

    [Fact]
    public void Notebooks_as_shipped_give_the_library_for_every_function_and_a_file_that_compiles()
    {
        Notebook("01-forward-pass.ipynb", ForwardAsShipped, "double ComputeCost(Matrix<double> AL, Matrix<double> Y) => throw new NotImplementedException();");
        Notebook("02-backprop-chain-rule.ipynb", "Grads[] Backward(Matrix<double> AL, Matrix<double> Y, Cache[] caches)\n{\n    return null;   // your code here\n}",
            "Matrix<double> ReluBackward(Matrix<double> dA, Matrix<double> Z) => null;");

        var file = YourNetworkFile.Write(_folder, ["01", "02"]);

        Assert.Equal(["Relu", "Sigmoid", "LinearForward", "Forward", "ComputeCost", "ReluBackward", "LinearBackward", "Backward"], file.Functions.Select(f => f.Name));
        Assert.All(file.Functions, f => Assert.False(f.Yours, f.Name));
        Assert.All(file.Functions, f => Assert.Equal("not written yet", f.Note));
        Assert.Empty(YourNetworkFile.Errors(file.Text));
        Assert.Equal(file.Text, File.ReadAllText(Path.Combine(_folder, "my-network.csx")));
        Assert.Contains("Forward(Matrix<double> X, Parameters parameters) => StandIn.Forward(X, parameters);", file.Text);
    }

    [Fact]
    public void Written_functions_are_yours_with_their_helpers_and_a_line_that_points_at_the_notebook()
    {
        Notebook("01-forward-pass.ipynb", """
            using NeuralNet.Exercises;

            Matrix<double> Relu(Matrix<double> Z) => Z.Map(z => Math.Max(0, z));
            Matrix<double> Sigmoid(Matrix<double> Z) => null;   // your code here

            // One copy of b per sample.
            Matrix<double> Ones(int m) => Matrix<double>.Build.Dense(1, m, 1.0);
            Matrix<double> LinearForward(Matrix<double> A_prev, Matrix<double> W, Matrix<double> b) => W * A_prev + b * Ones(A_prev.ColumnCount);
            """, "!var notMine = 1;", "double ComputeCost(Matrix<double> AL, Matrix<double> Y) => 0.5;");

        var file = YourNetworkFile.Write(_folder, ["01"]);

        var parts = file.Functions.ToDictionary(f => f.Name);
        Assert.True(parts["Relu"].Yours);
        Assert.True(parts["LinearForward"].Yours);
        Assert.True(parts["ComputeCost"].Yours);
        Assert.False(parts["Sigmoid"].Yours);
        Assert.False(parts["Forward"].Yours);   // no cell declares it
        Assert.Equal(["Ones"], file.Helpers);
        Assert.DoesNotContain("notMine", file.Text);   // not an exercise cell
        // The comment above a function comes with it, and the line directive counts it: a compiler error names the cell's own line.
        Assert.Contains("#line 6 \"01-forward-pass.ipynb, code cell 1\"\n// One copy of b per sample.\nMatrix<double> Ones", file.Text);
        Assert.Empty(YourNetworkFile.Errors(file.Text));
    }

    [Fact]
    public void A_function_that_does_not_compile_on_its_own_and_what_calls_it_fall_back_to_the_library_saying_why()
    {
        // ComputeCost uses a variable of the notebook (Y0), not its argument; Forward calls a helper of another cell that does not compile.
        Notebook("01-forward-pass.ipynb",
            "double ComputeCost(Matrix<double> AL, Matrix<double> Y) => -Y0.PointwiseMultiply(AL.PointwiseLog()).Enumerate().Sum();",
            "Matrix<double> Broken(Matrix<double> Z) => Z.Nope();",
            "(Matrix<double> AL, Cache[] caches) Forward(Matrix<double> X, Parameters parameters) => (Broken(X), new Cache[1]);",
            "Matrix<double> Relu(Matrix<double> Z) => Z.Map(z => Math.Max(0, z));");

        var file = YourNetworkFile.Write(_folder, ["01"]);

        var parts = file.Functions.ToDictionary(f => f.Name);
        Assert.False(parts["ComputeCost"].Yours);
        Assert.Contains("yours does not compile on its own here: 01-forward-pass.ipynb, code cell 1, line 1:", parts["ComputeCost"].Note);
        Assert.Contains("Y0", parts["ComputeCost"].Note);
        Assert.False(parts["Forward"].Yours);
        Assert.True(parts["Relu"].Yours);
        Assert.DoesNotContain("Broken", file.Helpers);
        Assert.Empty(YourNetworkFile.Errors(file.Text));
    }

    [Fact]
    public void The_last_definition_of_a_function_wins_as_in_a_notebook()
    {
        Notebook("01-forward-pass.ipynb",
            "Matrix<double> Relu(Matrix<double> Z) => Z;",
            "Matrix<double> Helper(int n) => null;\nMatrix<double> Relu(Matrix<double> Z) => Z.Map(z => Math.Max(0, z));",
            "Matrix<double> Helper(int n) => Matrix<double>.Build.Dense(n, n);");

        var file = YourNetworkFile.Write(_folder, ["01"]);

        Assert.Contains("Z.Map(z => Math.Max(0, z))", file.Text);
        Assert.DoesNotContain("=> Z;", file.Text);
        Assert.Single(file.Helpers, "Helper");
        Assert.Contains("Build.Dense(n, n)", file.Text);
        Assert.Empty(YourNetworkFile.Errors(file.Text));
    }

    [Fact]
    public void A_notebook_not_in_the_folder_is_said_and_its_functions_are_the_librarys()
    {
        var file = YourNetworkFile.Write(_folder, ["02"]);

        Assert.All(file.Functions, f => Assert.Contains("not found in", f.Note));
        Assert.Contains("02-backprop-chain-rule.ipynb", file.ToString());
        Assert.Empty(YourNetworkFile.Errors(file.Text));
        Assert.Throws<ArgumentException>(() => YourNetworkFile.Write(_folder, ["05"]));
    }

    [Fact]
    public void The_solutions_key_is_read_in_its_own_folder()
    {
        Notebook("03-weight-updates-and-training.solutions.ipynb",
            "void UpdateParameters(Parameters parameters, Grads[] grads, double alpha)\n{\n    for (int l = 1; l <= parameters.LayerCount; l++) parameters.W[l].Subtract(alpha * grads[l].dW, parameters.W[l]);\n}");

        var file = YourNetworkFile.Write(_folder, ["01", "02", "03"]);

        var update = file.Functions.Single(f => f.Name == "UpdateParameters");
        Assert.True(update.Yours);
        Assert.Equal("03-weight-updates-and-training.solutions.ipynb", update.Notebook);
        // Train is not written: the library's loop stands in, over the functions of the file (yours where written).
        Assert.Contains("new NetworkParts(Forward, ComputeCost, Backward, UpdateParameters, StandIn.Train).TrainWithTheLibrarysLoop(", file.Text);
        Assert.Empty(YourNetworkFile.Errors(file.Text));
    }
}
