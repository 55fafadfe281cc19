using Analytics.Application.Profiles;
using System.CommandLine;
using Analytics.Application.Ingestion;
using Analytics.Application.Routing;
using Analytics.Application.Spc;
using Analytics.Storage.Ingestion;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics ingest FILE...</c>: loads files, one transaction each, and reports per file.</summary>
internal static class IngestCommand
{
    public const string Name = "ingest";

    public const string Description = "Load event logs into the store; a file is one transaction, a file loaded before is skipped.";

    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "XES (.xes, .xes.gz), CSV (.csv, .tsv, .csv.gz), Parquet or JSON Lines files.", Arity = ArgumentArity.OneOrMore };
        var mapping = Options.Text("--mapping", "Column mapping for CSV, Parquet and JSON Lines (default: NAME.mapping.json beside each file, else case_id, activity, timestamp, resource, role).", "FILE");
        var maxBad = Options.Number("--max-bad-ratio", "Refuse a file whose share of bad rows exceeds this, 0–1 (default: Analytics:MaxBadRowRatio, 0.05).", "RATIO");
        var accept = Options.Flag("--accept", "Propose a process profile from the log and accept it at once (otherwise 'analytics profile suggest' proposes one for you to review).");
        var command = new Command(Name, Description) { files, mapping, maxBad, accept };
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse, createsStore: true);
            var spc = new SpcService(store, context.Time);
            using var routing = new RoutingService(store, context.Time);
            var result = await new IngestService(store, context.Time, spc, routing).IngestAsync(
                new IngestRequest(parse.GetValue(files)!, parse.GetValue(mapping), parse.GetValue(maxBad) ?? context.Settings.MaxBadRowRatio, parse.GetValue(accept), context.Settings.Limits),
                context.Progress(parse), ct);
            var code = context.Report(parse, result, summary =>
            {
                foreach (var f in summary.Files)
                    context.Out.WriteLine($"{ImportStatusName.Of(f.Status),-18} {f.Path}: {f.Events:N0} events, {f.Cases:N0} cases, {f.Quarantined:N0} quarantined" +
                                          (f.Overlapping > 0 ? $", {f.Overlapping:N0} already stored" : "") + (f.Reason is null ? "" : $"\n{"",-18} {f.Reason}"));
                context.Out.WriteLine($"total: {summary.Events:N0} events, {summary.Cases:N0} cases, {summary.Quarantined:N0} quarantined");
                if (summary.Profile is { } p)
                    context.Out.WriteLine($"process profile v{p.Version} suggested from the log and accepted: {ProfileText.Brief(p.Profile)}");
                if (!parse.GetValue(GlobalOptions.Quiet))
                    foreach (var note in summary.Notes)
                        context.Error.WriteLine($"note: {note}");
            }, Json);
            if (!result.Succeeded)
                return code;
            foreach (var r in result.Value!.Files.Where(r => r.Status == ImportStatus.Rejected))
                context.Error.WriteLine($"rejected: {r.Reason}");
            return result.Value.Files.Any(r => r.Status == ImportStatus.Rejected) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static object Json(IngestSummary s) => new
    {
        files = s.Files.Select(f => new { path = f.Path, status = ImportStatusName.Of(f.Status), events = f.Events, cases = f.Cases, quarantined = f.Quarantined, overlapping = f.Overlapping, reason = f.Reason }),
        events = s.Events,
        cases = s.Cases,
        quarantined = s.Quarantined,
        profile = s.Profile is { } p ? new { version = p.Version, accepted = p.Accepted, calendar = p.Profile.Calendar.ToString(), sideActivities = p.Profile.SideActivities, review = p.Profile.Review?.Role } : null,
    };
}
