namespace Analytics.Core.Spc;

/// <summary>A computed control chart.</summary>
/// <param name="Kind">Which chart.</param>
/// <param name="Transform">The transform applied to the observations: <c>none</c>, <c>log</c> or <c>boxcox(λ)</c>.</param>
/// <param name="Center">Centre line (for charts whose centre varies with size, the Phase I centre of the rate or mean).</param>
/// <param name="Sigma">The process σ estimated from Phase I (within-subgroup for variables charts; σ_z for Laney P′).</param>
/// <param name="Points">The plotted points, Phase I then Phase II.</param>
/// <param name="Dispersion">The companion chart of ranges, standard deviations or moving ranges, if any.</param>
public sealed record ControlChart(ChartKind Kind, string Transform, double Center, double Sigma, IReadOnlyList<ChartPoint> Points, ControlChart? Dispersion)
{
    /// <summary>The chart's name, e.g. <c>xbar-r</c>, or <c>r</c>/<c>s</c>/<c>mr</c> for a companion.</summary>
    public string Name { get; init; } = ChartKinds.Name(Kind);

    /// <summary>Observations of Phase I after the transform, for capability analysis.</summary>
    public IReadOnlyList<double> PhaseOneObservations { get; init; } = [];
}
