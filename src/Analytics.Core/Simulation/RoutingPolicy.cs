namespace Analytics.Core.Simulation;

/// <summary>Which orders the PM node receives.</summary>
public abstract record RoutingPolicy
{
    /// <summary>Today's rule: every order with a controlled product goes to a PM.</summary>
    public static RoutingPolicy AsIs { get; } = new ControlledProductsPolicy();

    /// <summary>Whether this order goes to a PM.</summary>
    public abstract bool RoutesToPm(Order order, Sampler sampler);

    /// <summary>Parses <c>as-is</c>, <c>share:0.15</c> (that share of all orders, drawn at random among controlled ones) or <c>score:0.3</c> (a score threshold).</summary>
    public static RoutingPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 2);
        double Value() => parts.Length == 2 && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1
            ? v : throw new FormatException($"routing '{text}': expected a number in [0, 1] after ':'");
        return parts[0] switch
        {
            "as-is" => AsIs,
            "share" => new FixedSharePolicy(Value()),
            "score" => new ScoreThresholdPolicy(Value()),
            _ => throw new FormatException($"unknown routing '{text}' (as-is, share:S, score:T)"),
        };
    }

    private sealed record ControlledProductsPolicy : RoutingPolicy
    {
        public override bool RoutesToPm(Order order, Sampler sampler) => order.Controlled;

        public override string ToString() => "as-is";
    }
}

/// <summary>A fixed share of <em>all</em> orders goes to a PM, drawn at random among controlled-product orders.</summary>
/// <param name="Share">Share of all orders (e.g. 0.15).</param>
public sealed record FixedSharePolicy(double Share) : RoutingPolicy
{
    /// <inheritdoc />
    public override bool RoutesToPm(Order order, Sampler sampler)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(sampler);
        // Of the controlled orders (43% of all), route Share/0.43 of them.
        return order.Controlled && sampler.Chance(Share / 0.43);
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"share:{Share}");
}

/// <summary>Controlled orders whose score reaches a threshold go to a PM. The demo's score is the truth probability blurred with noise, standing in for a model.</summary>
/// <param name="Threshold">Score threshold in [0, 1].</param>
public sealed record ScoreThresholdPolicy(double Threshold) : RoutingPolicy
{
    /// <summary>Scores an order; by default a noisy view of the true review probability.</summary>
    public Func<Order, Sampler, double> Score { get; init; } = (o, s) => Math.Clamp(o.PmReviewProbability + 0.08 * s.Normal(), 0, 1);

    /// <inheritdoc />
    public override bool RoutesToPm(Order order, Sampler sampler)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Controlled && Score(order, sampler) >= Threshold;
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"score:{Threshold}");
}
