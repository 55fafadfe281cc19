namespace Analytics.Core.Routing;

/// <summary>Metrics of probabilistic predictions of a binary outcome.</summary>
public static class RankingMetrics
{
    /// <summary>Area under the ROC curve (the chance a random positive scores above a random negative; ties count half).</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
                j++;
            var midRank = (i + j + 1) / 2.0; // average 1-based rank of the tie group
            for (var k = i; k < j; k++)
                if (labels[order[k]])
                {
                    rankSum += midRank;
                    positives++;
                }
            i = j;
        }
        var negatives = order.Length - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>Area under the precision–recall curve as average precision (the mean precision at each positive, best scores first).</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var total = labels.Count(l => l);
        if (total == 0)
            return double.NaN;
        double sum = 0;
        var hits = 0;
        for (var k = 0; k < order.Length; k++)
            if (labels[order[k]])
            {
                hits++;
                sum += (double)hits / (k + 1);
            }
        return sum / total;
    }

    /// <summary>Mean squared error of probabilities.</summary>
    public static double Brier(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        return probabilities.Select((p, i) => Math.Pow(p - (labels[i] ? 1 : 0), 2)).Average();
    }

    /// <summary>
    /// Share of the needed reviews caught when <paramref name="budget"/> orders, the highest scored, go to a PM.
    /// </summary>
    public static double RecallAtBudget(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, int budget)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var total = labels.Count(l => l);
        if (total == 0)
            return double.NaN;
        var caught = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).Take(Math.Max(0, budget)).Count(i => labels[i]);
        return (double)caught / total;
    }
}
