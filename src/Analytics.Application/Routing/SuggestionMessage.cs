using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Core.Profiles;
using Analytics.Core.Routing;

namespace Analytics.Application.Routing;

/// <summary>A routing suggestion as a WeCom (企业微信) group-robot markdown message, which other webhooks take as plain JSON too.</summary>
internal static class SuggestionMessage
{
    public static string Json(RoutingSuggestion s, ProcessProfile profile)
    {
        var reviewer = profile.Review?.Role ?? "review";
        var route = s.Route == "pm-review" ? $"<font color=\"warning\">review by {Markdown.Escape(reviewer)}</font>" : $"<font color=\"info\">past {Markdown.Escape(reviewer)}</font>";
        var content = string.Join('\n', new[]
        {
            $"**{Markdown.Escape(profile.Name)}: routing** {Markdown.Escape(s.CaseId)}",
            $"> Suggestion: {route} ({Markdown.Escape(s.Why)})",
            s.Probability is { } p ? string.Create(CultureInfo.InvariantCulture, $"> P(review needed): {p:0.00} (threshold {s.Threshold:0.00})") : "> not scored",
            s.Reasons.Count > 0 ? "> Why: " + string.Join("; ", s.Reasons.Select(Markdown.Escape)) : null,
            $"> Model v{s.ModelVersion}. {Markdown.Escape(reviewer)} keep the final say.",
        }.Where(l => l is not null));
        return JsonSerializer.Serialize(new
        {
            msgtype = "markdown",
            markdown = new { content },
            suggestion = s,
        }, Application.Json.Options);
    }
}

/// <summary>Text from the data made safe inside WeCom markdown: no link, markup or @mention can be smuggled in.</summary>
internal static class Markdown
{
    public static string Escape(string text) => Core.Notifications.NodeChangeNotices.Escape(text);
}
