using System.CommandLine;
using Analytics.Application;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics stats</c>: what the store holds.</summary>
internal static class StatsCommand
{
    public const string Name = "stats";

    public const string Description = "Cases, events, activities, quarantined rows and files in the store.";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await StoreInfo.StatisticsAsync(store, ct);
            return context.Report(parse, result,
                s => context.Out.WriteLine($"{store.Path}: {Count(s.Cases, "case")}, {Count(s.Events, "event")}, {Count(s.Activities, "activity", "activities")}, {Count(s.Quarantined, "quarantined row")}, {Count(s.Files, "file")}"),
                s => new { cases = s.Cases, events = s.Events, activities = s.Activities, quarantined = s.Quarantined, files = s.Files });
        });
        return command;
    }

    private static string Count(long n, string one, string? many = null) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? one : many ?? one + "s")}");
}
