namespace Analytics.Core.Spc;

/// <summary>One plotted subgroup: the observations of a variables chart, or the count and size of an attribute chart.</summary>
/// <param name="Label">Shown on the axis (a date, a week, a sample number).</param>
/// <param name="Values">Observations (X̄, I, EWMA, CUSUM, G, T charts); for attribute charts a single count.</param>
/// <param name="Size">For P, NP and Laney P′ the number inspected; for U the inspection units; otherwise ignored.</param>
public sealed record Subgroup(string Label, IReadOnlyList<double> Values, double Size = 1);
