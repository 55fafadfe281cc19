namespace Analytics.Core.Spc;

/// <summary>Names of the signals a point can carry, one per test, and what each means in a sentence.</summary>
public static class Signals
{
    /// <summary>Test 1.</summary>
    public const string BeyondLimits = "beyond-limits";
    /// <summary>Test 2.</summary>
    public const string Run = "run";
    /// <summary>Test 3.</summary>
    public const string Trend = "trend";
    /// <summary>Test 4.</summary>
    public const string Alternating = "alternating";
    /// <summary>Test 5.</summary>
    public const string ZoneA = "zone-a";
    /// <summary>Test 6.</summary>
    public const string ZoneB = "zone-b";
    /// <summary>Test 7.</summary>
    public const string Stratification = "stratification";
    /// <summary>Test 8.</summary>
    public const string Mixture = "mixture";
    /// <summary>CUSUM upper sum above h.</summary>
    public const string CusumUpper = "cusum-upper";
    /// <summary>CUSUM lower sum above h.</summary>
    public const string CusumLower = "cusum-lower";

    /// <summary>The Nelson test number of a signal (1–8), or 1 for CUSUM signals (an out-of-control decision).</summary>
    public static int TestNumber(string signal) => signal switch
    {
        BeyondLimits or CusumUpper or CusumLower => 1,
        Run => 2,
        Trend => 3,
        Alternating => 4,
        ZoneA => 5,
        ZoneB => 6,
        Stratification => 7,
        Mixture => 8,
        _ => 0,
    };

    /// <summary>A sentence for a person: what the signal says about the process.</summary>
    public static string Describe(string signal, SpecialCauseTests tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        return signal switch
        {
            BeyondLimits => "a point beyond the control limits",
            Run => $"{tests.RunLength} points in a row on one side of the centre line",
            Trend => $"{tests.TrendLength} points in a row steadily rising or falling",
            Alternating => $"{tests.AlternatingLength} points in a row alternating up and down",
            ZoneA => $"{tests.ZoneACount} of {tests.ZoneACount + 1} points beyond 2σ on one side",
            ZoneB => $"{tests.ZoneBCount} of {tests.ZoneBCount + 1} points beyond 1σ on one side",
            Stratification => $"{tests.StratificationLength} points in a row within 1σ (too little variation)",
            Mixture => $"{tests.MixtureLength} points in a row beyond 1σ on either side",
            CusumUpper => "the upper cumulative sum crossed the decision interval (a sustained upward shift)",
            CusumLower => "the lower cumulative sum crossed the decision interval (a sustained downward shift)",
            _ => signal,
        };
    }
}
