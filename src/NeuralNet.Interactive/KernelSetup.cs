using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive.Formatting;

namespace NeuralNet.Interactive;

/// <summary>
/// Makes Plotly.NET work inside the .NET Interactive kernel. Runs by itself: the notebook setup
/// script (<c>NeuralNet.csx</c>, loaded with <c>#load</c>) calls <see cref="Install"/>, and a module
/// initializer calls it the first time any code of this assembly runs (for notebooks that <c>#r</c>
/// the DLLs one by one). Nothing for a student to paste.
/// </summary>
/// <remarks>
/// <para>The trap: the kernel (microsoft.dotnet-interactive 1.0.712001) has FSharp.Core 10.0 loaded in
/// the default load context, and Plotly.NET 6.0.0 references FSharp.Core 10.1.0.0, so the first chart fails
/// with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". A second FSharp.Core copy
/// beside the DLL is no cure either: Plotly would get 10.1 while Giraffe.ViewEngine gets the kernel's 10.0,
/// and the first chart fails with MissingMethodException. So the build leaves FSharp.Core out of this
/// project's output (KernelSetup.targets) and this class resolves every failed FSharp.Core request to
/// the one copy the process already has.</para>
/// <para>The resolving handler only fires when the runtime could not load the requested FSharp.Core
/// itself; a future kernel shipping FSharp.Core 10.1 or later satisfies Plotly directly and the handler
/// never runs.</para>
/// <para>.NET Interactive 1.0.712001 loads <c>IKernelExtension</c>s only from NuGet packages
/// (interactive-extensions/dotnet), never from a <c>#r</c>'d DLL, and <c>#r</c> does not even load the
/// assembly until code uses it; hence the setup script and the module initializer.</para>
/// </remarks>
public static class KernelSetup
{
    private const string FSharpCore = "FSharp.Core";
    private static int _installed;
    private static int _redirects;

    [ThreadStatic]
    private static bool _resolving;

    /// <summary>How many FSharp.Core loads were answered with the already-loaded FSharp.Core.</summary>
    public static int FSharpCoreRedirects => Volatile.Read(ref _redirects);

    /// <summary>Whether <see cref="Install"/> has run in this process.</summary>
    public static bool IsInstalled => Volatile.Read(ref _installed) == 1;

    // A library module initializer is deliberate here: it is the earliest moment our code can run
    // after a notebook #r's this DLL, and it must run before any Plotly.NET type is touched.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnModuleLoad()
    {
        try
        {
            EnsureInstalled();
        }
        catch (Exception e)
        {
            // Never let setup make the whole assembly unusable (a module initializer that throws does).
            Console.Error.WriteLine($"NeuralNet.Interactive: kernel setup failed: {e.Message}");
        }
    }

    /// <summary>
    /// Sets up the kernel for the workbook and puts plotly.js in the page: installs the FSharp.Core resolver
    /// and registers every formatter (<see cref="Formatters.Register"/>: charts as HTML,
    /// matrices, networks, gradients…) once per process; then, when called from a notebook cell (the setup
    /// script <c>NeuralNet.csx</c> does), displays plotly.js in that cell's output
    /// (<see cref="ChartOutput.PlotlyJsLoaderHtml"/>), so the charts' HTML draws offline. Called again (the
    /// setup cell re-run after a page reload), it displays plotly.js again: the page may have lost it.
    /// Outside a kernel it is harmless.
    /// </summary>
    public static void Install()
    {
        EnsureInstalled();
        ShowPlotlyJs();
    }

    /// <summary>The once-per-process part of <see cref="Install"/> (also run by the module initializer).</summary>
    private static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AssemblyLoadContext.Default.Resolving += ResolveFSharpCore;
        Formatters.Register();
    }

    /// <summary>Displays plotly.js in the running cell's output; nothing when no cell is running.</summary>
    private static void ShowPlotlyJs()
    {
        try
        {
            ShowInCell(ChartOutput.PlotlyJsLoaderHtml());
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            // No .NET Interactive assembly in this host (a console app): there is no page to load it into.
        }
    }

    // Kept apart so that the kernel's types are only loaded when there may be a cell to show in.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ShowInCell(string html)
    {
        if (Microsoft.DotNet.Interactive.KernelInvocationContext.Current is { } context)
            Microsoft.DotNet.Interactive.KernelInvocationContextExtensions.Display(context, new Microsoft.AspNetCore.Html.HtmlString(html), HtmlFormatter.MimeType);
    }

    private static Assembly? ResolveFSharpCore(AssemblyLoadContext context, AssemblyName requested)
    {
        if (!string.Equals(requested.Name, FSharpCore, StringComparison.OrdinalIgnoreCase) || _resolving)
        {
            return null;
        }

        _resolving = true;
        try
        {
            var assembly = LoadedFSharpCore() ?? HostFSharpCore() ?? FSharpCoreBesideUs(requested);
            if (assembly is not null)
            {
                Interlocked.Increment(ref _redirects);
            }
            return assembly;
        }
        finally
        {
            _resolving = false;
        }
    }

    /// <summary>The FSharp.Core the process already runs on (the kernel's), highest version first.</summary>
    private static Assembly? LoadedFSharpCore() =>
        AssemblyLoadContext.Default.Assemblies
            .Where(a => string.Equals(a.GetName().Name, FSharpCore, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();

    /// <summary>The host's own FSharp.Core, if it has one it has not loaded yet (any version).</summary>
    private static Assembly? HostFSharpCore()
    {
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(FSharpCore));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>Last resort, for hosts without any FSharp.Core: a copy next to this DLL, if new enough.</summary>
    private static Assembly? FSharpCoreBesideUs(AssemblyName requested)
    {
        var directory = Path.GetDirectoryName(typeof(KernelSetup).Assembly.Location);
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        var path = Path.Combine(directory, FSharpCore + ".dll");
        if (!File.Exists(path))
        {
            return null;
        }

        var version = AssemblyName.GetAssemblyName(path).Version;
        return requested.Version is null || version >= requested.Version
            ? AssemblyLoadContext.Default.LoadFromAssemblyPath(path)
            : null;
    }
}
