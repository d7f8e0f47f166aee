using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NeuralNet.Autograd;
using NeuralNet.Data;
using NeuralNet.Exercises;
using NeuralNet.Interactive;

namespace NeuralNet.Tests;

/// <summary>
/// The projects' layers, read from the compiled assemblies' references (what the code really uses, not what a
/// project file says): NeuralNet (the network; MathNet only, no file I/O) ← NeuralNet.Data (data sets and file
/// formats) ← NeuralNet.Workbook (scalar autograd, exercise checker) ← NeuralNet.Interactive (charts, formatters,
/// the notebook kernel). A notebook dependency moved back into the core — a teaching aid, a chart, the kernel, a
/// file — fails here, naming the assembly or type that crossed.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Core = typeof(Network).Assembly;
    private static readonly Assembly Formats = typeof(ModelFile).Assembly;
    private static readonly Assembly Workbook = typeof(Scalar).Assembly;
    private static readonly Assembly Interactive = typeof(KernelSetup).Assembly;

    /// <summary>The folder of the shared framework (System.Runtime.dll, System.Linq.dll, …): the BCL.</summary>
    private static readonly string Framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static bool IsBcl(AssemblyName name) => File.Exists(Path.Combine(Framework, name.Name + ".dll"));

    /// <summary>The assemblies <paramref name="assembly"/> references that are not the BCL's, by name, sorted.</summary>
    private static string[] NonBclReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Where(a => !IsBcl(a)).Select(a => a.Name!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_BCL_test_recognises_the_framework_and_nothing_else()
    {
        // Guards the two tests below against passing vacuously: the core does reference BCL assemblies, and
        // neither MathNet nor Plotly nor the kernel counts as one.
        Assert.Contains(Core.GetReferencedAssemblies(), IsBcl);
        Assert.False(IsBcl(new AssemblyName("MathNet.Numerics")));
        Assert.False(IsBcl(new AssemblyName("Plotly.NET")));
        Assert.False(IsBcl(new AssemblyName("Microsoft.DotNet.Interactive")));
        Assert.False(IsBcl(Core.GetName()));
    }

    [Fact]
    public void The_core_references_MathNet_and_the_BCL_only()
    {
        Assert.Equal("NeuralNet", Core.GetName().Name);
        Assert.Equal(["MathNet.Numerics"], NonBclReferences(Core));
    }

    [Fact]
    public void The_formats_reference_the_core_and_MathNet_only()
    {
        // Data depends on the core, never the reverse (the core's own test above), and on nothing of the notebooks'.
        Assert.Equal("NeuralNet.Data", Formats.GetName().Name);
        Assert.Equal(["MathNet.Numerics", "NeuralNet"], NonBclReferences(Formats));
    }

    /// <summary>The BCL's file-system types: what reading or writing a file goes through.</summary>
    private static readonly string[] FileTypes = ["File", "FileInfo", "FileStream", "Directory", "DirectoryInfo", "StreamReader", "StreamWriter", "Path"];

    /// <summary>
    /// The System.IO types <paramref name="assembly"/>'s code refers to, by name, sorted. On .NET 10 File and FileStream
    /// live in System.Private.CoreLib like everything else, so the assembly references cannot show file I/O: the type
    /// references in its metadata can.
    /// </summary>
    private static string[] SystemIOTypes(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        return metadata.TypeReferences.Select(handle => metadata.GetTypeReference(handle))
            .Where(t => metadata.GetString(t.Namespace) == "System.IO")
            .Select(t => metadata.GetString(t.Name)).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void The_core_does_no_file_IO()
    {
        // The detector sees System.IO where it is: the core writes progress to a TextWriter, and the formats read files.
        Assert.Contains("TextWriter", SystemIOTypes(Core));
        Assert.Contains("FileStream", SystemIOTypes(Formats));
        Assert.Contains("File", SystemIOTypes(Formats));
        var files = SystemIOTypes(Core).Intersect(FileTypes).ToArray();
        Assert.True(files.Length == 0,
            $"NeuralNet.dll uses System.IO.{string.Join(", System.IO.", files)}: files are NeuralNet.Data's (the core takes and returns matrices, networks and histories).");
    }

    [Fact]
    public void The_workbook_references_the_core_its_data_and_MathNet_only_not_the_notebook_face()
    {
        // The exercise checker draws its cases from the data sets (NeuralNet.Data); no charts, no kernel.
        Assert.Equal("NeuralNet.Workbook", Workbook.GetName().Name);
        Assert.Equal(["MathNet.Numerics", "NeuralNet", "NeuralNet.Data"], NonBclReferences(Workbook));
    }

    [Fact]
    public void The_notebook_face_stands_on_the_workbook_and_the_core()
    {
        var references = NonBclReferences(Interactive);
        Assert.Contains("NeuralNet", references);
        Assert.Contains("NeuralNet.Workbook", references);
    }

    [Fact]
    public void The_teaching_aids_live_in_the_workbook_not_the_core()
    {
        Assert.Same(Workbook, typeof(Check).Assembly);
        Assert.Same(Workbook, typeof(ExerciseResult).Assembly);
        Assert.Same(Workbook, typeof(Scalar).Assembly);
        string[] teachingNamespaces = ["NeuralNet.Exercises", "NeuralNet.Autograd"];
        var strays = Core.GetTypes().Where(t => teachingNamespaces.Contains(t.Namespace)).Select(t => t.FullName).ToArray();
        Assert.True(strays.Length == 0, $"the core holds teaching aids, which belong in NeuralNet.Workbook: {string.Join(", ", strays)}");
    }
}
