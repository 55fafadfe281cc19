namespace Analytics.Core.Spc;

/// <summary>The control charts the engine draws.</summary>
public enum ChartKind
{
    /// <summary>Individuals with a moving-range companion; σ from the mean moving range / d2(2).</summary>
    IndividualsMovingRange,
    /// <summary>Subgroup means with a range companion; σ = mean of Rᵢ/d2(nᵢ) (UWAVE-R).</summary>
    XbarR,
    /// <summary>Subgroup means with a standard-deviation companion; σ = mean of Sᵢ/c4(nᵢ) (UWAVE-SD).</summary>
    XbarS,
    /// <summary>Proportion defective, limits varying with subgroup size.</summary>
    P,
    /// <summary>Number defective.</summary>
    Np,
    /// <summary>Count of defects per subgroup.</summary>
    C,
    /// <summary>Defects per unit, limits varying with size.</summary>
    U,
    /// <summary>Laney's P′: a P chart whose limits are widened by the between-subgroup variation σ_z (for large subgroups).</summary>
    LaneyP,
    /// <summary>Exponentially weighted moving average of subgroup means.</summary>
    Ewma,
    /// <summary>Tabular CUSUM of standardised subgroup means.</summary>
    Cusum,
    /// <summary>Number of opportunities (e.g. orders) between rare events; geometric probability limits.</summary>
    G,
    /// <summary>Time between rare events; exponential probability limits.</summary>
    T,
}

/// <summary>Chart names as used on the command line and in JSON.</summary>
public static class ChartKinds
{
    private static readonly Dictionary<string, ChartKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["imr"] = ChartKind.IndividualsMovingRange, ["i-mr"] = ChartKind.IndividualsMovingRange, ["xbar-r"] = ChartKind.XbarR,
        ["xbar-s"] = ChartKind.XbarS, ["p"] = ChartKind.P, ["np"] = ChartKind.Np, ["c"] = ChartKind.C, ["u"] = ChartKind.U,
        ["laney-p"] = ChartKind.LaneyP, ["ewma"] = ChartKind.Ewma, ["cusum"] = ChartKind.Cusum, ["g"] = ChartKind.G, ["t"] = ChartKind.T,
    };

    /// <summary>The names <see cref="TryParse"/> accepts.</summary>
    public static string Names => "imr, xbar-r, xbar-s, p, np, c, u, laney-p, ewma, cusum, g, t";

    /// <summary>Parses a chart name such as <c>xbar-r</c>.</summary>
    public static bool TryParse(string name, out ChartKind kind) => ByName.TryGetValue(name, out kind);

    /// <summary>The chart's canonical name.</summary>
    public static string Name(ChartKind kind) => kind switch
    {
        ChartKind.IndividualsMovingRange => "imr",
        ChartKind.XbarR => "xbar-r",
        ChartKind.XbarS => "xbar-s",
        ChartKind.LaneyP => "laney-p",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Attribute charts take a count and a size per subgroup rather than observations.</summary>
    public static bool IsAttribute(ChartKind kind) => kind is ChartKind.P or ChartKind.Np or ChartKind.C or ChartKind.U or ChartKind.LaneyP;
}
