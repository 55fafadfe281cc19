using System.Globalization;

namespace Analytics.Core.Routing;

/// <summary>
/// Looks for case attributes and history keys that reveal the outcome instead of predicting it — an end-of-case
/// snapshot such as a project filled in only for requests that went through, a placeholder (UNKNOWN, 0, empty) left
/// on the ones abandoned. Two kinds of evidence, each over the population's labelled cases:
/// <list type="bullet">
/// <item>a value held by a material share of cases (at least 2% and 30 cases) whose outcome is nearly certain against
/// the majority (at least 95% needed review where fewer than half do overall, or at most 2% where most do), or a
/// placeholder value whose rate differs from the other cases' by 40 points or more;</item>
/// <item>a feature that alone all but decides the outcome while the others do not (AUC at least 0.97, and 0.3 above the
/// median of the others: a strong genuine predictor, such as the demo's discount at 0.92, is not flagged),
/// categories scored by out-of-fold target encoding so that a key with many values gains nothing from memorising.</item>
/// </list>
/// Training refuses a placeholder finding and a decisive feature alone; a near-certain real value (a strong genuine
/// rule, such as orders below the floor price, can produce one) is shown to be checked and does not stop training.
/// A key the configuration accepts with a reason (<see cref="RoutingConfig.AcceptedFeatures"/>) is reported but not
/// refused.
/// </summary>
public static class LeakageAudit
{
    private static readonly HashSet<string> Placeholders = new(["", "unknown", "n/a", "na", "none", "null", "0", "-", "?", "undefined", "missing"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Audits every case attribute and history key of the configuration.</summary>
    /// <param name="cases">Cases at their decision (the population's are audited).</param>
    /// <param name="config">The features.</param>
    public static LeakageReport Run(IReadOnlyList<DecisionCase> cases, RoutingConfig config)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(config);
        var population = cases.Where(c => c.InPopulation).ToList();
        var labels = population.Select(c => c.Label).ToArray();
        var n = population.Count;
        var overall = n == 0 ? 0 : labels.Count(l => l) / (double)n;
        var keys = config.FeatureKeys;
        var findings = new List<LeakageFinding>();
        var aucs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var values = population.Select(c => c.Attributes.GetValueOrDefault(key)).ToList();
            aucs[key] = SingleAuc(values, labels, population.Select(c => c.CaseId).ToList());
            foreach (var group in values.Select((v, i) => (Text: FeatureBuilder.Text(v), Label: labels[i])).GroupBy(x => x.Text, StringComparer.Ordinal))
            {
                var count = group.Count();
                if (count < 30 || count < 0.02 * n)
                    continue;
                var rate = group.Count(x => x.Label) / (double)count;
                var restN = n - count;
                var rest = restN == 0 ? overall : (labels.Count(l => l) - group.Count(x => x.Label)) / (double)restN;
                var certain = (overall < 0.5 && rate >= 0.95) || (overall >= 0.5 && rate <= 0.02);
                var placeholder = Placeholders.Contains(group.Key.Trim()) && Math.Abs(rate - rest) >= 0.4;
                var isPlaceholder = Placeholders.Contains(group.Key.Trim());
                if (certain || placeholder)
                    findings.Add(new LeakageFinding(key, isPlaceholder ? "placeholder" : "value", string.Create(CultureInfo.InvariantCulture,
                        $"'{(group.Key.Length == 0 ? "(empty)" : group.Key)}' on {count:N0} cases ({count / (double)n:P1}): {rate:P1} needed review, against {rest:P1} of the others"),
                        config.AcceptedFeatures.GetValueOrDefault(key), Refuses: isPlaceholder));
            }
        }
        foreach (var (key, auc) in aucs)
        {
            var others = aucs.Where(a => a.Key != key).Select(a => a.Value).Order().ToList();
            var median = others.Count == 0 ? 0.5 : others.Count % 2 == 1 ? others[others.Count / 2] : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
            if (auc >= 0.97 && auc - median >= 0.3)
                findings.Add(new LeakageFinding(key, "auc", string.Create(CultureInfo.InvariantCulture,
                    $"alone it ranks the outcome with AUC {auc:0.000}, the other features {median:0.000} (median)"), config.AcceptedFeatures.GetValueOrDefault(key), Refuses: true));
        }
        return new LeakageReport(n, overall, aucs, findings);
    }

