namespace Xuhui.Crm.Web.Seeding;

/// <summary>Sampling helpers over a seeded <see cref="Random"/>: the generator must be reproducible from its seed alone.</summary>
internal static class RandomExtensions
{
    public static T Pick<T>(this Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    public static bool Chance(this Random r, double p) => r.NextDouble() < p;

    /// <summary>A date in [from, to], both inclusive; <paramref name="from"/> when the range is empty.</summary>
    public static DateOnly Date(this Random r, DateOnly from, DateOnly to) =>
        to <= from ? from : from.AddDays(r.Next(to.DayNumber - from.DayNumber + 1));

    /// <summary>Days between a and b inclusive.</summary>
    public static int Days(this Random r, int min, int max) => r.Next(min, max + 1);

    public static double Normal(this Random r, double mean, double sd)
    {
        var u1 = 1.0 - r.NextDouble();
        var u2 = r.NextDouble();
        return mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    public static double LogNormal(this Random r, double median, double sigma) => median * Math.Exp(r.Normal(0, sigma));

    /// <summary>Pareto with minimum 1: most draws near 1, a heavy tail (most firms few visits, some many).</summary>
    public static double Pareto(this Random r, double alpha) => Math.Pow(1.0 - r.NextDouble(), -1.0 / alpha);

    public static double Exponential(this Random r, double mean) => -mean * Math.Log(1.0 - r.NextDouble());
}

/// <summary>Draws indexes with probability proportional to fixed weights (cumulative table + binary search).</summary>
internal sealed class WeightedPicker
{
    private readonly double[] _cumulative;

    public WeightedPicker(IEnumerable<double> weights)
    {
        var total = 0.0;
        _cumulative = weights.Select(w => total += w).ToArray();
        if (_cumulative.Length == 0 || total <= 0)
        {
            throw new ArgumentException("At least one positive weight is needed.", nameof(weights));
        }
    }

    public int Next(Random r)
    {
        var x = r.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, x);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, _cumulative.Length - 1);
    }

    /// <summary>Zipf weights 1/k^s: a few ranks take a large share.</summary>
    public static WeightedPicker Zipf(int count, double s) =>
        new(Enumerable.Range(1, count).Select(k => 1.0 / Math.Pow(k, s)));
}

/// <summary>Weighted choice among named items, e.g. stages or zones.</summary>
internal sealed class WeightedChoice<T>(IReadOnlyList<(T Item, double Weight)> items)
{
    private readonly WeightedPicker _picker = new(items.Select(i => i.Weight));

    public IReadOnlyList<(T Item, double Weight)> Items { get; } = items;

    public T Next(Random r) => Items[_picker.Next(r)].Item;
}
