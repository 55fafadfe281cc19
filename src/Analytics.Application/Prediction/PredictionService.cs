using Analytics.Application.Profiles;
using Analytics.Core.Calendars;
using Analytics.Core.Mining;
using Analytics.Core.Prediction;
using Analytics.Core.WhatIf;
using Analytics.Ml;
using Analytics.Storage;
using Analytics.Storage.Mining;

namespace Analytics.Application.Prediction;

/// <summary>
/// Remaining business time of open cases and the chance they breach their SLA: a <see cref="RemainingTimeModel"/>
/// learnt from the cases of the log that have ended, evaluated on a later test period, asked for one case or for every
/// open case (the worker's early warnings).
/// </summary>
public sealed class PredictionService(IStoreAccess store, TimeProvider time)
{
    /// <summary>A case with no event for this long before the end of what is known is taken as ended.</summary>
    public static readonly TimeSpan EndedAfter = TimeSpan.FromDays(14);

    private const double StepHours = 4;
    private const int MaxTrainPrefixes = 120_000;

    /// <summary>Trains on the first three quarters of the log (by case start) and measures on the last quarter.</summary>
    public Task<Result<PredictionEvaluation>> EvaluateAsync(double warnAt, CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        return await UseCase.RunAsync(() =>
        {
            var (cases, clock, known) = Load(s, profile, cancellationToken);
            var first = cases[0].Events[0].Utc;
            var cut = first + (known - first) * 0.75;
            // Only cases that had time to end are learnt from and tested on (started a 98th-percentile duration before the
            // end of what is known), so that neither set holds only the short ones of its last weeks.
            var horizon = Horizon(cases, known - first);
            var model = Train(cases, clock, cut, horizon);
            var open = CasePrefixes.OpenCounter(cases, known);
            var test = cases.Where(c => c.Events[0].Utc >= cut && c.Events[0].Utc < known - horizon).ToList();
            var prefixes = CasePrefixes.Of(test, clock, StepHours, known, open);
            if (prefixes.Count == 0)
                throw RequestException.Invalid("predict --evaluate: no case of the last quarter of the log has ended; the log is too short to test on");
            // As the worker runs it: each week of the test period calibrated on the cases that ended most recently before
            // it, at the miss level adaptive conformal inference keeps adjusting from the looks whose cases have ended.
            var sla = profile.Profile.Sla.CaseHours;
            var (estimates, beyond, finalMiss) = Replay(model, prefixes, model.CalibrationCases.Concat(test).ToList(), cases, clock, open, known, sla, model.Miss);
            var maeModel = prefixes.Select((p, i) => Math.Abs(p.RemainingHours - estimates[i].MedianHours)).Average();
            var maeBaseline = prefixes.Select(p => Math.Abs(p.RemainingHours - model.Baseline(p.LastActivity))).Average();
            var covered = prefixes.Select((p, i) => p.RemainingHours >= estimates[i].LowHours && p.RemainingHours <= estimates[i].HighHours).Count(x => x) / (double)prefixes.Count;
            var above = prefixes.Select((p, i) => p.RemainingHours > estimates[i].HighHours).Count(x => x) / (double)prefixes.Count;
            var widths = estimates.Select(e => e.HighHours - e.LowHours).Order().ToList();
            SlaWarnings? warnings = null;
            if (sla is { } slaHours)
                warnings = Warnings(test, prefixes, beyond, slaHours, warnAt, clock);
            return new PredictionEvaluation(cases.Count, model.TrainCases, cut, test.Count, prefixes.Count, maeModel, maeBaseline, covered, DurationSummary.Quantile(widths, 0.5), warnings) { Above = above, StartMiss = model.Miss, EndMiss = finalMiss };
        }, profile.Notes);
    }, cancellationToken);

    /// <summary>Where an open case stands, how long it will still take, and the chance it breaches the SLA.</summary>
    public Task<Result<CasePrediction>> PredictAsync(string caseId, CancellationToken cancellationToken) => store.RunAsync(async s =>
    {
        var profile = ProfileService.Current(s);
        return await UseCase.RunAsync(() =>
        {
            var (cases, clock, known) = Load(s, profile, cancellationToken);
            var c = cases.FirstOrDefault(x => x.CaseId == caseId) ?? throw RequestException.NotFound($"no case '{caseId}' in the store");
            var asOf = AsOf(known);
            if (c.Events[^1].Utc < asOf - EndedAfter)
                throw RequestException.Invalid($"case '{caseId}' has had no event since {c.Events[^1].Utc:yyyy-MM-dd} ({c.Events[^1].Activity}): it is taken as ended, with nothing left to predict");
            if (Terminal(cases, asOf).Contains(c.Events[^1].Activity))
                throw RequestException.Invalid($"case '{caseId}' ended with {c.Events[^1].Activity} on {c.Events[^1].Utc:yyyy-MM-dd} (cases end there): nothing left to predict");
            return Predict(Cached(cases, clock, asOf, known), c, asOf, clock, CasePrefixes.OpenCounter(cases, asOf), profile.Profile.Sla.CaseHours);
        }, profile.Notes);
    }, cancellationToken);

    private (TrainedModel Model, DateTime At, int Cases)? _cached;
    private readonly Lock _gate = new();

    /// <summary>The model learnt at most once a day (the worker's service is one instance; a CLI call learns it once).</summary>
    private TrainedModel Cached(IReadOnlyList<CaseTrace> cases, BusinessClock clock, DateTime asOf, DateTime known)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            if (_cached is { } c && now - c.At <= TimeSpan.FromDays(1) && cases.Count >= c.Cases)
                return c.Model;
        }
        var model = Train(cases, clock, asOf, Horizon(cases, known - cases[0].Events[0].Utc));
        lock (_gate)
            _cached = (model, now, cases.Count);
        return model;
    }

    /// <summary>The activities cases end with: at least 90% of their occurrences among the cases ended long ago are a case's last event.</summary>
    private static HashSet<string> Terminal(IReadOnlyList<CaseTrace> cases, DateTime asOf)
    {
        var ended = cases.Where(c => c.Events[^1].Utc < asOf - EndedAfter).ToList();
        var last = ended.GroupBy(c => c.Events[^1].Activity, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var all = ended.SelectMany(c => c.Events).GroupBy(e => e.Activity, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return last.Where(kv => kv.Value >= 0.9 * all[kv.Key]).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The worker's early warnings: every open case (an event in the last <see cref="EndedAfter"/>) whose chance of
    /// breaching the SLA reaches the profile's threshold is told to the pool holding it (the role that most often
    /// records the next step), once per case. The model is learnt at most once a day, outside the store's hold.
    /// </summary>
    /// <returns>Warnings queued now.</returns>
    public async Task<int> WarnAsync(CancellationToken cancellationToken)
    {
        var input = await store.RunAsync<(ActiveProfile Profile, (IReadOnlyList<CaseTrace> Cases, BusinessClock Clock, DateTime Known) Data)?>(s =>
        {
            var profile = ProfileService.Current(s);
            var n = profile.Profile.Notify;
            if (!profile.Accepted || !n.SlaWarnings || profile.Profile.Sla.CaseHours is null)
                return null;
            return (Profile: profile, Data: Load(s, profile, cancellationToken));
        }, cancellationToken);
        if (input is not { } x)
            return 0;
        var (cases, clock, known) = x.Data;
        var asOf = AsOf(known);
        var model = await Task.Run(() => Cached(cases, clock, asOf, known), cancellationToken);
        var sla = x.Profile.Profile.Sla.CaseHours!.Value;
        var counter = CasePrefixes.OpenCounter(cases, asOf);
        var terminal = Terminal(cases, asOf);
        var due = cases.Where(k => k.Events[^1].Utc >= asOf - EndedAfter && !terminal.Contains(k.Events[^1].Activity))
            .Select(k => Predict(model, k, asOf, clock, counter, sla))
            .Where(p => p.ElapsedHours < sla && p.BreachProbability >= x.Profile.Profile.Notify.WarnAt).ToList();
        if (due.Count == 0)
            return 0;
        return await store.RunAsync(s =>
        {
            var next = new Storage.Notifications.NodeChangeReader(s).NextRoles(x.Profile.Profile.SideActivities);
            var people = Notifications.NodeChangeService.Directory(s, x.Profile.Profile.Notify);
            var zh = x.Profile.Profile.Report.Language == "zh-CN";
            var messages = due.Select(p =>
            {
                var holder = next.GetValueOrDefault(p.LastActivity);
                var members = holder is null ? [] : people.Roles.GetValueOrDefault(holder)?.Where(Core.Notifications.NodeChangeNotices.IsUserId).ToList() ?? [];
                string E(string t) => Core.Notifications.NodeChangeNotices.Escape(t);
                var text = (zh
                    ? FormattableString.Invariant($"**单据 {E(p.CaseId)} 可能超出 {sla:0.#} 工时的 SLA**（概率 {p.BreachProbability:0%}）：已用 {p.ElapsedHours:F1} 工时，预计还需 {p.Remaining.MedianHours:F1} 工时（90%：{p.Remaining.LowHours:F1}–{p.Remaining.HighHours:F1}）；当前在 {E(p.LastActivity)} 之后{(holder is null ? "" : "，等待 " + E(holder))}。")
                    : FormattableString.Invariant($"**Order {E(p.CaseId)} may breach its {sla:0.#} h SLA** (p = {p.BreachProbability:0%}): {p.ElapsedHours:F1} business hours used, about {p.Remaining.MedianHours:F1} h still to go (90%: {p.Remaining.LowHours:F1}–{p.Remaining.HighHours:F1} h); it stands after {E(p.LastActivity)}{(holder is null ? "" : ", waiting for " + E(holder))}."))
                    + string.Concat(members.Select(m => $" <@{m}>"));
                return ("sla-warning", "sla-warning:" + p.CaseId, System.Text.Json.JsonSerializer.Serialize(new { msgtype = "markdown", markdown = new { content = text, mentioned_list = members } }));
            }).ToList();
            return new Storage.Notifications.Outbox(s).EnqueueMany(messages, time.GetUtcNow());
        }, cancellationToken);
    }

    /// <summary>Now, or the newest event when the log is history (a store whose events stopped more than a week ago).</summary>
    private DateTime AsOf(DateTime known)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now > known + TimeSpan.FromDays(7) ? known : now;
    }

    private static CasePrediction Predict(TrainedModel model, CaseTrace c, DateTime asOf, BusinessClock clock, Func<DateTime, int> open, double? sla)
    {
        var prefix = CasePrefixes.Now(c, asOf, clock, open);
        var estimate = model.Model.Estimate([prefix], null, model.Miss.Below, model.Miss.Above)[0];
        double? p = sla is { } h ? model.Model.ProbabilityBeyond([prefix], [h - prefix.ElapsedHours])[0] : null;
        return new CasePrediction(c.CaseId, asOf, prefix.LastActivity, prefix.ElapsedHours, prefix.InNodeHours, estimate, sla, p);
    }

    private static (IReadOnlyList<CaseTrace> Cases, BusinessClock Clock, DateTime Known) Load(EventStore s, ActiveProfile profile, CancellationToken cancellationToken)
    {
        var cases = new ProcessMiner(s).Traces(new MiningFilter { ExcludeActivities = profile.Profile.SideActivities }, cancellationToken)
            .Where(c => c.Events.Count > 0).OrderBy(c => c.Events[0].Utc).ToList();
        if (cases.Count < 200)
            throw RequestException.Invalid($"predict: the store holds {cases.Count} cases; remaining times are learnt from at least 200");
        var known = cases.Max(c => c.Events[^1].Utc);
        return (cases, BusinessClock.Build(profile.Calendar, cases[0].Events[0].Utc, DateTime.SpecifyKind(known, DateTimeKind.Utc).AddDays(60)), known);
    }

    private sealed record TrainedModel(RemainingTimeModel Model, Dictionary<string, double> Medians, double Median, int TrainCases, IReadOnlyList<CaseTrace> CalibrationCases)
    {
        /// <summary>The interval's miss levels below and above, adapted to the 26 weeks before the cut.</summary>
        public (double Below, double Above) Miss { get; init; } = (Nominal, Nominal);

        public double Baseline(string activity) => Medians.GetValueOrDefault(activity, Median);
    }

    /// <summary>The 98th percentile of how long cases last (wall clock), at most a quarter of the log's span.</summary>
    private static TimeSpan Horizon(IReadOnlyList<CaseTrace> cases, TimeSpan span)
    {
        var durations = cases.Select(c => (c.Events[^1].Utc - c.Events[0].Utc).TotalHours).Order().ToList();
        return TimeSpan.FromHours(Math.Min(DurationSummary.Quantile(durations, 0.98), span.TotalHours / 4));
    }

    /// <summary>
    /// Learns from the cases that started a horizon before the cut and ended before it: the earlier three quarters (by
    /// start) train, the last quarter calibrates.
    /// </summary>
    private static TrainedModel Train(IReadOnlyList<CaseTrace> cases, BusinessClock clock, DateTime cut, TimeSpan horizon)
    {
        var ended = cases.Where(c => c.Events[0].Utc < cut - horizon && c.Events[^1].Utc < cut).ToList();
        var open = CasePrefixes.OpenCounter(cases, cut);
        var split = (int)(ended.Count * 0.75);
        var train = Thin(CasePrefixes.Of(ended.Take(split), clock, StepHours, cut, open), MaxTrainPrefixes);
        var calibration = Thin(CasePrefixes.Of(ended.Skip(split), clock, StepHours, cut, open), MaxTrainPrefixes / 3);
        var medians = train.GroupBy(p => p.LastActivity, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => DurationSummary.Quantile(g.Select(p => p.RemainingHours).Order().ToList(), 0.5), StringComparer.Ordinal);
        RemainingTimeModel model;
        try
        {
            model = RemainingTimeModel.Train(train, calibration);
        }
        catch (ArgumentException ex)
        {
            throw RequestException.Invalid("predict: " + ex.Message);
        }
        var trained = new TrainedModel(model, medians, DurationSummary.Quantile(train.Select(p => p.RemainingHours).Order().ToList(), 0.5), ended.Count, ended.Skip(split).ToList());
        // The level for today: adaptive conformal inference replayed over the looks of the 26 weeks before the cut at
        // cases that have ended by it.
        var recent = cases.Where(c => c.Events[0].Utc >= cut - TimeSpan.FromDays(7 * 26) && c.Events[^1].Utc < cut).ToList();
        var looks = Thin(CasePrefixes.Of(recent, clock, StepHours, cut, open), MaxTrainPrefixes / 2);
        if (looks.Count == 0)
            return trained;
        var (_, _, miss) = Replay(trained, looks, trained.CalibrationCases.Concat(recent).DistinctBy(c => c.CaseId).ToList(), cases, clock, open, cut, null, (Nominal, Nominal));
        return trained with { Miss = miss };
    }

    private const double Nominal = 0.05; // each tail of a 90% interval
    private const double Step = 0.25;

    /// <summary>
    /// Estimates looks week by week in time order: each week calibrated on the residuals of the pool's cases that ended
    /// most recently before it (as many cases as the model was calibrated on), its intervals at miss levels that adaptive
    /// conformal inference (Gibbs and Candès 2021) moves after each week by half the gap between 10% and the share of the
    /// looks whose cases ended by then that fell outside (a look's miss is known only when its case ends), split evenly
    /// between the tails.
    /// </summary>
    private static (RemainingTimeEstimate[] Estimates, double[] Beyond, (double Below, double Above) Miss) Replay(TrainedModel model, List<CasePrefix> looks, IReadOnlyList<CaseTrace> pool,
        IReadOnlyList<CaseTrace> cases, BusinessClock clock, Func<DateTime, int> open, DateTime known, double? sla, (double Below, double Above) miss)
    {
        var endOf = cases.ToDictionary(c => c.CaseId, c => c.Events[^1].Utc, StringComparer.Ordinal);
        var poolLooks = Thin(CasePrefixes.Of(pool, clock, StepHours, known, open), MaxTrainPrefixes);
        var residuals = model.Model.Residuals(poolLooks).Select((r, i) => (r.Activity, r.Residual, End: endOf[poolLooks[i].CaseId], Case: poolLooks[i].CaseId))
            .OrderByDescending(r => r.End).ToList();
        var keep = model.CalibrationCases.Count;
        var estimates = new RemainingTimeEstimate[looks.Count];
        var beyond = new double[looks.Count];
        var waiting = new List<int>();
        foreach (var week in Enumerable.Range(0, looks.Count).GroupBy(i => Monday(looks[i].AtUtc)).OrderBy(g => g.Key))
        {
            // Feedback first: the looks whose cases ended before this week, scored at the level they were given.
            var resolved = waiting.Where(i => endOf[looks[i].CaseId] < week.Key).ToList();
            if (resolved.Count > 0)
            {
                var below = resolved.Count(i => looks[i].RemainingHours < estimates[i].LowHours) / (double)resolved.Count;
                var above = resolved.Count(i => looks[i].RemainingHours > estimates[i].HighHours) / (double)resolved.Count;
                // One level for both tails: adapting each tail on its own reacts to the misses of weeks ago and overshoots
                // (tried on DomesticDeclarations: 80.1% against 85.9%).
                var total = Math.Clamp(miss.Below + miss.Above + Step * (2 * Nominal - below - above), 0.002, 0.5);
                miss = (total / 2, total / 2);
                waiting.RemoveAll(i => endOf[looks[i].CaseId] < week.Key);
            }
            var latest = residuals.Where(r => r.End < week.Key).Select(r => r.Case).Distinct(StringComparer.Ordinal).Take(keep).ToHashSet(StringComparer.Ordinal);
            var calibration = latest.Count == 0 ? null : RemainingTimeModel.Calibration.Of(residuals.Where(r => r.End < week.Key && latest.Contains(r.Case)).Select(r => (r.Activity, r.Residual)));
            var these = week.Select(i => looks[i]).ToList();
            var e = model.Model.Estimate(these, calibration, miss.Below, miss.Above);
            var b = sla is { } h ? model.Model.ProbabilityBeyond(these, these.Select(p => h - p.ElapsedHours).ToList(), calibration) : null;
            var k = 0;
            foreach (var i in week)
            {
                estimates[i] = e[k];
                beyond[i] = b?[k] ?? double.NaN;
                k++;
                waiting.Add(i);
            }
        }
        return (estimates, beyond, miss);
    }

    // Every k-th prefix, so that a large log trains in bounded time; the order (by case start) is kept.
    private static List<CasePrefix> Thin(List<CasePrefix> prefixes, int most)
    {
        if (prefixes.Count <= most)
            return prefixes;
        var k = (double)prefixes.Count / most;
        return Enumerable.Range(0, most).Select(i => prefixes[(int)(i * k)]).ToList();
    }

    private static DateTime Monday(DateTime utc) => utc.Date.AddDays(-(((int)utc.DayOfWeek + 6) % 7));

    private static SlaWarnings Warnings(IReadOnlyList<CaseTrace> test, IReadOnlyList<CasePrefix> prefixes, double[] beyond, double sla, double warnAt, BusinessClock clock)
    {
        var byCase = prefixes.Select((p, i) => (p, i)).GroupBy(x => x.p.CaseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.p.AtUtc).ToList(), StringComparer.Ordinal);
        int breached = 0, warnedEarly = 0, warned = 0, warnedAndBreached = 0;
        foreach (var c in test)
        {
            var total = (clock.SecondsAt(c.Events[^1].Utc) - clock.SecondsAt(c.Events[0].Utc)) / 3600;
            var isBreach = total > sla;
            breached += isBreach ? 1 : 0;
            if (!byCase.TryGetValue(c.CaseId, out var looks))
                continue;
            var before = looks.Where(x => x.p.ElapsedHours < sla).ToList();
            var first = before.FindIndex(x => beyond[x.i] >= warnAt);
            if (first < 0)
                continue;
            warned++;
            if (!isBreach)
                continue;
            warnedAndBreached++;
            if (sla - before[first].p.ElapsedHours >= 8)
                warnedEarly++;
        }
        return new SlaWarnings(sla, warnAt, breached, warnedEarly, warned, warnedAndBreached);
    }
}

