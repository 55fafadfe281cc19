namespace Analytics.Core.Spc;

/// <summary>How a chart is computed.</summary>
public sealed record ChartOptions
{
    /// <summary>The first this many subgroups are Phase I (they estimate the limits); <c>null</c> means all.</summary>
    public int? PhaseOneCount { get; init; }

    /// <summary>Drop Phase I points that signal test 1 and re-estimate the limits, repeating until none is left (at most 10 rounds).</summary>
    public bool ExcludeSignalledPhaseOnePoints { get; init; }

    /// <summary>Width of the control limits in σ (3).</summary>
    public double Sigmas { get; init; } = 3;

    /// <summary>Tests for special causes (Minitab's defaults).</summary>
    public SpecialCauseTests Tests { get; init; } = SpecialCauseTests.Minitab;

    /// <summary>Transform of the observations before charting (variables charts only).</summary>
    public TransformKind Transform { get; init; } = TransformKind.None;

    /// <summary>A fixed Box-Cox λ; <c>null</c> estimates it by maximum likelihood on Phase I.</summary>
    public double? BoxCoxLambda { get; init; }

    /// <summary>Round the estimated λ to the nearest 0.5 (as Minitab offers), for a readable transform.</summary>
    public bool RoundBoxCoxLambda { get; init; }

    /// <summary>EWMA weight λ (0.2).</summary>
    public double EwmaLambda { get; init; } = 0.2;

    /// <summary>CUSUM decision interval h in standard errors (4).</summary>
    public double CusumH { get; init; } = 4;

    /// <summary>CUSUM reference value k in standard errors (0.5).</summary>
    public double CusumK { get; init; } = 0.5;

    /// <summary>Tail probability of each probability limit of G and T charts (0.00135, as ±3σ of a normal).</summary>
    public double ProbabilityLimitTail { get; init; } = 0.00135;
}

/// <summary>Transforms for skewed data.</summary>
public enum TransformKind
{
    /// <summary>No transform.</summary>
    None,
    /// <summary>Natural logarithm.</summary>
    Log,
    /// <summary>Box-Cox, (x^λ − 1)/λ (log at λ = 0).</summary>
    BoxCox,
}
