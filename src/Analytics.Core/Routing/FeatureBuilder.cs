using System.Globalization;

namespace Analytics.Core.Routing;

/// <summary>
/// Turns decision cases into feature rows without leaking anything from after the decision: case attributes (known at
/// filing) with their ratios, products, logarithms and crosses; an attribute against its running mean over orders of
/// the same key value decided earlier; history of review outcomes per key value over cases that <em>closed</em> before
/// the decision instant (smoothed rate, counts, a recency-weighted rate); calendar features of the decision instant;
/// and the number of cases past the decision point still open then.
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
        private readonly Dictionary<string, Dictionary<string, History>> _history;
        private readonly List<DecisionCase> _deciding;
        private readonly Dictionary<(int Pair, string Value), (double Sum, int N)> _relative = new();
        private int _nextDecided;
        private readonly double _decayPerDay;
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
            var list = population.ToList();
            _closing = list.OrderBy(c => c.EndUtc).ToList();
            _deciding = list.OrderBy(c => c.DecisionUtc).ToList();
            _history = config.History.ToDictionary(k => k, _ => new Dictionary<string, History>(StringComparer.Ordinal));
            _decayPerDay = Math.Log(2) / config.HistoryHalfLifeDays;
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
                    var h = _history[key].GetValueOrDefault(value);
                    var decay = h.LastUtc == default ? 0 : Math.Exp(-_decayPerDay * (closed.EndUtc - h.LastUtc).TotalDays);
                    _history[key][value] = new History(h.N + 1, h.Positive + (closed.Label ? 1 : 0),
                        h.RecentN * decay + 1, h.RecentPositive * decay + (closed.Label ? 1 : 0), closed.EndUtc);
                }
            }
            // Attributes are known at filing: an order decided earlier counts in the running means at once.
            while (_nextDecided < _deciding.Count && _deciding[_nextDecided].DecisionUtc < utc)
            {
                var decided = _deciding[_nextDecided++];
                for (var i = 0; i < _config.Relative.Count; i++)
                {
                    if (decided.Attributes.GetValueOrDefault(_config.Relative[i][0]) is not double x)
                        continue;
                    var k = (i, Text(decided.Attributes.GetValueOrDefault(_config.Relative[i][1])));
                    var (sum, n) = _relative.GetValueOrDefault(k);
                    _relative[k] = (sum + x, n + 1);
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
            foreach (var pair in _config.Products)
            {
                if (pair.Count == 2 && Number(c.Attributes.GetValueOrDefault(pair[0])) is { } a && Number(c.Attributes.GetValueOrDefault(pair[1])) is { } b)
                    numeric[$"{pair[0]} × {pair[1]}"] = a * b;
            }
            foreach (var key in _config.Logs)
            {
                if (c.Attributes.GetValueOrDefault(key) is double x)
                    numeric[$"log {key}"] = Math.Log(1 + Math.Max(0, x));
            }
            foreach (var pair in _config.Crosses)
            {
                if (pair.Count == 2)
                    categorical[$"{pair[0]} × {pair[1]}"] = $"{Text(c.Attributes.GetValueOrDefault(pair[0]))} × {Text(c.Attributes.GetValueOrDefault(pair[1]))}";
            }
            for (var i = 0; i < _config.Relative.Count; i++)
            {
                var (attribute, key) = (_config.Relative[i][0], _config.Relative[i][1]);
                if (c.Attributes.GetValueOrDefault(attribute) is not double x)
                    continue;
                var (sum, n) = _relative.GetValueOrDefault((i, Text(c.Attributes.GetValueOrDefault(key))));
                // With no earlier order of that key value, the order is its own mean.
                numeric[$"{attribute} vs mean of {key}"] = n == 0 ? 0 : x - sum / n;
            }
            var overall = _closedN == 0 ? 0 : (double)_closedPositive / _closedN;
            foreach (var key in _config.History)
            {
                var h = _history[key].GetValueOrDefault(Text(c.Attributes.GetValueOrDefault(key)));
                numeric[$"{key} history rate"] = (h.Positive + PriorWeight * overall) / (h.N + PriorWeight);
                numeric[$"{key} history count"] = h.N;
                numeric[$"{key} past needed"] = h.Positive;
                var decay = h.LastUtc == default ? 0 : Math.Exp(-_decayPerDay * Math.Max(0, (c.DecisionUtc - h.LastUtc).TotalDays));
                numeric[$"{key} recent rate"] = (h.RecentPositive * decay + PriorWeight * overall) / (h.RecentN * decay + PriorWeight);
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

    /// <summary>What one key value's closed cases say: counts, and counts decayed by age (as of <see cref="LastUtc"/>).</summary>
    private readonly record struct History(int N, int Positive, double RecentN, double RecentPositive, DateTime LastUtc);

    private static double? Number(object? value) => value switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        _ => null,
    };

    /// <summary>An attribute value as the text features and the audit group it by.</summary>
    internal static string Text(object? value) => value switch
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
