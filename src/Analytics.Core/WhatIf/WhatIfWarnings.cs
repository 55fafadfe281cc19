using System.Globalization;

namespace Analytics.Core.WhatIf;

/// <summary>
/// What a project lead must be told beside an answer that could otherwise read as a figure: a back-test that is not
/// good, parts of a scenario that touch nothing (a peak outside the simulated period, conditions no case meets),
/// and changes that lie within the noise of the baseline.
/// </summary>
public static class WhatIfWarnings
{
    /// <summary>Warnings of a scenario run.</summary>
    /// <param name="result">The answer.</param>
    /// <param name="cases">The cases the model learnt from.</param>
    /// <param name="options">The run's options.</param>
    public static IReadOnlyList<string> Of(WhatIfResult result, IReadOnlyList<CaseTrace> cases, WhatIfOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>(OfCalibration(result.BackTest, cases, options));
        var s = result.Scenario;
        var zone = options.Calendar.TimeZone;
        var first = ArrivalModel.LocalDate(result.FromUtc, zone);
        var last = ArrivalModel.LocalDate(result.ToUtc.AddTicks(-1), zone);
        foreach (var peak in s.Peaks)
        {
            var to = peak.To.AddDays(-1);
            if (to < first || peak.From > last)
                warnings.Add(Text($"volume peak from {peak.From:yyyy-MM-dd} to {peak.To:yyyy-MM-dd} (×{peak.Multiplier}) lies outside the simulated period {first:yyyy-MM-dd}..{last:yyyy-MM-dd}: it changes nothing; set --horizon-from and --horizon-days to cover it"));
            else if (peak.From < first || to > last)
                warnings.Add(Text($"volume peak from {peak.From:yyyy-MM-dd} to {peak.To:yyyy-MM-dd} lies only partly in the simulated period {first:yyyy-MM-dd}..{last:yyyy-MM-dd}: only that part is simulated"));
        }
        foreach (var node in s.Nodes.Where(n => n.Where.Count > 0))
            if (!cases.Any(c => node.Where.All(w => w.Holds(c.Attributes))))
                warnings.Add(Text($"nodes: '{node.Activity}' {node.Action} where {string.Join(" and ", node.Where.Select(w => w.Key + w.Operator + w.Value))}: no case meets that, so it changes nothing (attributes: {Attributes(cases)})"));
        if (s.VolumeMultiplier == 1 && s.Peaks.Count == 0 && s.Review is null && s.Pools.Count == 0 && s.WorkTime.Count == 0 && s.Calendars.Count == 0 && s.Nodes.Count == 0)
            warnings.Add("the scenario changes nothing: every difference from the baseline is chance");

        // Changes within the noise: the interval of the paired differences holds zero.
        void Noise(string what, Estimate delta, Estimate baseline)
        {
            if (!double.IsFinite(delta.Mean) || !(delta.Low <= 0 && delta.High >= 0))
                return;
            warnings.Add(Text($"{what}: the change {delta.Mean:+0.00;-0.00;0.00} h [{delta.Low:+0.00;-0.00;0.00}, {delta.High:+0.00;-0.00;0.00}] is within the noise of the baseline (one replication of it spreads ±{baseline.Spread:F2} h): not distinguishable from no change with {result.Baseline.Replications} replications"));
        }
        Noise("p50 end-to-end", result.Delta.P50Hours, result.Baseline.P50Hours);
        Noise("p90 end-to-end", result.Delta.P90Hours, result.Baseline.P90Hours);
        foreach (var role in Touched(s))
            if (result.Delta.Roles.FirstOrDefault(r => r.Node == role) is { } d && result.Baseline.Roles.FirstOrDefault(r => r.Node == role) is { } b)
                Noise($"{role} p90 wait", d.P90WaitHours, b.P90WaitHours);
        return warnings;
    }

    /// <summary>Warnings of a calibration: its trust verdict when not good, options that match nothing.</summary>
    public static IReadOnlyList<string> OfCalibration(BackTest backTest, IReadOnlyList<CaseTrace> cases, WhatIfOptions options)
    {
        ArgumentNullException.ThrowIfNull(backTest);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        if (backTest.Trust.Verdict != "good")
            warnings.Add($"back-test {backTest.Trust.Verdict}: {backTest.Trust.Reason}");
        if (options.RouteBy is { } by && !cases.Any(c => c.Attributes.ContainsKey(by)))
            warnings.Add($"--route-by {by}: no case has that attribute, so routing is not conditioned on it (attributes: {Attributes(cases)})");
        if (options.Priority.Count > 0 && !cases.Any(c => options.Priority.All(p => p.Holds(c.Attributes))))
            warnings.Add($"--priority {string.Join(" and ", options.Priority.Select(p => p.Key + p.Operator + p.Value))}: no case meets it, so every queue stays first come, first served");
        foreach (var role in options.PoolSizes.Keys.Concat(options.PooledRoles).Concat(options.DelayRoles).Distinct(StringComparer.Ordinal))
            if (!backTest.Model.Pools.Any(p => p.Role == role))
                warnings.Add($"role '{role}' (from --pool, --pooled or --delay) is not a role of the log (roles: {string.Join(", ", backTest.Model.Pools.Select(p => p.Role))})");
        return warnings;
    }

    private static IEnumerable<string> Touched(WhatIfScenario s)
    {
        if (s.Review is { } r)
            yield return r.Node;
        foreach (var p in s.Pools)
            yield return p.Role;
        foreach (var w in s.WorkTime.Keys)
            yield return w;
    }

    private static string Attributes(IReadOnlyList<CaseTrace> cases)
    {
        var keys = cases.Take(1000).SelectMany(c => c.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return keys.Count == 0 ? "none" : string.Join(", ", keys);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
