namespace Analytics.Core.Mining;

/// <summary>An edge of the directly-follows graph: <see cref="To"/> directly followed <see cref="From"/> in a case.</summary>
/// <param name="From">The earlier activity.</param>
/// <param name="To">The activity that followed it directly.</param>
/// <param name="Count">How many times.</param>
/// <param name="Cases">In how many distinct cases.</param>
/// <param name="WallClock">Time between the two events on the wall clock.</param>
/// <param name="Business">The same in business seconds, measured with the calendar of <see cref="To"/>'s role or resource; <c>null</c> without a calendar.</param>
public sealed record DfgEdge(string From, string To, long Count, long Cases, DurationSummary WallClock, DurationSummary? Business);
