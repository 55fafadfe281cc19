using System.Globalization;

namespace Analytics.Core.Routing;

/// <summary>
/// Turns decision cases into feature rows without leaking anything from after the decision: case attributes (known at
/// filing), history of review outcomes per key value over cases that <em>closed</em> before the decision instant,
/// calendar features of the decision instant, and the number of cases past the decision point still open then.
/// </summary>
public static class FeatureBuilder
{
    /// <summary>Smoothing of history rates towards the overall rate: a key value with n past cases weighs n/(n + 5).</summary>
    private const double PriorWeight = 5;

    /// <summary>Features of every population case, in decision order.</summary>
    /// <param name="cases">All cases at their decision (population and others; history counts population cases only).</param>
    /// <param name="config">Which features.</param>
    /// <returns>One row per population case.</returns>
    public static IReadOnlyList<FeatureRow> Build(IReadOnlyList<DecisionCase> cases, RoutingConfig config)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(config);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(config.TimeZone);
        var population = cases.Where(c => c.InPopulation).OrderBy(c => c.DecisionUtc).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();
        // Closed cases in order of closing: the sweep adds a case's outcome once its end lies before the decision.
        var closing = population.OrderBy(c => c.EndUtc).ToList();
        var history = config.History.ToDictionary(k => k, _ => new Dictionary<string, (int N, int Positive)>(StringComparer.Ordinal));
        int closedN = 0, closedPositive = 0, next = 0;
        var open = new PriorityQueue<DateTime, DateTime>();
        var rows = new List<FeatureRow>(population.Count);
        foreach (var c in population)
        {
            while (next < closing.Count && closing[next].EndUtc < c.DecisionUtc)
            {
                var closed = closing[next++];
                closedN++;
                if (closed.Label) closedPositive++;
                foreach (var key in config.History)
                {
                    var value = Text(closed.Attributes.GetValueOrDefault(key));
                    var (n, p) = history[key].GetValueOrDefault(value);
                    history[key][value] = (n + 1, p + (closed.Label ? 1 : 0));
                }
            }
            while (open.Count > 0 && open.Peek() <= c.DecisionUtc)
                open.Dequeue();
            var numeric = new Dictionary<string, double>(StringComparer.Ordinal);
            var categorical = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in config.CaseAttributes)
            {
                switch (c.Attributes.GetValueOrDefault(key))
                {
                    case double d: numeric[key] = d; break;
                    case bool b: numeric[key] = b ? 1 : 0; break;
                    case null: numeric[key + " missing"] = 1; break;
                    case var other: categorical[key] = Text(other); break;
                }
            }
            foreach (var pair in config.Ratios)
            {
                if (pair.Count == 2 && c.Attributes.GetValueOrDefault(pair[0]) is double a && c.Attributes.GetValueOrDefault(pair[1]) is double b && b != 0)
                    numeric[$"{pair[0]} / {pair[1]}"] = a / b;
            }
            var overall = closedN == 0 ? 0 : (double)closedPositive / closedN;
            foreach (var key in config.History)
            {
                var (n, p) = history[key].GetValueOrDefault(Text(c.Attributes.GetValueOrDefault(key)));
                numeric[$"{key} history rate"] = (p + PriorWeight * overall) / (n + PriorWeight);
                numeric[$"{key} history count"] = n;
            }
            if (config.CalendarFeatures)
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(c.DecisionUtc, zone);
                numeric["month"] = local.Month;
                numeric["weekday"] = (int)local.DayOfWeek;
                numeric["hour"] = local.Hour + local.Minute / 60.0;
            }
            if (config.QueueFeature)
                numeric["open cases at decision"] = open.Count;
            open.Enqueue(c.EndUtc, c.EndUtc);
            rows.Add(new FeatureRow(c.CaseId, c.DecisionUtc, c.Label, numeric, categorical));
        }
        return rows;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };
}

/// <summary>Features of one case at its decision.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="DecisionUtc">The decision instant.</param>
/// <param name="Label">Whether the review was needed.</param>
/// <param name="Numeric">Numeric features by name.</param>
/// <param name="Categorical">Categorical features by name.</param>
public sealed record FeatureRow(string CaseId, DateTime DecisionUtc, bool Label, IReadOnlyDictionary<string, double> Numeric,
    IReadOnlyDictionary<string, string> Categorical);
