namespace Analytics.Core.Mining;

/// <summary>Rework in a log: activities repeated within a case, and rejection → resubmission loops.</summary>
/// <param name="Cases">Cases considered.</param>
/// <param name="FirstPassYield">Share of cases with no repeated activity and no rejection, 0–1.</param>
/// <param name="CasesWithRework">Cases with at least one repeated activity.</param>
/// <param name="CasesWithRejection">Cases with at least one rejection activity.</param>
/// <param name="RejectionLoops">Rejections followed later in the case by a repeat of an activity seen before the rejection.</param>
/// <param name="Activities">Per activity: cases in which it repeats and the extra occurrences.</param>
public sealed record ReworkSummary(long Cases, double FirstPassYield, long CasesWithRework, long CasesWithRejection, long RejectionLoops,
    IReadOnlyList<RepeatedActivity> Activities);

/// <summary>An activity that occurs more than once in some cases.</summary>
/// <param name="Activity">The activity.</param>
/// <param name="Cases">Cases in which it occurs more than once.</param>
/// <param name="ExtraOccurrences">Occurrences beyond the first, summed over cases.</param>
public sealed record RepeatedActivity(string Activity, long Cases, long ExtraOccurrences);
