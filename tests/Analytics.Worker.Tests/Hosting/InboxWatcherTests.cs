using System.Diagnostics;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Hosting;

public sealed class InboxWatcherTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ServeLoadsDroppedFilesArchivesThemAndRejectsBadOnesWithReason()
    {
        var db = _temp.File("served.duckdb");
        var inbox = Path.Combine(_temp.Path, "inbox");
        Directory.CreateDirectory(inbox);
        using var server = AnalyticsProcess.Start(["serve", "--db", db, "--inbox", inbox, "--urls", $"http://127.0.0.1:{AnalyticsProcess.FreePort()}"],
            new Dictionary<string, string> { ["Analytics__InboxPollSeconds"] = "0.2" });
        try
        {
            // Written under a temporary name and renamed, as a careful uploader does.
            File.Copy(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.mapping.json"), Path.Combine(inbox, "orders.mapping.json"));
            File.Copy(Path.Combine(RepositoryPaths.DataSamples, "special-price-mini.csv"), Path.Combine(inbox, "orders.csv.part"));
            File.Move(Path.Combine(inbox, "orders.csv.part"), Path.Combine(inbox, "orders.csv"));
            File.WriteAllText(Path.Combine(inbox, "garbage.xes"), "this is not XML");

            await WaitForAsync(() => File.Exists(Path.Combine(inbox, "archive", "orders.csv")) && File.Exists(Path.Combine(inbox, "rejected", "garbage.xes")));

            Assert.Contains("garbage.xes", await File.ReadAllTextAsync(Path.Combine(inbox, "rejected", "garbage.xes.reason.txt")), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(inbox, "archive", "orders.mapping.json")));
            Assert.False(File.Exists(Path.Combine(inbox, "orders.csv")));

            // While the worker owns the database, another verb says so instead of corrupting or hanging.
            var (code, _, stderr) = await AnalyticsProcess.RunAsync("stats", "--db", db);
            Assert.Equal(3, code);
            Assert.Contains("is in use by process", stderr, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(server);
        }

        var stats = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);
        Assert.Equal(6, stats.GetProperty("cases").GetInt64());
        Assert.Equal(31, stats.GetProperty("events").GetInt64());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the worker did not handle the inbox within 60 s");
            await Task.Delay(100);
        }
    }

    internal static async Task StopAsync(Process server)
    {
        if (server.HasExited)
            return;
        // SIGINT: the host's orderly shutdown, as Ctrl+C.
        using (var kill = Process.Start("kill", ["-INT", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await server.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
