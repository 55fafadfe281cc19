using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Reports;
using Analytics.Testing;

namespace Analytics.Worker.Tests.Cli;

/// <summary>
/// The report page in a real browser: headless Chromium (Debian's <c>chromium</c> and <c>fonts-noto-cjk</c>, which
/// <c>.ci/run</c> installs) loads report.html from disk with logging on, for the demo and for a real log
/// (BPIC 2020 RequestForPayment), in English and in Chinese. The page must log no console message, open with its
/// findings, show the numbers and findings of report.json, mark on its charts exactly the points its signals section
/// lists (and report.json holds), and — in Chinese — carry no English string of the page's own and draw Chinese glyphs
/// at full width (a missing font draws narrower boxes). Screenshots are kept under the test output's artifacts/.
/// </summary>
public sealed partial class ReportBrowserTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await chromium.WaitForExitAsync(timeout.Token);
        return (chromium.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task TheDemoReportReadsInBothLanguages()
    {
        var db = _temp.File("demo.duckdb");
        var demo = await AnalyticsProcess.RunJsonAsync("demo", "--db", db);
        var html = demo.GetProperty("report").GetString()!;
        var week = Path.GetFileName(Path.GetDirectoryName(html))!;
        var zh = await AnalyticsProcess.RunJsonAsync("report", "--week", week, "--out", _temp.File("demo-zh"), "--lang", "zh-CN", "--db", db,
            "--policy", Path.Combine(RepositoryPaths.DataSamples, "policies", "special-price.policy.json"));

        await CheckPageAsync(html, Path.Combine(Path.GetDirectoryName(html)!, "report.json"), "en", "demo-" + week);
        await CheckPageAsync(zh.GetProperty("html").GetString()!, zh.GetProperty("json").GetString()!, "zh-CN", "demo-" + week);
    }

    [Fact]
    public async Task ARealLogsReportReadsInBothLanguages()
    {
        var db = _temp.File("rfp.duckdb");
        await AnalyticsProcess.RunJsonAsync("ingest", Path.Combine(RepositoryPaths.RealLogs, "RequestForPayment.xes.gz"), "--accept", "--db", db);
        foreach (var lang in new[] { "en", "zh-CN" })
        {
            var written = await AnalyticsProcess.RunJsonAsync("report", "--week", "2018-W10", "--out", _temp.File("rfp-" + lang), "--lang", lang, "--db", db);
            await CheckPageAsync(written.GetProperty("html").GetString()!, written.GetProperty("json").GetString()!, lang, "rfp-2018-W10");
        }
    }

    private async Task CheckPageAsync(string html, string json, string lang, string name)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, $"report-{name}-{lang}.png");
        File.Delete(screenshot);
        var page = new Uri(html).AbsoluteUri;

        var shot = await ChromiumAsync("--window-size=1280,9000", $"--screenshot={screenshot}", page);
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

        var root = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        var report = root.GetProperty("report");
        var culture = CultureInfo.GetCultureInfo(lang == "en" ? "en-US" : "zh-CN");
        var text = dom.Stdout;

        // The numbers of report.json on the rendered page.
        var current = report.GetProperty("current");
        string Kpi(string id) => new Regex($"data-kpi=\"{id}\">(?<v>[^<]*)<").Match(text) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["v"].Value) : "(missing)";
        Assert.Equal(current.GetProperty("casesIn").GetInt64().ToString("N0", culture), Kpi("casesIn"));
        Assert.Equal(current.GetProperty("casesOut").GetInt64().ToString("N0", culture), Kpi("casesOut"));
        Assert.Equal(current.GetProperty("workInProgress").GetInt64().ToString("N0", culture), Kpi("workInProgress"));
        if (current.GetProperty("slaHours").ValueKind == JsonValueKind.Number)
            Assert.Equal(Percent(current.GetProperty("slaAttainment"), culture), Kpi("slaAttainment"));
        if (report.GetProperty("reviewRole").ValueKind == JsonValueKind.String)
            Assert.Equal(Percent(current.GetProperty("reviewRatio"), culture), Kpi("reviewRatio"));

        // The findings come first (before any other section) and are those of report.json, word for word.
        var findings = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("text").GetString()!).ToList();
        Assert.InRange(findings.Count, 1, 5);
        var body = text[text.IndexOf("<body", StringComparison.Ordinal)..];
        var firstSection = Regex.Match(body, "<h2[^>]*>|<section id=\"(?<id>[^\"]+)\"");
        Assert.Equal("findings", firstSection.Groups["id"].Value);
        var shown = FindingItem().Matches(text).Select(m => WebUtility.HtmlDecode(m.Groups["t"].Value).Trim()).ToList();
        Assert.Equal(findings, shown);

        // One computation of signals: the points report.json's charts flag, the marks on each chart, the section's rows.
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chart in report.GetProperty("charts").EnumerateArray())
        {
            var metric = chart.GetProperty("metric").GetString()!;
            var inJson = chart.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("signals").GetArrayLength() > 0).Select(p => "I:" + p.GetProperty("week").GetString())
                .Concat(chart.GetProperty("ranges").EnumerateArray().Where(p => p.GetProperty("signals").GetArrayLength() > 0).Select(p => "MR:" + p.GetProperty("week").GetString()))
                .ToHashSet(StringComparer.Ordinal);
            var marks = new Regex($"data-chart=\"{metric}\" data-marks=\"(?<m>[^\"]*)\"").Match(text);
            Assert.True(marks.Success, $"no chart {metric} on the page");
            Assert.Equal(inJson.Order(StringComparer.Ordinal), marks.Groups["m"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
            flagged.UnionWith(inJson.Select(p => metric + "|" + p));
        }
        var rows = SignalRow().Matches(text).Select(m => m.Groups["k"].Value).ToList();
        Assert.Equal(flagged.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));

        if (lang != "zh-CN")
            return;
        // No English string of the page's own in the Chinese page, once the data (names from the log) is taken out.
        var visible = Visible(text);
        foreach (var data in DataStrings(report).OrderByDescending(s => s.Length))
            visible = visible.Replace(data, " ", StringComparison.Ordinal);
        // Whole words only: "over" is a fragment of the page's English, "Rollover" may be data.
        var leftovers = EnglishFragments().Where(f => Regex.IsMatch(visible, $"(?<![A-Za-z]){Regex.Escape(f)}(?![A-Za-z])")).ToList();
        Assert.True(leftovers.Count == 0, "English on the zh-CN page: " + string.Join(" | ", leftovers));

        // Chinese glyphs drawn from a CJK font: an ideograph advances by a full em (20 px at 20 px), which the missing-glyph
        // box of a Latin font does not. Measured on a span in the page's own font, by a probe added to a copy of the page.
        var probe = _temp.File($"probe-{name}.html");
        var markup = await File.ReadAllTextAsync(html);
        await File.WriteAllTextAsync(probe, markup.Replace("</body>", ProbeScript + "</body>", StringComparison.Ordinal));
        var measured = await ChromiumAsync("--dump-dom", new Uri(probe).AbsoluteUri);
        var width = Regex.Match(measured.Stdout, "<pre id=\"probe\">(?<w>[0-9.]+)</pre>");
        Assert.True(width.Success, "the probe did not run: " + measured.Stderr);
        Assert.InRange(double.Parse(width.Groups["w"].Value, CultureInfo.InvariantCulture), 4 * 20 * 0.95, 4 * 20 * 1.05);
    }

    private const string ProbeScript = """
        <script>(function(){var s=document.createElement('span');s.style.fontSize='20px';s.textContent='周报控制';document.body.appendChild(s);
        var p=document.createElement('pre');p.id='probe';p.textContent=String(s.getBoundingClientRect().width);document.body.appendChild(p);})();</script>
        """;

    private static string Percent(JsonElement value, CultureInfo culture) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("P1", culture) : "–";

    /// <summary>The page's text as a reader sees it: markup, styles and Graphviz's comments removed, entities decoded.</summary>
    private static string Visible(string dom)
    {
        var body = Regex.Replace(dom, "<style>.*?</style>|<!--.*?-->|<title>.*?</title>", " ", RegexOptions.Singleline);
        return WebUtility.HtmlDecode(Regex.Replace(body, "<[^>]+>", " "));
    }

    /// <summary>Names that come from the log or the profile: shown as they are in every language.</summary>
    private static IEnumerable<string> DataStrings(JsonElement report)
    {
        IEnumerable<string> Strings(JsonElement e, params string[] fields) => fields.SelectMany(f =>
            e.TryGetProperty(f, out var v) ? v.ValueKind switch
            {
                JsonValueKind.String => [v.GetString()!],
                JsonValueKind.Array => v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!),
                _ => [],
            } : []);
        IEnumerable<string> Each(string array, params string[] fields) =>
            report.TryGetProperty(array, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().SelectMany(x => Strings(x, fields)) : [];
        var map = MapActivity().Matches(report.GetProperty("mapDot").GetString()!).Select(m => m.Groups["a"].Value.Replace("\\\"", "\"", StringComparison.Ordinal));
        var routing = report.TryGetProperty("routing", out var r) && r.ValueKind == JsonValueKind.Object
            ? r.GetProperty("featureStability").EnumerateArray().Select(f => f.GetProperty("feature").GetString()!) : [];
        return Strings(report, "title", "calendar", "zone", "reviewRole", "sideActivities")
            .Concat(Each("nodes", "node")).Concat(Each("slowest", "caseId", "lastActivity")).Concat(Each("oldestOpen", "caseId", "lastActivity"))
            .Concat(Each("compliance", "rule", "examples")).Concat(Each("signals", "node", "chart")).Concat(map).Concat(routing)
            .Where(s => s.Length > 0).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The literal parts of the page's English strings that carry a word (placeholders and short symbols left out).</summary>
    private static IEnumerable<string> EnglishFragments() => ReportRenderer.EnglishStrings
        .SelectMany(s => Regex.Split(s, @"\{\d\}"))
        .Select(f => f.Trim(' ', ',', '.', ':', ';', '(', ')', '·', '—', '–', '/', '“', '”'))
        .Where(f => Regex.IsMatch(f, "[A-Za-z]{4,}") && !KeptInChinese.Contains(f))
        .Distinct(StringComparer.Ordinal);

    // Technical names the Chinese page uses as they are.
    private static readonly HashSet<string> KeptInChinese = new(StringComparer.Ordinal) { "CUSUM" };

    // Chromium logs every console message of the page as a ":CONSOLE:" line (uncaught exceptions as "Uncaught …"); the
    // page has no script, so any such line is a fault.
    [GeneratedRegex(@":CONSOLE[:(]|Uncaught")]
    private static partial Regex ConsoleError();

    [GeneratedRegex("<li data-finding=\"[^\"]*\">(?<t>.*?) <a href=")]
    private static partial Regex FindingItem();

    [GeneratedRegex("<tr data-signal=\"(?<k>[^\"]+)\">")]
    private static partial Regex SignalRow();

    [GeneratedRegex("^  \"(?<a>(?:[^\"\\\\]|\\\\.)+)\" \\[label=", RegexOptions.Multiline)]
    private static partial Regex MapActivity();
}
