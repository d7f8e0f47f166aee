// Loads the NeuralNet workbook into a .NET Interactive notebook. From a notebook in notebooks/:
//
//     #load "../artifacts/bin/NeuralNet.Interactive/debug/NeuralNet.csx"
//
// One line instead of five #r's (a #r makes only that DLL's types visible to later cells), and it
// runs the kernel setup (FSharp.Core fix for Plotly.NET, chart formatter) before any chart is built.
// Paths below are relative to this file, which the build copies beside NeuralNet.Interactive.dll.
#r "MathNet.Numerics.dll"
#r "NeuralNet.dll"
#r "Plotly.NET.dll"
#r "Plotly.NET.CSharp.dll"
#r "NeuralNet.Interactive.dll"

NeuralNet.Interactive.KernelSetup.Install();
