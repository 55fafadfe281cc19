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
                s => context.Out.WriteLine($"{store.Path}: {s.Cases:N0} cases, {s.Events:N0} events, {s.Activities:N0} activities, {s.Quarantined:N0} quarantined rows, {s.Files:N0} files"),
                s => new { cases = s.Cases, events = s.Events, activities = s.Activities, quarantined = s.Quarantined, files = s.Files });
        });
        return command;
    }
}
