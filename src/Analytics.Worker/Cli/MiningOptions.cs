using System.CommandLine;
using Analytics.Application.Mining;
using Analytics.Application.WhatIf;

namespace Analytics.Worker.Cli;

/// <summary>The filter and calendar options of the mining verbs (and of <c>spc --metric</c>).</summary>
internal sealed class MiningOptions
{
    public Option<string?> Calendar { get; } = Options.Text("--calendar", "Business calendar for business-time figures: a built-in name or a calendar file (default: the process profile's).", "NAME|FILE");
    public Option<bool> NoCalendar { get; } = Options.Flag("--no-calendar", "Wall-clock time only, whatever the profile's calendar.");
    public Option<string?> From { get; } = Options.Text("--from", "Only cases whose first event is at or after this instant (ISO 8601; UTC unless it has an offset).", "T");
    public Option<string?> To { get; } = Options.Text("--to", "Only cases whose first event is before this instant.", "T");
    public Option<string[]> Where { get; } = Options.Many("--where", "A condition on a case attribute: KEY=VALUE, or !=, <, <=, >, >= (repeat for several, all must hold).", "KEY=VALUE");
    public Option<string?> Activities { get; } = Options.Text("--activities", "Keep only these activities, comma-separated (as pm4py's activity filter).", "A,B");
    public Option<bool> IncludeSide { get; } = Options.Flag("--include-side", "Keep the activities the profile records as beside the flow (left out by default).");

    public void AddTo(Command command)
    {
        command.Options.Add(Calendar);
        command.Options.Add(NoCalendar);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Where);
        command.Options.Add(Activities);
        command.Options.Add(IncludeSide);
    }

    /// <summary>The request, or the reason it is malformed.</summary>
    public (MiningRequest? Request, string? Problem) Read(ParseResult parse)
    {
        try
        {
            return (new MiningRequest(
                WhatIfRequest.Instant(parse.GetValue(From), "from"), WhatIfRequest.Instant(parse.GetValue(To), "to"), parse.GetValue(Where) ?? [],
                parse.GetValue(Activities)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                parse.GetValue(Calendar), parse.GetValue(NoCalendar), parse.GetValue(IncludeSide)), null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }
}
