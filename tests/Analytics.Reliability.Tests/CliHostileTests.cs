using System.Security.Cryptography;
using Analytics.Testing;
using Analytics.Worker.Cli;

namespace Analytics.Reliability.Tests;

/// <summary>
/// Broken command lines: each ends with its exit code and one clear message on stderr, never an unhandled exception
/// (exit 134) or a stack trace; a --db naming a file that is not a DuckDB database leaves it untouched.
/// </summary>
public sealed class CliHostileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, int, string> CommandLines => new()
    {
        { "report --week 0001-W01 --out {dir}", ExitCodes.Usage, "year" },
        { "report --week 10000-W01 --out {dir}", ExitCodes.Usage, "year" },
        { "report --week 2024-W60 --out {dir}", ExitCodes.Usage, "weeks 1 to 52" },
        { "mine dfg --where order_amount>=1e999", ExitCodes.Usage, "finite" },
        { "mine dfg --where order_amount=NaN", ExitCodes.Usage, "finite" },
        { "mine dfg --where controlled>yes", ExitCodes.Usage, "controlled" },
        { "mine variants --top abc", ExitCodes.Usage, "--top" },
        { "mine variants --top 0", ExitCodes.Usage, "--top" },
        { "ingest {csv} --max-bad-ratio abc", ExitCodes.Usage, "not a number" },
        { "ingest {csv} --max-bad-ratio NaN", ExitCodes.Usage, "finite" },
        { "ingest {csv} --max-bad-ratio 1e999", ExitCodes.Usage, "finite" },
        { "ingest {csv} --max-bad-ratio 1.5", ExitCodes.Usage, "0 to 1" },
        { "ingest {csv} --mapping {dir}", ExitCodes.Usage, "folder" },
        { "ingest {csv} --mapping {csv}", ExitCodes.Usage, "--mapping" },
        { "whatif run --scenario {dir}", ExitCodes.Usage, "" },
        { "whatif run --scenario {csv} --replications abc", ExitCodes.Usage, "--replications" },
        { "spc --chart xmr --metric cycle-time --phase1 abc", ExitCodes.Usage, "--phase1" },
        { "spc", ExitCodes.Usage, "analytics spc --chart imr --metric cycle-time" },
        { "serve --urls http://0.0.0.0:5999", ExitCodes.Usage, "--allow-insecure-public" },
        { "serve --urls http://[::]:5999", ExitCodes.Usage, "--allow-insecure-public" },
        { "serve --urls ftp://127.0.0.1:5999", ExitCodes.Usage, "http" },
    };

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task ABrokenCommandLineEndsWithItsExitCodeAndAMessage(string line, int exitCode, string words)
    {
        var db = (await TrainedStore.GetAsync()).CopyTo(_temp.File("cli.duckdb"));
        var csv = _temp.Write("log.csv", HostileCorpus.Csv(3));
        Directory.CreateDirectory(_temp.File("folder"));
        var args = line.Split(' ').Select(a => a.Replace("{dir}", _temp.File("folder"), StringComparison.Ordinal).Replace("{csv}", csv, StringComparison.Ordinal))
            .Concat(["--db", db]).ToArray();

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var (code, stdout, stderr) = await Cli.RunAsync(args, bound.Token);

        Assert.True(code == exitCode, $"analytics {line}: exit {code}, stderr: {stderr}");
        Assert.Contains(words, stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled", stderr + stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    /// <summary>A --db that names a CSV, Parquet or JSON file is refused by name, and the file is left as it was.</summary>
    [Theory]
    [InlineData("data.csv")]
    [InlineData("data.parquet")]
    [InlineData("data.json")]
    [InlineData("data.duckdb")]
    public async Task ADatabasePathThatIsNotADuckDbFileIsRefusedAndLeftAlone(string name)
    {
        var path = _temp.Write(name, name.EndsWith(".duckdb", StringComparison.Ordinal) ? "not a database" : HostileCorpus.Csv(3));
        var before = SHA256.HashData(File.ReadAllBytes(path));
        var log = _temp.Write("log.csv", HostileCorpus.Csv(3));

        var ingest = await Cli.RunAsync(["ingest", log, "--db", path]);
        var serve = await Cli.RunAsync(["serve", "--db", path, "--urls", $"http://127.0.0.1:{RunningWorker.FreePort()}"]);

        foreach (var (code, _, stderr) in new[] { ingest, serve })
        {
            Assert.Equal(ExitCodes.StoreUnavailable, code);
            Assert.Contains(path, stderr, StringComparison.Ordinal);
            Assert.Contains("not a DuckDB database", stderr, StringComparison.Ordinal);
        }
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
    }

    /// <summary>A pipe or a link to /dev/zero given to ingest is refused at once, not read forever.</summary>
    [Theory]
    [InlineData("file-a-fifo.csv")]
    [InlineData("file-link-to-dev-zero.xes")]
    public async Task AnEndlessInputIsRefusedWithoutHanging(string name)
    {
        var path = HostileCorpus.ByName[name].Write(_temp.Path);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (code, _, stderr) = await Cli.RunAsync(["ingest", path, "--db", _temp.File("s.duckdb"), "--create"], bound.Token);

        Assert.False(bound.IsCancellationRequested);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("not a regular file", stderr, StringComparison.Ordinal);
    }
}

/// <summary>Runs a command line inside the test process, capturing what it prints.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AnalyticsCli.RunAsync(args, output, error, interactive: false, TimeProvider.System, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
