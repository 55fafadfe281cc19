using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

public sealed class SpcCommandTests
{
    private static string Reference(string name) => Path.Combine(RepositoryPaths.Shared, "spc-reference", name);

    [Fact]
    public async Task CsvChartWithCapabilityPrintsTheDocumentedJson()
    {
        var chart = await AnalyticsProcess.RunJsonAsync("spc", "--csv", Reference("pistonrings.csv"), "--value", "diameter", "--subgroup", "sample",
            "--chart", "xbar-r", "--phase1", "25", "--lsl", "73.95", "--usl", "74.05", "--target", "74");

        Assert.Equal("xbar-r", chart.GetProperty("chart").GetString());
        Assert.Equal("none", chart.GetProperty("transform").GetString());
        Assert.Equal(74.001176, chart.GetProperty("center").GetDouble(), 6);
        Assert.Equal(40, chart.GetProperty("points").GetArrayLength());
        var p = chart.GetProperty("points")[36];
        Assert.Equal("37", p.GetProperty("t").GetString());
        Assert.Contains("beyond-limits", p.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        // R qcc 2.7: Cp 1.7033, Cp_k 1.6632 (../shared/spc-reference/pistonrings.process.capability.qcc.json).
        Assert.Equal(1.7032806092559, chart.GetProperty("capability").GetProperty("cp").GetDouble(), 9);
        Assert.Equal(1.66321944932665, chart.GetProperty("capability").GetProperty("cpk").GetDouble(), 9);
        Assert.Equal("r", chart.GetProperty("dispersion").GetProperty("chart").GetString());
    }

    [Fact]
    public async Task MissingColumnIsAUsageErrorNamingTheColumns()
    {
        var (code, _, stderr) = await AnalyticsProcess.RunAsync("spc", "--csv", Reference("viscosity.csv"), "--value", "visc", "--chart", "imr");

        Assert.Equal(2, code);
        Assert.Contains("no column 'visc'; its columns are: batch, viscosity, trial", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagOptionsDoNotSwallowTheNextOption()
    {
        // --exclude-signalled takes no value: --json after it must still ask for JSON.
        var chart = await AnalyticsProcess.RunJsonAsync("spc", "--csv", Reference("circuit.csv"), "--value", "x", "--subgroup", "sample",
            "--chart", "c", "--phase1", "26", "--exclude-signalled");

        // qcc's revised c chart (samples 6 and 20 dropped from Phase I): centre 19.6667.
        Assert.Equal(19.6666666666667, chart.GetProperty("center").GetDouble(), 9);
    }
}
