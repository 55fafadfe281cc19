using System.Globalization;
using System.Text.Json;
using Analytics.Core.Routing;

namespace Analytics.Worker.Hosting;

/// <summary>A routing suggestion as a WeCom (企业微信) group-robot markdown message, which other webhooks take as plain JSON too.</summary>
internal static class SuggestionMessage
{
    public static string Json(RoutingSuggestion s)
    {
        var route = s.Route == "pm-review" ? "<font color=\"warning\">PM review</font>" : "<font color=\"info\">auto-route past the PM</font>";
        var content = string.Join('\n', new[]
        {
            $"**Special-price routing** {s.CaseId}",
            $"> Suggestion: {route} ({s.Why})",
            s.Probability is { } p ? string.Create(CultureInfo.InvariantCulture, $"> P(review needed): {p:0.00} (threshold {s.Threshold:0.00})") : "> not scored",
            s.Reasons.Count > 0 ? "> Why: " + string.Join("; ", s.Reasons) : null,
            $"> Model v{s.ModelVersion}. PMs keep the final say.",
        }.Where(l => l is not null));
        return JsonSerializer.Serialize(new
        {
            msgtype = "markdown",
            markdown = new { content },
            suggestion = s,
        }, Cli.JsonOutput.Options);
    }
}
