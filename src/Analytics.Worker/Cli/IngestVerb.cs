using Analytics.Storage;
using Analytics.Storage.Ingestion;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics ingest FILE... [--mapping FILE]</c>: loads files, one transaction each, and reports per file.</summary>
internal static class IngestVerb
{
    public static async Task<int> RunAsync(CommandLine line, VerbContext context, CancellationToken cancellationToken)
    {
        line.Allow("mapping", "max-bad-ratio");
        if (line.Positionals.Count == 0)
            throw new UsageException("ingest needs at least one file: analytics ingest FILE... [--mapping FILE]");
        ColumnMapping? mapping = null;
        if (line.Option("mapping") is { } mappingPath)
        {
            try
            {
                mapping = ColumnMapping.Load(mappingPath);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                throw new UsageException(ex.Message);
            }
        }
        var options = context.IngestOptions;
        if (line.Option("max-bad-ratio") is { } ratio)
            options = options with { MaxBadRowRatio = double.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture) };

        using var store = context.OpenStore();
        var results = await IngestAsync(store, line.Positionals, mapping, options, context.Time, !line.Json, cancellationToken);
        var summary = new IngestSummary(
            results.Select(r => new FileSummary(r.Path, Status(r.Status), r.Events, r.Cases, r.Quarantined, r.Overlapping, r.Reason)).ToList(),
            results.Sum(r => r.Events), results.Sum(r => r.Cases), results.Sum(r => r.Quarantined));
        if (line.Json)
            JsonOutput.Write(summary);
        else
        {
            foreach (var f in summary.Files)
                Console.WriteLine($"{f.Status,-18} {f.Path}: {f.Events:N0} events, {f.Cases:N0} cases, {f.Quarantined:N0} quarantined" +
                                  (f.Overlapping > 0 ? $", {f.Overlapping:N0} already stored" : "") + (f.Reason is null ? "" : $"\n{"",-18} {f.Reason}"));
            Console.WriteLine($"total: {summary.Events:N0} events, {summary.Cases:N0} cases, {summary.Quarantined:N0} quarantined");
        }
        foreach (var r in results.Where(r => r.Status == ImportStatus.Rejected))
            Console.Error.WriteLine($"rejected: {r.Reason}");
        return results.Any(r => r.Status == ImportStatus.Rejected) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    public static async Task<IReadOnlyList<FileImportResult>> IngestAsync(EventStore store, IEnumerable<string> paths, ColumnMapping? mapping,
        IngestOptions options, TimeProvider time, bool showProgress, CancellationToken cancellationToken)
    {
        var loader = new EventLogLoader(store, options, time);
        var results = new List<FileImportResult>();
        foreach (var path in paths)
        {
            using var bar = showProgress ? ConsoleProgress.CreateIfInteractive() as ConsoleProgress : null;
            results.Add(await loader.LoadAsync(path, mapping, bar, cancellationToken));
        }
        return results;
    }

    public static string Status(ImportStatus status) => status switch
    {
        ImportStatus.Loaded => "loaded",
        ImportStatus.SkippedDuplicate => "skipped-duplicate",
        _ => "rejected",
    };

    private sealed record FileSummary(string Path, string Status, long Events, long Cases, long Quarantined, long Overlapping, string? Reason);

    private sealed record IngestSummary(IReadOnlyList<FileSummary> Files, long Events, long Cases, long Quarantined);
}
