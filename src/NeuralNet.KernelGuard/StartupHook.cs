using System.Reflection;
using System.Runtime.Loader;

/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>, set by the kernelspec the workbook installs). The runtime
/// calls <see cref="Initialize"/> before <c>Main</c> in every .NET process started with that variable: first in
/// the SDK's <c>dotnet interactive</c> command, which finds the pinned tool and starts the kernel as its child,
/// then in the kernel. In the kernel, and only there, it registers <see cref="NeuralNet.KernelGuard.HttpApiOff"/>
/// as a hosting startup, so the kernel's web host serves nothing; in any other process it does nothing.
/// </summary>
/// <remarks>The runtime requires this name, in the global namespace.</remarks>
internal static class StartupHook
{
    /// <summary>The kernel's entry assembly (<c>dotnet-interactive.dll</c>).</summary>
    internal const string KernelAssembly = "Microsoft.DotNet.Interactive.App";

    public static void Initialize()
    {
        if (Assembly.GetEntryAssembly()?.GetName().Name != KernelAssembly)
        {
            return;
        }

        var self = typeof(StartupHook).Assembly;
        var name = self.GetName().Name!;
        // The web host loads hosting startups by assembly name; this one was loaded by path.
        AssemblyLoadContext.Default.Resolving += (_, wanted) => wanted.Name == name ? self : null;
        var existing = Environment.GetEnvironmentVariable(NeuralNet.KernelGuard.HttpApiOff.HostingStartupVariable);
        Environment.SetEnvironmentVariable(NeuralNet.KernelGuard.HttpApiOff.HostingStartupVariable,
            string.IsNullOrEmpty(existing) ? name : existing + ";" + name);

        // Programs the notebooks start (dotnet build, a student's own app) are not kernels: they need no hook.
        Environment.SetEnvironmentVariable("DOTNET_STARTUP_HOOKS", null);
        Environment.SetEnvironmentVariable(NeuralNet.KernelGuard.HttpApiOff.MarkerVariable, "off");
    }
}
