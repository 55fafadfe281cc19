namespace Analytics.Core.Simulation;

/// <summary>A special-price order (filing) with the attributes known when it is filed, and its hidden truth.</summary>
public sealed class Order
{
    /// <summary>Case id, e.g. SP-0000123.</summary>
    public required string CaseId { get; init; }
    /// <summary>When the sales rep filed it.</summary>
    public required DateTime FiledUtc { get; init; }
    /// <summary>Order amount in CNY.</summary>
    public required double Amount { get; init; }
    /// <summary>List price of the order in CNY.</summary>
    public required double ListPrice { get; init; }
    /// <summary>Floor price (lowest price a price desk may grant without escalation) in CNY.</summary>
    public required double FloorPrice { get; init; }
    /// <summary>Discount below list, percent.</summary>
    public required double DiscountPct { get; init; }
    /// <summary>Product line.</summary>
    public required string ProductLine { get; init; }
    /// <summary>Whether the order holds a controlled product (today: always reviewed by a PM).</summary>
    public required bool Controlled { get; init; }
    /// <summary>Customer segment.</summary>
    public required string Segment { get; init; }
    /// <summary>Customer industry.</summary>
    public required string Industry { get; init; }
    /// <summary>Sales region.</summary>
    public required string Region { get; init; }
    /// <summary>The filing sales rep.</summary>
    public required string SalesRep { get; init; }
    /// <summary>direct or partner.</summary>
    public required string Channel { get; init; }
    /// <summary>Whether a competitor bids too.</summary>
    public required bool CompetitorPresent { get; init; }
    /// <summary>Bid status at filing: pending or won.</summary>
    public required string BidStatus { get; init; }
    /// <summary>When the contract is (to be) signed.</summary>
    public required DateTime ContractDateUtc { get; init; }

    /// <summary>Truth: a PM would reject or change the price (only ever true for controlled orders).</summary>
    public required bool PmReviewNeeded { get; init; }
    /// <summary>Truth: the model's probability behind <see cref="PmReviewNeeded"/>.</summary>
    public required double PmReviewProbability { get; init; }
    /// <summary>Truth: the defects injected into this order's events or attributes.</summary>
    public List<string> Defects { get; } = [];

    /// <summary>Outcome, set by the simulation: routed to a PM at least once.</summary>
    public bool RoutedToPm { get; set; }
    /// <summary>Outcome: placed, withdrawn or rejected.</summary>
    public string Outcome { get; set; } = "open";
    /// <summary>Outcome: when the case ended.</summary>
    public DateTime? EndedUtc { get; set; }
}
