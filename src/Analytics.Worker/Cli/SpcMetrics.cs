using Analytics.Core.Spc;

namespace Analytics.Worker.Cli;

/// <summary>Subgroups of approval metrics from the store for <c>analytics spc --metric</c>.</summary>
internal static class SpcMetrics
{
    public static (IReadOnlyList<Subgroup>, ChartOptions) Subgroups(CommandLine line, VerbContext context, ChartKind kind, ChartOptions options) =>
        throw new UsageException("--metric is not available yet");
}
