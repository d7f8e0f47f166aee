using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Playwright;

namespace NeuralNet.Browser.Tests;

/// <summary>
/// Headless Chromium (Debian's, through Playwright; no browser is downloaded) with the network cut off:
/// every request is intercepted, requests to this machine (loopback or its own addresses, file:, data:,
/// blob:) go through and any other is aborted and recorded — a chart that needs the internet fails its test.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Tools.Chromium,
                Headless = true,   // Playwright passes --headless
                Args = Flags,
                Timeout = 60_000,
            });
            return new Browser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page (own context: no cache or storage shared with other pages) that records what went wrong.</summary>
    public async Task<WatchedPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        var watched = new WatchedPage(context, await context.NewPageAsync());
        await context.RouteAsync("**/*", async route =>
        {
            if (IsOnThisMachine(route.Request.Url)) await route.ContinueAsync();
            else
            {
                watched.OffMachine.Add(route.Request.Url);
                await route.AbortAsync("blockedbyclient");
            }
        });
        return watched;
    }

    /// <summary>
    /// The addresses of this machine's own network interfaces. The kernel's own script (dotnet-interactive's
    /// HTTP API discovery) calls the kernel at the machine's interface address, not at loopback: a request that
    /// does not leave the machine either.
    /// </summary>
    private static readonly HashSet<IPAddress> OwnAddresses =
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();

    /// <summary>Local schemes, loopback and this machine's own addresses; everything else leaves the machine.</summary>
    public static bool IsOnThisMachine(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        return uri.Scheme switch
        {
            "file" or "data" or "blob" or "about" => true,
            "http" or "https" or "ws" or "wss" => uri.IsLoopback
                || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && OwnAddresses.Contains(address)),
            _ => false,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page and what happened in it: uncaught errors, console errors, requests that would have left the machine.</summary>
internal sealed class WatchedPage : IAsyncDisposable
{
    public WatchedPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => PageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") ConsoleErrors.Add(message.Text);
        };
        // Belt and braces: anything that was requested off the machine, even if not routed (e.g. a WebSocket).
        page.Request += (_, request) =>
        {
            if (!Browser.IsOnThisMachine(request.Url)) OffMachine.Add(request.Url);
            else if (Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal) && !uri.IsLoopback)
                ToOwnAddress.Add(request.Url);
        };
        // A request that failed on the machine (a missing file: net::ERR_FILE_NOT_FOUND), blocked ones aside.
        page.RequestFailed += (_, request) =>
        {
            if (Browser.IsOnThisMachine(request.Url)) FailedRequests.Add($"{request.Url} ({request.Failure})");
        };
        page.WebSocket += (_, socket) =>
        {
            if (!Browser.IsOnThisMachine(socket.Url)) OffMachine.Add(socket.Url);
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public ConcurrentBag<string> PageErrors { get; } = [];

    public ConcurrentBag<string> ConsoleErrors { get; } = [];

    /// <summary>Requests to this machine that failed (a file that is not there), with the reason.</summary>
    public ConcurrentBag<string> FailedRequests { get; } = [];

    public ConcurrentBag<string> OffMachine { get; } = [];

    /// <summary>Requests to this machine's own (non-loopback) address: allowed, noted in the report.</summary>
    public ConcurrentBag<string> ToOwnAddress { get; } = [];

    /// <summary>Fails with everything that went wrong in the page, if anything did.</summary>
    public void AssertClean(string what)
    {
        Assert.True(OffMachine.IsEmpty, $"{what}: requests that would have left the machine (blocked): {string.Join(", ", OffMachine.Distinct())}");
        Assert.True(PageErrors.IsEmpty, $"{what}: page errors:\n{string.Join("\n", PageErrors)}");
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
