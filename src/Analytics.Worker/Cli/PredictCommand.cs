using System.CommandLine;
using System.Globalization;
using Analytics.Application.Prediction;

namespace Analytics.Worker.Cli;

/// <summary><c>analytics predict</c>: an open case's remaining business time and its chance of breaching the SLA, or how well that is predicted.</summary>
internal static class PredictCommand
{
    public const string Name = "predict";

    public const string Description = "How long an open case will still take (business hours, with a 90% interval) and its chance of breaching the SLA; --evaluate measures it on the last quarter of the log.";

    public static Command Create(CliContext context)
    {
        var caseId = Options.Text("--case", "The open case to predict.", "ID");
        var evaluate = Options.Flag("--evaluate", "Train on the first three quarters of the log and measure on the last: mean absolute error against the median per node, interval coverage, early warnings at the profile's SLA.");
        var warnAt = Options.Number("--warn-at", "With --evaluate: warn a case once its breach probability reaches this (default 0.5).", "P");
        var command = new Command(Name, Description) { caseId, evaluate, warnAt };
        command.SetAction(async (parse, ct) =>
        {
            using var store = context.Store(parse);
            var service = new PredictionService(store, context.Time);
            if (parse.GetValue(evaluate))
            {
                var threshold = parse.GetValue(warnAt) ?? 0.5;
                if (!(threshold is > 0 and < 1))
                {
                    context.Error.WriteLine($"analytics: --warn-at {threshold}: give a probability between 0 and 1 (e.g. 0.5)");
                    return ExitCodes.Usage;
                }
                var measured = await service.EvaluateAsync(threshold, ct);
                return context.Report(parse, measured, m =>
                {
                    var o = context.Out;
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on {m.TrainCases:N0} ended cases; tested on the {m.TestCases:N0} cases started from {m.TestFromUtc:yyyy-MM-dd} ({m.TestPrefixes:N0} looks: at each event and every 4 hours between)"));
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean absolute error of the remaining business hours: {m.MaeHours:F1} h (median per node: {m.BaselineMaeHours:F1} h, {(m.BaselineMaeHours - m.MaeHours) / m.BaselineMaeHours:0%} less)"));
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"90% intervals: {m.Coverage:0.0%} of the remaining times inside ({m.Above:0.0%} above, {1 - m.Coverage - m.Above:0.0%} below); median width {m.MedianWidthHours:F1} h; levels of the tails adapted from {m.StartMiss.Below:0.0%} below and {m.StartMiss.Above:0.0%} above at the cut to {m.EndMiss.Below:0.0%} and {m.EndMiss.Above:0.0%}"));
                    if (m.Warnings is { } w)
                        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"early warnings at p ≥ {w.WarnAt:0.##} for the {w.SlaHours:0.#} h SLA: {w.Breached:N0} test cases breached it, {Share(w.WarnedEarly, w.Breached)} of them warned at least 8 business hours before; {w.Warned:N0} warnings, {Share(w.WarnedAndBreached, w.Warned)} of them followed by a breach"));
                    else
                        o.WriteLine("no SLA in the profile (sla.caseHours): no early warnings to measure");
                });
            }
            if (parse.GetValue(caseId) is not { } id)
            {
                context.Error.WriteLine("analytics: predict needs --case ID (an open case), or --evaluate");
                return ExitCodes.Usage;
            }
            var result = await service.PredictAsync(id, ct);
            return context.Report(parse, result, p =>
            {
                var e = p.Remaining;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.CaseId} as of {p.AsOfUtc:yyyy-MM-dd HH:mm} UTC: after {p.LastActivity}, {p.ElapsedHours:F1} business hours so far ({p.InNodeHours:F1} h since that step)"));
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"still to go: about {e.MedianHours:F1} business hours (90%: {e.LowHours:F1}–{e.HighHours:F1} h)"));
                if (p.SlaHours is { } sla && p.ElapsedHours >= sla)
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"already past the {sla:0.#} h SLA ({p.ElapsedHours - sla:F1} business hours over)"));
                else if (p.SlaHours is { } s2 && p.BreachProbability is { } b)
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chance of breaching the {s2:0.#} h SLA: {b:0%} ({s2 - p.ElapsedHours:F1} business hours of it left)"));
            });
        });
        return command;
    }

    private static string Share(int part, int whole) => whole == 0 ? "–" : ((double)part / whole).ToString("0%", CultureInfo.InvariantCulture);
}
