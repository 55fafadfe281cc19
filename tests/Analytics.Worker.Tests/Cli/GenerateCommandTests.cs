using System.Security.Cryptography;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task TheCommittedSampleIsWhatItsSeedGenerates()
    {
        var csv = _temp.File("special-price-2000.csv");
        var truth = _temp.File("special-price-2000.truth.csv");

        var result = await AnalyticsProcess.RunJsonAsync("generate", "--orders", "2000", "--seed", "20240102", "--out", csv, "--truth", truth);

        Assert.Equal(2000, result.GetProperty("orders").GetInt64());
        Assert.Equal(10_794, result.GetProperty("events").GetInt64());
        Assert.Equal(Hash(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv")), Hash(csv));
        Assert.Equal(Hash(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.truth.csv")), Hash(truth));
        Assert.Equal(Hash(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.mapping.json")), Hash(_temp.File("special-price-2000.mapping.json")));
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("jsonl")]
    public async Task EveryFormatIngestsToTheSameLog(string format)
    {
        var log = _temp.File($"orders.{format}");
        var db = _temp.File($"{format}.duckdb");

        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "300", "--seed", "4", "--out", log);
        var ingest = await AnalyticsProcess.RunJsonAsync("ingest", log, "--db", db);
        var stats = await AnalyticsProcess.RunJsonAsync("stats", "--db", db);
        await AnalyticsProcess.RunJsonAsync("generate", "--orders", "300", "--seed", "4", "--out", _temp.File("orders.csv"));
        var csvDb = _temp.File("csv.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", _temp.File("orders.csv"), "--db", csvDb);
        var csvStats = await AnalyticsProcess.RunJsonAsync("stats", "--db", csvDb);

        Assert.Equal(0, ingest.GetProperty("quarantined").GetInt64());
        Assert.Equal(300, stats.GetProperty("cases").GetInt64());
        Assert.Equal(csvStats.GetProperty("events").GetInt64(), stats.GetProperty("events").GetInt64());
        Assert.Equal(csvStats.GetProperty("activities").GetInt64(), stats.GetProperty("activities").GetInt64());
    }

    [Fact]
    public async Task UnknownRoutingIsAUsageError()
    {
        var (code, _, stderr) = await AnalyticsProcess.RunAsync("generate", "--orders", "10", "--out", _temp.File("x.csv"), "--routing", "random");

        Assert.Equal(2, code);
        Assert.Contains("unknown routing 'random'", stderr, StringComparison.Ordinal);
    }
}
