namespace Analytics.Core.Routing;

/// <summary>
/// Platt scaling: p = 1/(1 + exp(a·s + b)) fitted by maximum likelihood (Newton's method, with Platt's 1999 target
/// smoothing) on a calibration set held out from training, so the probabilities mean what they say.
/// </summary>
/// <param name="A">Slope.</param>
/// <param name="B">Intercept.</param>
public sealed record PlattScaling(double A, double B)
{
    /// <summary>The logistic of the raw score itself (a = −1, b = 0): for models whose ranking alone is used.</summary>
    public static PlattScaling Identity { get; } = new(-1, 0);

    /// <summary>The calibrated probability of a raw score.</summary>
    public double Probability(double score) => 1 / (1 + Math.Exp(A * score + B));

    /// <summary>Fits the scaling.</summary>
    public static PlattScaling Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (negatives + 2.0);
        double a = 0, b = Math.Log((negatives + 1.0) / (positives + 1.0));
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
            for (var i = 0; i < scores.Count; i++)
            {
                var t = labels[i] ? hi : lo;
                var p = 1 / (1 + Math.Exp(a * scores[i] + b));
                var d = p - t;
                // Gradient and Hessian of the negative log-likelihood in (a, b).
                g1 -= d * scores[i];
                g2 -= d;
                var w = p * (1 - p);
                h11 += w * scores[i] * scores[i];
                h22 += w;
                h21 += w * scores[i];
            }
            var det = h11 * h22 - h21 * h21;
            if (Math.Abs(det) < 1e-18)
                break;
            var da = (h22 * g1 - h21 * g2) / det;
            var db = (h11 * g2 - h21 * g1) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-10 && Math.Abs(db) < 1e-10)
                break;
        }
        return new PlattScaling(a, b);
    }
}
