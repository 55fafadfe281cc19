namespace Analytics.Worker.Cli;

/// <summary>
/// <c>analytics demo</c>: the main job on the default database: loads the committed simulated sample from
/// <c>data-samples/</c> (again-safe: a file loaded before is skipped) and prints what the store holds.
/// </summary>
internal static class DemoVerb
{
    private static readonly string[] SampleFiles = ["special-price-2000.csv"];

    public static async Task<int> RunAsync(CommandLine line, VerbContext context, CancellationToken cancellationToken)
    {
        line.Allow();
        var samples = SampleFolder.Find()
            ?? throw new UsageException("demo: cannot find the data-samples folder (run from the repository or next to the build)");
        var files = SampleFiles.Select(f => Path.Combine(samples, f)).ToList();
        using var store = context.OpenStore();
        var results = await IngestVerb.IngestAsync(store, files, null, context.IngestOptions, context.Time, !line.Json, cancellationToken);
        var stats = store.Statistics();
        if (line.Json)
        {
            JsonOutput.Write(new
            {
                database = store.Path,
                files = results.Select(r => new { path = r.Path, status = IngestVerb.Status(r.Status), events = r.Events, reason = r.Reason }),
                cases = stats.Cases,
                events = stats.Events,
                activities = stats.Activities,
            });
        }
        else
        {
            foreach (var r in results)
                Console.WriteLine($"{IngestVerb.Status(r.Status),-18} {Path.GetFileName(r.Path)}: {r.Events:N0} events added{(r.Reason is null ? "" : " (" + r.Reason + ")")}");
            Console.WriteLine($"{store.Path}: {stats.Cases:N0} cases, {stats.Events:N0} events, {stats.Activities:N0} activities");
        }
        return results.Any(r => r.Status == Storage.Ingestion.ImportStatus.Rejected) ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
