namespace Analytics.Core.Mining;

/// <summary>Time spent at one node (activity), optionally for one role or resource.</summary>
/// <param name="Node">The activity.</param>
/// <param name="Role">The role, or <c>null</c> for all roles.</param>
/// <param name="Resource">The resource, or <c>null</c> for all resources.</param>
/// <param name="Waiting">Waiting before the node: time since the previous event of the case.</param>
/// <param name="BusinessWaiting">The same in business seconds; <c>null</c> without a calendar.</param>
/// <param name="Processing">From start to complete, where the log has both lifecycles; <c>null</c> otherwise.</param>
/// <param name="WaitingShare">This node's share of all waiting time (wall clock, or business when a calendar is given), 0–1.</param>
public sealed record NodeLatency(string Node, string? Role, string? Resource, DurationSummary Waiting, DurationSummary? BusinessWaiting,
    DurationSummary? Processing, double WaitingShare);
