using System.Globalization;

namespace Analytics.Core.Simulation;

/// <summary>
/// Draws orders and their hidden truth. Whether a PM would change or reject an order depends on its attributes in a
/// learnable but noisy, non-linear way: discount below the floor, deep discounts, competitors at carriers and
/// government, the rep's own (hidden) aggressiveness, education deals in the summer peak, large amounts, and an
/// interaction of product line and region.
/// </summary>
public sealed class OrderFactory
{
    internal static readonly string[] ControlledLines = ["Optical transport", "Security appliances", "Data-center fabric"];
    internal static readonly string[] OpenLines = ["Routers", "Campus switches", "Wireless", "IP phones"];
    private static readonly string[] Segments = ["enterprise", "carrier", "government", "education", "smb"];
    private static readonly double[] SegmentWeights = [0.35, 0.2, 0.15, 0.15, 0.15];
    internal static readonly string[] Regions = ["East", "North", "South", "West", "Central"];
    internal static readonly double[] RegionWeights = [0.3, 0.25, 0.25, 0.1, 0.1];
    private readonly ApprovalProcessModel _model;
    private readonly Sampler _sampler;
    private readonly (string Name, string Region, double Aggressiveness)[] _reps;
    private readonly Dictionary<string, double> _floorDiscount = new()
    {
        ["Optical transport"] = 22, ["Security appliances"] = 18, ["Data-center fabric"] = 25,
        ["Routers"] = 20, ["Campus switches"] = 24, ["Wireless"] = 26, ["IP phones"] = 30,
    };
    private int _next;

    /// <summary>Creates the factory; the sales force (120 reps with hidden aggressiveness) is drawn from the sampler.</summary>
    public OrderFactory(ApprovalProcessModel model, Sampler sampler)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampler);
        _model = model;
        _sampler = sampler;
        _reps = Enumerable.Range(1, 120)
            .Select(i => ($"rep-{i:000}", Regions[sampler.Choose(RegionWeights)], 0.8 * sampler.Normal()))
            .ToArray();
    }

    /// <summary>Draws one order filed at the given instant.</summary>
    /// <param name="filedUtc">Filing instant.</param>
    /// <param name="summerPeak">Whether the filing falls in the July–August education peak.</param>
    public Order Create(DateTime filedUtc, bool summerPeak)
    {
        var s = _sampler;
        var weights = SegmentWeights.ToArray();
        if (summerPeak)
            weights[3] *= 3;
        var segment = Segments[s.Choose(weights)];
        var controlled = s.Chance(_model.ControlledShare);
        var line = controlled ? ControlledLines[s.Next(ControlledLines.Length)] : OpenLines[s.Next(OpenLines.Length)];
        var rep = _reps[s.Next(_reps.Length)];
        var competitor = s.Chance(segment is "carrier" or "government" ? 0.55 : 0.3);
        var amount = Math.Round(s.LogNormal(segment == "carrier" ? 900_000 : 300_000, 1.3) / 100) * 100;
        var discount = Math.Clamp(Math.Round(4 + s.LogNormal(11, 0.55) + 4 * (competitor ? 1 : 0) + 3 * rep.Aggressiveness, 1), 1, 60);
        var listPrice = Math.Round(amount / (1 - discount / 100), 0);
        var floorDiscount = _floorDiscount[line];
        var floorPrice = Math.Round(listPrice * (1 - floorDiscount / 100), 0);
        var channel = s.Chance(0.6) ? "direct" : "partner";
        var bid = s.Chance(0.4) ? "won" : "pending";
        var industry = segment switch
        {
            "carrier" => "telecom",
            "government" => "public sector",
            "education" => "education",
            "enterprise" => new[] { "finance", "manufacturing", "energy", "retail" }[s.Next(4)],
            _ => new[] { "retail", "services" }[s.Next(2)],
        };
        var afterContract = s.Chance(_model.FilingAfterContractRate);
        var contract = afterContract ? filedUtc.AddDays(-s.Uniform(1, 20)) : filedUtc.AddDays(s.Uniform(10, 60));

        var probability = 0.0;
        if (controlled)
        {
            var logit = _model.ReviewNeedIntercept
                + 4.8 * (amount < floorPrice ? 1 : 0)
                + 0.17 * (discount - 15)
                + 3.1 * (competitor && segment is "carrier" or "government" ? 1 : 0)
                + 2.2 * rep.Aggressiveness
                + 2.8 * (summerPeak && segment == "education" ? 1 : 0)
                + 1.4 * (amount > 800_000 ? 1 : 0)
                - 1.7 * (channel == "direct" && bid == "won" ? 1 : 0)
                + 3.6 * (line == "Optical transport" && rep.Region == "West" ? 1 : 0)
                + 0.2 * s.Normal();
            probability = 1 / (1 + Math.Exp(-logit));
        }
        var order = new Order
        {
            CaseId = string.Create(CultureInfo.InvariantCulture, $"{_model.CaseIdPrefix}{++_next:0000000}"),
            FiledUtc = filedUtc,
            Amount = amount,
            ListPrice = listPrice,
            FloorPrice = floorPrice,
            DiscountPct = discount,
            ProductLine = line,
            Controlled = controlled,
            Segment = segment,
            Industry = industry,
            Region = rep.Region,
            SalesRep = rep.Name,
            Channel = channel,
            CompetitorPresent = competitor,
            BidStatus = bid,
            ContractDateUtc = contract,
            PmReviewNeeded = controlled && s.Chance(probability),
            PmReviewProbability = probability,
        };
        if (afterContract)
            order.Defects.Add("filing-after-contract");
        return order;
    }
}
