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
        var population = cases.Where(c => c.InPopulation).OrderBy(c => c.DecisionUtc).ThenBy(c => c.CaseId, StringComparer.Ordinal).ToList();
        var state = new FeatureState(config, population);
        var rows = new List<FeatureRow>(population.Count);
        foreach (var c in population)
        {
            state.AdvanceTo(c.DecisionUtc);
            rows.Add(state.RowFor(c));
            state.Open(c);
        }
        return rows;
    }

    /// <summary>The state of the world at an instant: outcomes of the cases closed by then, and cases still open.</summary>
    public sealed class FeatureState
    {
        private readonly RoutingConfig _config;
        private readonly TimeZoneInfo _zone;
        private readonly List<DecisionCase> _closing;
        private readonly Dictionary<string, Dictionary<string, (int N, int Positive)>> _history;
        private readonly PriorityQueue<DateTime, DateTime> _open = new();
        private int _closedN;
        private int _closedPositive;
        private int _next;

        /// <summary>Prepares the sweep over the population's cases (their outcomes become known at their ends).</summary>
        public FeatureState(RoutingConfig config, IEnumerable<DecisionCase> population)
        {
            ArgumentNullException.ThrowIfNull(config);
            ArgumentNullException.ThrowIfNull(population);
            _config = config;
            _zone = TimeZoneInfo.FindSystemTimeZoneById(config.TimeZone);
            _closing = population.OrderBy(c => c.EndUtc).ToList();
            _history = config.History.ToDictionary(k => k, _ => new Dictionary<string, (int, int)>(StringComparer.Ordinal));
        }

        /// <summary>Takes in every case that closed before <paramref name="utc"/>, and lets go of open cases that ended by then.</summary>
        public void AdvanceTo(DateTime utc)
        {
            while (_next < _closing.Count && _closing[_next].EndUtc < utc)
            {
                var closed = _closing[_next++];
                _closedN++;
                if (closed.Label) _closedPositive++;
                foreach (var key in _config.History)
                {
                    var value = Text(closed.Attributes.GetValueOrDefault(key));
                    var (n, p) = _history[key].GetValueOrDefault(value);
                    _history[key][value] = (n + 1, p + (closed.Label ? 1 : 0));
                }
            }
            while (_open.Count > 0 && _open.Peek() <= utc)
                _open.Dequeue();
        }

        /// <summary>Counts a case as past the decision point until it ends.</summary>
        public void Open(DecisionCase c)
        {
            ArgumentNullException.ThrowIfNull(c);
            _open.Enqueue(c.EndUtc, c.EndUtc);
        }

        /// <summary>The features of a case at its decision, from this state (call <see cref="AdvanceTo"/> first).</summary>
        public FeatureRow RowFor(DecisionCase c)
        {
            ArgumentNullException.ThrowIfNull(c);
            var numeric = new Dictionary<string, double>(StringComparer.Ordinal);
            var categorical = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in _config.CaseAttributes)
            {
                switch (c.Attributes.GetValueOrDefault(key))
                {
                    case double d: numeric[key] = d; break;
                    case bool b: numeric[key] = b ? 1 : 0; break;
                    case null: numeric[key + " missing"] = 1; break;
                    case var other: categorical[key] = Text(other); break;
                }
            }
            foreach (var pair in _config.Ratios)
            {
                if (pair.Count == 2 && c.Attributes.GetValueOrDefault(pair[0]) is double a && c.Attributes.GetValueOrDefault(pair[1]) is double b && b != 0)
                    numeric[$"{pair[0]} / {pair[1]}"] = a / b;
            }
            var overall = _closedN == 0 ? 0 : (double)_closedPositive / _closedN;
            foreach (var key in _config.History)
            {
                var (n, p) = _history[key].GetValueOrDefault(Text(c.Attributes.GetValueOrDefault(key)));
                numeric[$"{key} history rate"] = (p + PriorWeight * overall) / (n + PriorWeight);
                numeric[$"{key} history count"] = n;
            }
            if (_config.CalendarFeatures)
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(c.DecisionUtc, _zone);
                numeric["month"] = local.Month;
                numeric["weekday"] = (int)local.DayOfWeek;
                numeric["hour"] = local.Hour + local.Minute / 60.0;
            }
            if (_config.QueueFeature)
                numeric["open cases at decision"] = _open.Count;
            return new FeatureRow(c.CaseId, c.DecisionUtc, c.Label, numeric, categorical);
        }
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
