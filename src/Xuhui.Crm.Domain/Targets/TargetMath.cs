namespace Xuhui.Crm.Domain.Targets;

/// <summary>Observed conversion of one stage: of the cases that passed through it and reached an outcome, how many won.</summary>
public sealed record ConversionRate(int Wins, int Outcomes, int MinimumOutcomes)
{
    public int Losses => Outcomes - Wins;

    /// <summary>Below the minimum the rate is not used: the projection says "insufficient data" instead of inventing one.</summary>
    public bool IsSufficient => Outcomes >= MinimumOutcomes && Outcomes > 0;

    public double? Rate => IsSufficient ? (double)Wins / Outcomes : null;
}

public static class TargetMath
{
    /// <summary>Firms per 10,000 legal persons, rounded to two places; null without a count.</summary>
    public static double? Per10k(int firms, int? legalPersons) =>
        legalPersons is > 0 ? Math.Round(firms * 10_000.0 / legalPersons.Value, 2, MidpointRounding.AwayFromZero) : null;

    /// <summary>
    /// How many more firms are needed to reach <paramref name="targetPer10k"/>: the smallest n with
    /// (firms + n) / legalPersons × 10,000 ≥ target; 0 when already there.
    /// </summary>
    public static int? FirmsNeeded(int firms, int? legalPersons, double? targetPer10k)
    {
        if (legalPersons is not > 0 || targetPer10k is null)
        {
            return null;
        }

        // Integer arithmetic on hundredths avoids 199.99999 ≠ 200 surprises.
        var required = (long)Math.Ceiling(Math.Round(targetPer10k.Value * 100) * legalPersons.Value / 1_000_000.0 - 1e-9);
        return (int)Math.Max(0, required - firms);
    }

    public static int? CountNeeded(int count, double? target) =>
        target is null ? null : Math.Max(0, (int)Math.Ceiling(target.Value - 1e-9) - count);

    /// <summary>Median of whole days; the mean of the middle two for an even count.</summary>
    public static double? Median(IReadOnlyCollection<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