    /// <summary>
    /// The AUC of one attribute alone (oriented, so at least 0.5): numbers by their value; text by the outcome rate of
    /// its value among the other folds' cases (five folds by a hash of the case id), smoothed towards the overall rate.
    /// </summary>
    private static double SingleAuc(List<object?> values, bool[] labels, List<string> ids)
    {
        if (values.Count == 0)
            return 0.5;
        double[] scores;
        if (values.All(v => v is null or double or bool))
            scores = values.Select(v => v switch { double d => d, bool b => b ? 1 : 0, _ => double.NaN }).ToArray();
        else
        {
            const int folds = 5;
            var fold = ids.Select(id => StableHash.Fold(id, folds)).ToArray();
            var text = values.Select(FeatureBuilder.Text).ToArray();
            scores = new double[values.Count];
            for (var k = 0; k < folds; k++)
            {
                var counts = new Dictionary<string, (int N, int P)>(StringComparer.Ordinal);
                int total = 0, positive = 0;
                for (var i = 0; i < text.Length; i++)
                {
                    if (fold[i] == k)
                        continue;
                    var (cn, cp) = counts.GetValueOrDefault(text[i]);
                    counts[text[i]] = (cn + 1, cp + (labels[i] ? 1 : 0));
                    total++;
                    if (labels[i]) positive++;
                }
                var prior = total == 0 ? 0 : positive / (double)total;
                for (var i = 0; i < text.Length; i++)
                {
                    if (fold[i] != k)
                        continue;
                    var (cn, cp) = counts.GetValueOrDefault(text[i]);
                    scores[i] = (cp + 5 * prior) / (cn + 5);
                }
            }
        }
        // A missing number ranks below every value.
        var min = scores.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        for (var i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i]))
                scores[i] = min - 1;
        var auc = RankingMetrics.Auc(scores, labels);
        return double.IsNaN(auc) ? 0.5 : Math.Max(auc, 1 - auc);
    }
}

/// <summary>What the leakage audit found.</summary>
/// <param name="Cases">Labelled population cases audited.</param>
/// <param name="OverallRate">Their share that needed review.</param>
/// <param name="SingleFeatureAuc">The AUC of each audited key alone.</param>
/// <param name="Findings">The evidence of leakage, per key.</param>
public sealed record LeakageReport(int Cases, double OverallRate, IReadOnlyDictionary<string, double> SingleFeatureAuc, IReadOnlyList<LeakageFinding> Findings)
{
    /// <summary>Findings on keys the configuration has not accepted that training refuses (placeholders and a decisive feature alone).</summary>
    public IReadOnlyList<LeakageFinding> Refused => Findings.Where(f => f.Refuses && f.AcceptedBecause is null).ToList();

    /// <summary>Findings that are shown for a person to check but do not stop training: a real value (not a placeholder) with a nearly certain outcome, which a strong genuine rule can also produce.</summary>
    public IReadOnlyList<LeakageFinding> ToCheck => Findings.Where(f => !f.Refuses && f.AcceptedBecause is null).ToList();
}

/// <summary>One piece of evidence that a feature reveals the outcome.</summary>
/// <param name="Key">The case attribute or history key.</param>
/// <param name="Kind">value, placeholder or auc.</param>
/// <param name="Evidence">What was seen, in words.</param>
/// <param name="AcceptedBecause">The reason the configuration gives for keeping it, or null.</param>
/// <param name="Refuses">Whether training refuses the feature unless accepted (a placeholder, or a decisive feature alone); otherwise it is shown to be checked.</param>
public sealed record LeakageFinding(string Key, string Kind, string Evidence, string? AcceptedBecause, bool Refuses = true);
