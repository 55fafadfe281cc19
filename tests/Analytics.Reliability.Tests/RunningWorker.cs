using System.Diagnostics;
using Analytics.Application;
using Analytics.Storage;
using Analytics.Testing;
using Analytics.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Analytics.Reliability.Tests;

/// <summary>The worker built in the test process over a copy of the trained store, on a free loopback port.</summary>
public sealed class RunningWorker : IAsyncLifetime, IDisposable
{
    public const string Key = "reliability-key";

    private readonly TempFolder _temp = new();
    private WebApplication? _app;
    private Task<int>? _running;

    public SharedStore Store { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string Inbox => _temp.File("inbox");

    public async Task InitializeAsync()
    {
        var trained = await TrainedStore.GetAsync();
        var db = trained.CopyTo(_temp.File("worker.duckdb"));
        var url = $"http://127.0.0.1:{FreePort()}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:ApiKey"] = Key,
            ["Analytics:Urls"] = url,
            ["Analytics:Inbox"] = Inbox,
            ["Analytics:Posted"] = _temp.File("posted"),
            ["Analytics:Reports"] = _temp.File("reports"),
            ["Analytics:InboxPollSeconds"] = "0.2",
            ["Analytics:InboxSettleSeconds"] = "0.3",
            ["Analytics:ApiWaitSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();
        Store = new SharedStore(EventStore.Open(db, create: false));
        _app = WorkerHost.Build(configuration, Store, TimeProvider.System);
        _running = WorkerHost.RunAsync(_app, CancellationToken.None);
        Anonymous = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await Anonymous.GetAsync("/api/health")).IsSuccessStatusCode)
                    break;
            }
            catch (HttpRequestException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Whether the host is still running (no background service or request took it down).</summary>
    public bool IsRunning => _running is { IsCompleted: false };

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _running!;
            await _app.DisposeAsync();
        }
        Store.Dispose();
        _temp.Dispose();
    }

    public void Dispose() => _temp.Dispose();

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
