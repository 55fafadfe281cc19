namespace Analytics.Worker.Cli;

/// <summary><c>analytics stats</c>: what the store holds.</summary>
internal static class StatsVerb
{
    public static int Run(CommandLine line, VerbContext context)
    {
        line.Allow();
        using var store = context.OpenStore();
        var s = store.Statistics();
        if (line.Json)
            JsonOutput.Write(new { cases = s.Cases, events = s.Events, activities = s.Activities, quarantined = s.Quarantined, files = s.Files });
        else
            Console.WriteLine($"{store.Path}: {s.Cases:N0} cases, {s.Events:N0} events, {s.Activities:N0} activities, {s.Quarantined:N0} quarantined rows, {s.Files:N0} files");
        return ExitCodes.Ok;
    }
}
