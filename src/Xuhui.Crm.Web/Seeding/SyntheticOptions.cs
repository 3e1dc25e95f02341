using System.Text.Json;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>Scale knobs of a synthetic data set. <see cref="ForFirms"/> keeps the proportions of a real district.</summary>
public sealed record SyntheticOptions
{
    public int Seed { get; init; } = 42;
    public int Firms { get; init; } = 50_000;
    public int Cases { get; init; } = 20_000;
    public int Visits { get; init; } = 500_000;
    public int OpenTasks { get; init; } = 100_000;
    public int Officers { get; init; } = 200;
    public int Supervisors { get; init; } = 14;
    public int Viewers { get; init; } = 3;

    /// <summary>Business "today" (Shanghai): visits cover the year before it, certificates expire around it.</summary>
    public DateOnly Today { get; init; }

    /// <summary>District scale (50,000 firms → 20,000 cases, 500,000 visits, 100,000 open tasks, 200 officers), scaled to the firm count.</summary>
    public static SyntheticOptions ForFirms(int firms, DateOnly today, int seed = 42)
    {
        var officers = Math.Max(3, (int)Math.Round(firms * 200.0 / 50_000));
        return new SyntheticOptions
        {
            Seed = seed,
            Firms = firms,
            Cases = (int)Math.Round(firms * 0.4),
            Visits = firms * 10,
            OpenTasks = firms * 2,
            Officers = officers,
            Supervisors = Math.Max(2, officers / 15),
            Viewers = Math.Max(1, officers / 60),
            Today = today,
        };
    }

    /// <summary>The demo data set's counts and seed from seed/demo/demo.json.</summary>
    public static SyntheticOptions LoadDemo(string seedDirectory, DateOnly today)
    {
        var path = Path.Combine(seedDirectory, "demo", "demo.json");
        using var stream = File.OpenRead(path);
        var options = JsonSerializer.Deserialize<SyntheticOptions>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path} is empty");
        return options with { Today = today };
    }
}
