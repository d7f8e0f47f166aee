using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

[assembly: HostingStartup(typeof(NeuralNet.KernelGuard.HttpApiOff))]

namespace NeuralNet.KernelGuard;

/// <summary>
/// Switches off the kernel's HTTP API. In Jupyter mode the pinned kernel (.NET Interactive 1.0.712001,
/// deprecated, no fixes) always starts a web server with no authentication and any Origin allowed: a variables
/// endpoint that returns any variable's value and a SignalR hub (<c>/kernelhub</c>) that runs any code it is sent.
/// The workbook needs none of it (charts and live updates travel as Jupyter display messages). This hosting
/// startup puts one request handler in front of the kernel's web application and never passes a request on:
/// every request gets 403 with the reason, and the kernel's own routes, hub and browser bootstrap script are
/// never set up. The listener itself stays, on loopback only (the kernelspec passes <c>--http-local-only</c>).
/// </summary>
public sealed class HttpApiOff : IHostingStartup, IStartupFilter
{
    /// <summary>The variable ASP.NET Core reads its hosting startups from.</summary>
    internal const string HostingStartupVariable = "ASPNETCORE_HOSTINGSTARTUPASSEMBLIES";

    /// <summary>Set in the kernel once the guard is in place; the notebooks' first cell looks for it.</summary>
    public const string MarkerVariable = "NEURALNET_KERNEL_HTTP_API";

    /// <summary>What every request is told.</summary>
    public const string Refusal =
        "403: this .NET Interactive kernel's HTTP API is switched off by the NeuralNet workbook's kernelspec "
        + "(it would let any web page or any machine on the network run code in the kernel). "
        + "Notebooks talk to the kernel through Jupyter, which this does not affect.\n";

    public void Configure(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(this));
        // Programs the notebooks start are not kernels: they do not load this.
        Environment.SetEnvironmentVariable(HostingStartupVariable, null);
    }

    /// <summary>Ends the pipeline here: <paramref name="next"/> (the kernel's routes and hub) is never run.</summary>
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app => app.Run(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Refusal);
        });
}
