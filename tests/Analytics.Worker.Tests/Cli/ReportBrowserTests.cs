using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

/// <summary>
/// The report page in a real browser: headless Chromium (Debian's <c>chromium</c>, which <c>.ci/run</c> installs) loads
/// report.html from disk with logging on; the page must log no console message and no failed request, show the numbers of
/// report.json, and its screenshot is kept as a test artifact.
/// </summary>
public sealed partial class ReportBrowserTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
    ];

    private async Task<(int Code, string Stdout, string Stderr)> ChromiumAsync(params string[] args)
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Chromium is not installed (apt-get install chromium; .ci/run does it)");
        var info = new ProcessStartInfo("/usr/bin/chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in Flags.Append($"--user-data-dir={_temp.File("profile-" + Guid.NewGuid().ToString("N"))}").Concat(args))
            info.ArgumentList.Add(a);
        using var chromium = Process.Start(info)!;
        var stdout = chromium.StandardOutput.ReadToEndAsync();
        var stderr = chromium.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await chromium.WaitForExitAsync(timeout.Token);
        return (chromium.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task ReportRendersInChromiumWithoutErrorsAndShowsTheNumbersOfItsJson()
    {
        var db = _temp.File("browser.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), "--db", db);
        await AnalyticsProcess.RunJsonAsync("profile", "set", Path.Combine(RepositoryPaths.DataSamples, "special-price.profile.json"), "--db", db);
        var written = await AnalyticsProcess.RunJsonAsync("report", "--week", "2025-W10", "--out", _temp.File("report"), "--db", db);
        var page = new Uri(written.GetProperty("html").GetString()!).AbsoluteUri;
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "report-2025-W10.png");
        File.Delete(screenshot);

        var shot = await ChromiumAsync("--window-size=1200,2400", $"--screenshot={screenshot}", page);
        var dom = await ChromiumAsync("--dump-dom", page);

        Assert.True(shot.Code == 0, shot.Stderr);
        Assert.True(dom.Code == 0, dom.Stderr);
        foreach (var log in new[] { shot.Stderr, dom.Stderr })
        {
            Assert.DoesNotMatch(ConsoleError(), log);
            Assert.DoesNotContain("Failed to load resource", log, StringComparison.Ordinal);
        }
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "no screenshot");

        var current = JsonDocument.Parse(await File.ReadAllTextAsync(written.GetProperty("json").GetString()!)).RootElement.GetProperty("report").GetProperty("current");
        var us = CultureInfo.GetCultureInfo("en-US");
        string Kpi(string id) => new Regex($"data-kpi=\"{id}\">(?<v>[^<]*)<").Match(dom.Stdout) is { Success: true } m ? m.Groups["v"].Value : "(missing)";
        Assert.Equal(current.GetProperty("casesIn").GetInt64().ToString("N0", us), Kpi("casesIn"));
        Assert.Equal(current.GetProperty("casesOut").GetInt64().ToString("N0", us), Kpi("casesOut"));
        Assert.Equal(current.GetProperty("workInProgress").GetInt64().ToString("N0", us), Kpi("workInProgress"));
        Assert.Equal(current.GetProperty("slaAttainment").GetDouble().ToString("P1", us), Kpi("slaAttainment"));
        Assert.Equal(current.GetProperty("reviewRatio").GetDouble().ToString("P1", us), Kpi("reviewRatio"));
    }

    // Chromium logs every console message of the page as a ":CONSOLE:" line (uncaught exceptions as "Uncaught …"); the
    // page has no script, so any such line is a fault.
    [GeneratedRegex(@":CONSOLE[:(]|Uncaught")]
    private static partial Regex ConsoleError();
}
