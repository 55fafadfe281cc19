using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

public sealed partial class ReportCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("en", "Cases in")]
    [InlineData("zh-CN", "新进单据")]
    public async Task ReportFilesShowTheSameNumbersInTheChosenLanguage(string lang, string label)
    {
        var db = _temp.File("report.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), "--db", db);
        await AnalyticsProcess.RunJsonAsync("profile", "set", Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), "--db", db);
        var folder = _temp.File("out-" + lang);

        var written = await AnalyticsProcess.RunJsonAsync("report", "--week", "2025-W10", "--out", folder, "--lang", lang, "--db", db,
            "--policy", Path.Combine(RepositoryPaths.DataSamples, "policies", "special-price.policy.json"));

        var html = await File.ReadAllTextAsync(written.GetProperty("html").GetString()!);
        var markdown = await File.ReadAllTextAsync(written.GetProperty("markdown").GetString()!);
        var current = JsonDocument.Parse(await File.ReadAllTextAsync(written.GetProperty("json").GetString()!)).RootElement.GetProperty("report").GetProperty("current");
        var culture = CultureInfo.GetCultureInfo(lang == "en" ? "en-US" : "zh-CN");
        string Kpi(string id) => KpiValue(id).Match(html) is { Success: true } m ? m.Groups["v"].Value : throw new Xunit.Sdk.XunitException($"no {id} on the page");
        Regex KpiValue(string id) => new($"data-kpi=\"{id}\">(?<v>[^<]*)<");

        Assert.Contains(label, html, StringComparison.Ordinal);
        // The message for chat opens with the page's findings.
        var findings = JsonDocument.Parse(await File.ReadAllTextAsync(written.GetProperty("json").GetString()!)).RootElement.GetProperty("findings");
        Assert.StartsWith("- " + findings[0].GetProperty("text").GetString(), markdown.Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(current.GetProperty("casesIn").GetInt64().ToString("N0", culture), Kpi("casesIn"));
        Assert.Equal(current.GetProperty("casesOut").GetInt64().ToString("N0", culture), Kpi("casesOut"));
        Assert.Equal(current.GetProperty("reviewRatio").GetDouble().ToString("P1", culture), Kpi("reviewRatio"));
        Assert.Equal($"{current.GetProperty("cycleP50Hours").GetDouble().ToString("N1", culture)} / {current.GetProperty("cycleP90Hours").GetDouble().ToString("N1", culture)}", Kpi("cycle"));
        // Self-contained: charts inline (trend, Pareto, two control charts, and the map where Graphviz is installed).
        Assert.True(Regex.Count(html, "<svg") >= 4, "expected the trend, Pareto and control charts");
        Assert.True(html.Contains("class=\"chart map\"", StringComparison.Ordinal) || html.Contains("apt-get install graphviz", StringComparison.Ordinal));
        Assert.Contains(lang == "en" ? "within the limits" : "在控制限内", html, StringComparison.Ordinal);
        // The policy section: one row per rule, with the violation counts of report.json.
        var compliance = JsonDocument.Parse(await File.ReadAllTextAsync(written.GetProperty("json").GetString()!)).RootElement.GetProperty("report").GetProperty("compliance");
        Assert.Equal(5, compliance.GetArrayLength());
        foreach (var rule in compliance.EnumerateArray())
            Assert.Contains($"data-compliance=\"{rule.GetProperty("rule").GetString()}\">{rule.GetProperty("violations").GetInt32().ToString("N0", culture)}<", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(RemoteReference(), html);
    }

    [Fact]
    public async Task AMalformedWeekIsAUsageError()
    {
        var (code, _, stderr) = await AnalyticsProcess.RunAsync("report", "--week", "2025-10", "--out", _temp.File("x"), "--db", _temp.File("e.duckdb"));

        Assert.Equal(2, code);
        Assert.Contains("'2025-10' is not an ISO week", stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteReference();
}
