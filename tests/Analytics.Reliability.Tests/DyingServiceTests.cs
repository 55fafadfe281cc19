using Analytics.Application;
using Analytics.Storage;
using Analytics.Testing;
using Analytics.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Reliability.Tests;

/// <summary>A background service that dies takes the worker down with a non-zero exit, never a quiet 0.</summary>
public sealed class DyingServiceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AWorkerWhoseBackgroundServiceDiesExitsNonZero()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Inbox"] = _temp.File("inbox"),
            ["Analytics:Reports"] = _temp.File("reports"),
            ["Logging:LogLevel:Default"] = "Critical",
        }).Build();
        using var store = new SharedStore(EventStore.Open(_temp.File("s.duckdb"), create: true));
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls($"http://127.0.0.1:{RunningWorker.FreePort()}");
        builder.Services.AddAnalyticsWorker(builder.Configuration, store, TimeProvider.System);
        builder.Services.AddHostedService<Failing>();
        await using var app = builder.Build();

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var code = await WorkerHost.RunAsync(app, bound.Token);

        Assert.False(bound.IsCancellationRequested, "the worker kept running after a background service died");
        Assert.Equal(1, code);
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(200, stoppingToken);
            throw new InvalidOperationException("a background service failed");
        }
    }
}
