// Loads the NeuralNet workbook into a .NET Interactive notebook. From a notebook in notebooks/:
//
//     #load "../artifacts/notebook-library/NeuralNet.csx"
//
// One line instead of six #r's (a #r makes only that DLL's types visible to later cells), and it
// runs the kernel setup before any chart is built: the FSharp.Core fix for Plotly.NET, every formatter,
// and plotly.js displayed in this cell's output (once per page: later charts draw with it, offline).
// Paths below are relative to this file, which the build copies beside NeuralNet.Interactive.dll.
#r "MathNet.Numerics.dll"
#r "NeuralNet.dll"
#r "NeuralNet.Data.dll"
#r "NeuralNet.Workbook.dll"
#r "Plotly.NET.dll"
#r "Plotly.NET.CSharp.dll"
#r "NeuralNet.Interactive.dll"

NeuralNet.Interactive.KernelSetup.Install();
