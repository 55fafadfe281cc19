using System.CommandLine;
using Analytics.Application.Profiles;
using Analytics.Core.Profiles;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics profile show | suggest | set FILE | accept [VERSION]</c>: what the store's process is.</summary>
internal static class ProfileCommand
{
    public const string Name = "profile";

    public const string Description = "The store's process profile: its calendar, side activities, roles, review node, routing decision, SLA, report and notifications.";

    public static Command Create(CliContext context)
    {
        var command = new Command(Name, Description);

        var show = new Command("show", "Print the profile in use as commented JSON (redirect it to a file, edit, and 'profile set' it), and any suggestion waiting.");
        show.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ProfileService(store, context.Time).ShowAsync(ct);
            return context.Report(parse, result, o =>
            {
                context.Error.WriteLine(o.Accepted is { } a
                    ? $"profile v{a.Version}, accepted {a.CreatedAt:yyyy-MM-dd HH:mm} UTC ({a.Source})"
                    : "no profile accepted yet: below are the defaults analyses use until one is accepted");
                if (o.Pending is { } p)
                {
                    context.Error.WriteLine($"suggestion v{p.Version} waits for acceptance ('analytics profile accept'): {ProfileText.Brief(p.Profile)}");
                    foreach (var f in p.Evidence)
                        context.Error.WriteLine($"  [{f.Topic}] {f.Text}");
                }
                context.Out.WriteLine(o.InUse.ToJson(comments: true));
            }, o => new { accepted = o.Accepted is { } a ? Version(a) : null, pending = o.Pending is { } p ? Version(p) : null, inUse = Json(o.InUse) });
        });

        var suggest = new Command("suggest", "Propose a profile from the log with the evidence for each part; nothing is applied until 'profile accept'.");
        suggest.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ProfileService(store, context.Time).SuggestAsync(ct);
            return context.Report(parse, result, v =>
            {
                context.Out.WriteLine($"suggested profile v{v.Version}: {ProfileText.Brief(v.Profile)}");
                foreach (var f in v.Evidence)
                    context.Out.WriteLine($"  [{f.Topic}] {f.Text}");
                context.Out.WriteLine();
                context.Out.WriteLine(v.Profile.ToJson(comments: true));
                context.Out.WriteLine();
                context.Out.WriteLine($"apply it with 'analytics profile accept' (or save it, edit it and 'analytics profile set FILE')");
            }, Version);
        });

        var file = new Argument<string>("FILE") { Description = "A profile as JSON (comments allowed), e.g. from 'analytics profile show > profile.json' or data-samples/special-price.profile.json." };
        var set = new Command("set", "Replace the profile with a file of your own; it is accepted at once.") { file };
        set.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ProfileService(store, context.Time).SetAsync(parse.GetValue(file)!, ct);
            return context.Report(parse, result, v => context.Out.WriteLine($"profile v{v.Version} accepted from {parse.GetValue(file)}: {ProfileText.Brief(v.Profile)}"), Version);
        });

        var version = new Argument<int?>("VERSION") { Description = "Optional: the version to accept (default: the newest suggestion).", Arity = ArgumentArity.ZeroOrOne };
        var accept = new Command("accept", "Accept the waiting suggestion (or a stored version): every analysis reads it from now on.") { version };
        accept.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var result = await new ProfileService(store, context.Time).AcceptAsync(parse.GetValue(version), ct);
            return context.Report(parse, result, v => context.Out.WriteLine($"profile v{v.Version} accepted: {ProfileText.Brief(v.Profile)}"), Version);
        });

        command.Subcommands.Add(show);
        command.Subcommands.Add(suggest);
        command.Subcommands.Add(set);
        command.Subcommands.Add(accept);
        return command;
    }

    private static object Version(ProfileVersion v) => new
    {
        version = v.Version, accepted = v.Accepted, source = v.Source, createdAt = v.CreatedAt, profile = Json(v.Profile),
        evidence = v.Evidence, calendars = v.Calendars,
    };

    private static System.Text.Json.JsonElement Json(ProcessProfile p) => System.Text.Json.JsonDocument.Parse(p.ToJson()).RootElement.Clone();
}