/// <summary>A case's prediction.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="AsOfUtc">The instant it is made for (now, or the newest event of a log that is history).</param>
/// <param name="LastActivity">Where the case stands.</param>
/// <param name="ElapsedHours">Business hours since its first event.</param>
/// <param name="InNodeHours">Business hours since its last event.</param>
/// <param name="Remaining">Remaining business hours: median and 90% interval.</param>
/// <param name="SlaHours">The SLA, or null without one.</param>
/// <param name="BreachProbability">The chance of needing more than what is left of the SLA, or null without one.</param>
public sealed record CasePrediction(string CaseId, DateTime AsOfUtc, string LastActivity, double ElapsedHours, double InNodeHours, RemainingTimeEstimate Remaining, double? SlaHours, double? BreachProbability);

/// <summary>How well remaining times are predicted on the last quarter of the log.</summary>
/// <param name="Cases">Cases in the store.</param>
/// <param name="TrainCases">Ended cases learnt from (before the test period).</param>
/// <param name="TestFromUtc">Start of the test period (cases starting from then).</param>
/// <param name="TestCases">Ended cases of the test period.</param>
/// <param name="TestPrefixes">Looks at them (at each event and every 4 hours between).</param>
/// <param name="MaeHours">Mean absolute error of the model's median, business hours.</param>
/// <param name="BaselineMaeHours">The same for the median remaining time per node (the baseline).</param>
/// <param name="Coverage">Share of looks whose remaining time lay in the 90% interval.</param>
/// <param name="MedianWidthHours">Median width of the intervals.</param>
/// <param name="Warnings">Early warnings at the profile's SLA, or null without one.</param>
public sealed record PredictionEvaluation(int Cases, int TrainCases, DateTime TestFromUtc, int TestCases, int TestPrefixes, double MaeHours, double BaselineMaeHours, double Coverage,
    double MedianWidthHours, SlaWarnings? Warnings)
{
    /// <summary>Share of looks whose remaining time lay above the interval (the rest of the misses lay below).</summary>
    public double Above { get; init; }

    /// <summary>The miss levels (below, above) adaptive conformal inference had reached at the cut, from the 26 weeks before it (5% each without drift).</summary>
    public (double Below, double Above) StartMiss { get; init; }

    /// <summary>The levels it had reached at the end of the test period.</summary>
    public (double Below, double Above) EndMiss { get; init; }
}

/// <summary>Early warnings replayed on the test period: a case is warned at its first look with a breach probability at or above the threshold.</summary>
/// <param name="SlaHours">The SLA.</param>
/// <param name="WarnAt">The threshold.</param>
/// <param name="Breached">Test cases that breached it.</param>
/// <param name="WarnedEarly">Of those, warned at least 8 business hours before the breach.</param>
/// <param name="Warned">Cases warned.</param>
/// <param name="WarnedAndBreached">Of those, cases that did breach.</param>
public sealed record SlaWarnings(double SlaHours, double WarnAt, int Breached, int WarnedEarly, int Warned, int WarnedAndBreached);
