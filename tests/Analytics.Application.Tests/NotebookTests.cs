using System.Text.Json;
using Analytics.Core.Calendars;
using Analytics.Application.Reports;
using Analytics.Reports;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Testing;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Analytics.Application.Tests;

/// <summary>
/// Runs the code cells of the notebooks with Roslyn scripting, against a database made from the committed sample, so
/// they keep working as the code changes. The notebooks' <c>#r</c> lines (for .NET Interactive) are replaced by
/// references to the same assemblies.
/// </summary>
public sealed class NotebookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> SampleDatabaseAsync(string name)
    {
        var db = _temp.File(name);
        using var store = EventStore.Open(db);
        await new EventLogLoader(store, new IngestOptions(), TimeProvider.System)
            .LoadAsync(Path.Combine(RepositoryPaths.DataSamples, "special-price-2000.csv"), null, null, CancellationToken.None);
        return db;
    }

    private static async Task<ScriptState<object>> RunCellsAsync(string notebook, ScriptOptions options)
    {
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "notebooks", notebook))).RootElement;
        var cells = document.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
        ScriptState<object>? state = null;
        foreach (var cell in cells)
        {
            var code = string.Join('\n', cell.Split('\n').Where(l => !l.TrimStart().StartsWith("#r", StringComparison.Ordinal) && !l.TrimStart().StartsWith("#!", StringComparison.Ordinal)));
            state = state is null ? await CSharpScript.RunAsync(code, options) : await state.ContinueWithAsync(code, options);
        }
        return state!;
    }

    [Fact]
    public async Task WhatIfNotebookRuns()
    {
        var db = await SampleDatabaseAsync("whatif.duckdb");
        Environment.SetEnvironmentVariable("ANALYTICS_DB", db);
        Environment.SetEnvironmentVariable("ANALYTICS_OUT", _temp.Path);
        var options = ScriptOptions.Default
            .WithReferences(typeof(EventStore).Assembly, typeof(WeeklyReport).Assembly, typeof(BusinessCalendar).Assembly)
            .WithImports("System", "System.Linq", "System.Collections.Generic", "System.Threading");

        var state = await RunCellsAsync("whatif.ipynb", options);

        var result = (Core.WhatIf.WhatIfResult)state.GetVariable("result").Value;
        Assert.InRange(result.Outcome.VisitShare["PRODUCT_MANAGER"].Mean, 0.12, 0.18);
        Assert.True(result.Delta.Roles.Single(r => r.Node == "PRODUCT_MANAGER").P90WaitHours.Mean < 0);
        foreach (var chart in new[] { "whatif-waiting.svg", "whatif-end-to-end.svg" })
        {
            var svg = System.Xml.Linq.XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_temp.Path, chart)));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }
        Assert.Contains("PRODUCT_MANAGER", await File.ReadAllTextAsync(Path.Combine(_temp.Path, "whatif-waiting.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyReportNotebookRuns()
    {
        var db = await SampleDatabaseAsync("notebook.duckdb");
        Environment.SetEnvironmentVariable("ANALYTICS_DB", db);
        Environment.SetEnvironmentVariable("ANALYTICS_WEEK", "2025-W10");

        var options = ScriptOptions.Default
            .WithReferences(typeof(EventStore).Assembly, typeof(WeeklyReport).Assembly, typeof(BusinessCalendar).Assembly, typeof(WeeklyReportService).Assembly)
            .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading");

        var state = await RunCellsAsync("weekly-report.ipynb", options);

        var report = (WeeklyReport)state.GetVariable("report").Value;
        Assert.Equal("2025-W10", report.Week);
        Assert.True(report.Current.CasesOut > 0);
        Assert.NotEmpty((IEnumerable<string>)state.GetVariable("findings").Value);
    }
}
