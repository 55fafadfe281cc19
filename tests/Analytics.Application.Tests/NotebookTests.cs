using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Analytics.Storage;
using Analytics.Storage.Ingestion;
using Analytics.Testing;

namespace Analytics.Application.Tests;

/// <summary>
/// Runs each notebook the way notebooks/README.md tells a user to: <c>dotnet tool restore</c>, then the .NET Interactive
/// kernel of <c>dotnet-repl</c> (a local tool of the repository) over the whole notebook, against a database made from the
/// committed sample. The kernel reports every cell as a test result (trx); every cell must pass.
/// </summary>
public sealed class NotebookTests : IDisposable
{
    private static readonly SemaphoreSlim OneKernelAtATime = new(1, 1);
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

    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took longer than 5 minutes");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs a notebook in a fresh kernel; returns each cell's outcome and output, in order.</summary>
    private async Task<IReadOnlyList<(string Cell, string Outcome, string Output)>> RunNotebookAsync(string notebook, IDictionary<string, string> environment)
    {
        await OneKernelAtATime.WaitAsync();
        try
        {
            var restore = await RunAsync(RepositoryPaths.Root, environment, "tool", "restore");
            Assert.True(restore.ExitCode == 0, "dotnet tool restore failed: " + restore.Output);
            var trx = _temp.File(Path.GetFileNameWithoutExtension(notebook) + ".trx");
            var notebooks = Path.Combine(RepositoryPaths.Root, "notebooks");
            var run = await RunAsync(notebooks, environment, "tool", "run", "dotnet-repl", "--run", notebook, "--exit-after-run", "--output-format", "trx", "--output-path", trx);
            Assert.True(File.Exists(trx), $"dotnet-repl wrote no results (exit {run.ExitCode}): {run.Output}");
            XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
            // dotnet-repl declares encoding="utf-16" but writes UTF-8: parse the text, not the file.
            return XDocument.Parse(await File.ReadAllTextAsync(trx)).Descendants(ns + "UnitTestResult")
                .Select(r => ((string)r.Attribute("testName")!, (string)r.Attribute("outcome")!, string.Concat(r.Descendants().Where(d => d.Name.LocalName is "StdOut" or "Message").Select(d => d.Value))))
                .ToList();
        }
        finally
        {
            OneKernelAtATime.Release();
        }
    }

    private static int Cells(string notebook) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "notebooks", notebook))).RootElement.GetProperty("cells").GetArrayLength();

    private static void AllPassed(string notebook, IReadOnlyList<(string Cell, string Outcome, string Output)> cells)
    {
        Assert.Equal(Cells(notebook), cells.Count);
        var failed = cells.Where(c => c.Outcome != "Passed").Select(c => $"{c.Cell} → {c.Outcome}: {c.Output}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    [Fact]
    public async Task WhatIfNotebookRunsInAFreshKernel()
    {
        var db = await SampleDatabaseAsync("whatif.duckdb");

        var cells = await RunNotebookAsync("whatif.ipynb", new Dictionary<string, string> { ["ANALYTICS_DB"] = db, ["ANALYTICS_OUT"] = _temp.Path });

        AllPassed("whatif.ipynb", cells);
        Assert.Contains(cells, c => c.Output.Contains("Back-test on ", StringComparison.Ordinal) && c.Output.Contains("Scenario: p90 end-to-end", StringComparison.Ordinal));
        foreach (var chart in new[] { "whatif-waiting.svg", "whatif-end-to-end.svg" })
        {
            var svg = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_temp.Path, chart)));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }
        Assert.Contains("PRODUCT_MANAGER", await File.ReadAllTextAsync(Path.Combine(_temp.Path, "whatif-waiting.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyReportNotebookRunsInAFreshKernel()
    {
        var db = await SampleDatabaseAsync("notebook.duckdb");

        var cells = await RunNotebookAsync("weekly-report.ipynb", new Dictionary<string, string> { ["ANALYTICS_DB"] = db, ["ANALYTICS_WEEK"] = "2025-W10" });

        AllPassed("weekly-report.ipynb", cells);
        Assert.Contains(cells, c => c.Output.Contains(", 2025-W10: ", StringComparison.Ordinal) && c.Output.Contains(" out, p90 ", StringComparison.Ordinal));
        Assert.Contains(cells, c => c.Output.Contains("Node = ", StringComparison.Ordinal));
    }

    [Fact]
    public void NotebooksLoadThePackageVersionsTheSolutionBuildsWith()
    {
        var versions = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        foreach (var notebook in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "notebooks"), "*.ipynb"))
        {
            var references = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(notebook), "#r \\\\\"nuget: ([^,]+), ([^\\\\]+)\\\\\"");
            Assert.NotEmpty(references);
            foreach (System.Text.RegularExpressions.Match m in references)
                Assert.True(versions.TryGetValue(m.Groups[1].Value, out var v) && v == m.Groups[2].Value,
                    $"{Path.GetFileName(notebook)} loads {m.Groups[1].Value} {m.Groups[2].Value}; the solution builds with {(v ?? "no such package")}");
        }
    }
}
