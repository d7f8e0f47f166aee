using NeuralNet.Benchmarks;

// dotnet run -c Release --project src/NeuralNet.Benchmarks -- [--filter TEXT] [--threads N] [--runs N] [--no-peers] [--peer-repeat N]
var options = BenchOptions.Parse(args);
if (options is null) return 2;
return Runner.Run(options);
