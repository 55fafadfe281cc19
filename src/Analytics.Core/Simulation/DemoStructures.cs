using System.Globalization;

namespace Analytics.Core.Simulation;

/// <summary>
/// Shapes of the demo process beyond the default one, so that what-if discovery and back-tests can be checked against a
/// known truth on processes structured unlike it: approver pools per region and per product line, approvers keeping
/// several orders open, an order desk that is a system account, approvers with their own hours.
/// </summary>
public static class DemoStructures
{
    /// <summary>The named structures: <c>standard</c>, <c>segmented</c>, <c>multitasking</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["standard", "segmented", "multitasking"];

    /// <summary>Applies a named structure to a model.</summary>
    /// <param name="model">The model to change.</param>
    /// <param name="name">
    /// <c>standard</c>: one pool per role, one order at a time, everyone on the calendar.
    /// <c>segmented</c>: a regional manager pool per region and a PM pool per product line, an order desk booking
    /// approved orders as a system account in hourly batches, and approvers' own hours (early, late, four days).
    /// <c>multitasking</c>: regional managers and the price desk keep up to 2 orders open at once, PMs up to 3.
    /// </param>
    /// <exception cref="FormatException">An unknown name.</exception>
    public static ApprovalProcessModel Apply(ApprovalProcessModel model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        return name switch
        {
            "standard" => model,
            "segmented" => WithPools(model, p => p.Role switch
            {
                "REGIONAL_MANAGER" => p with { SplitBy = "region" },
                "PRODUCT_MANAGER" => p with { SplitBy = "product_line" },
                _ => p,
            }) with { OrderDesk = true, ApproverHours = ApproverHours.Varied },
            "multitasking" => WithPools(model, p => p.Role switch
            {
                "REGIONAL_MANAGER" or "PRICE_DESK" => p with { Multitasking = 2 },
                "PRODUCT_MANAGER" => p with { Multitasking = 3 },
                _ => p,
            }),
            _ => throw new FormatException($"unknown structure '{name}' ({string.Join(", ", Names)})"),
        };
    }

    /// <summary>Sets how many orders approvers keep open: <c>3</c> for every role, or <c>ROLE=K,…</c>.</summary>
    /// <exception cref="FormatException">Not a count, or a role the model has no pool for.</exception>
    public static ApprovalProcessModel WithMultitasking(ApprovalProcessModel model, string spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out var all))
            return all is >= 1 and <= 20 ? WithPools(model, p => p with { Multitasking = all }) : throw new FormatException($"'{spec}': orders open at once must be 1–20");
        var pairs = Pairs(model, spec, v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 20, "a count 1–20");
        return WithPools(model, p => pairs.TryGetValue(p.Role, out var k) ? p with { Multitasking = int.Parse(k, CultureInfo.InvariantCulture) } : p);
    }

    /// <summary>Splits pools by an order attribute: <c>ROLE=region</c> or <c>ROLE=product_line</c>, comma-separated.</summary>
    /// <exception cref="FormatException">An unknown role or attribute.</exception>
    public static ApprovalProcessModel WithPoolsBy(ApprovalProcessModel model, string spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var pairs = Pairs(model, spec, v => v is "region" or "product_line", "region or product_line");
        return WithPools(model, p => pairs.TryGetValue(p.Role, out var by) ? p with { SplitBy = by } : p);
    }

    private static Dictionary<string, string> Pairs(ApprovalProcessModel model, string spec, Func<string, bool> valid, string expected)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new FormatException($"'{part}': expected ROLE=VALUE (roles: {string.Join(", ", model.Pools.Select(p => p.Role))})");
            var role = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (!model.Pools.Any(p => p.Role == role))
                throw new FormatException($"'{role}' is not a role with approvers (roles: {string.Join(", ", model.Pools.Select(p => p.Role))})");
            if (!valid(value))
                throw new FormatException($"'{part}': {expected} after '='");
            result[role] = value;
        }
        return result;
    }

    private static ApprovalProcessModel WithPools(ApprovalProcessModel model, Func<ApproverPool, ApproverPool> change) =>
        model with { Pools = [.. model.Pools.Select(change)] };
}
