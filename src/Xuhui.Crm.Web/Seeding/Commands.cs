using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>Command-line verbs handled before the web host is built.</summary>
public static class Commands
{
    private const string Usage =
        "usage: generate --out <file.db> [--firms 50000] [--seed 42] [--cases N] [--visits N] [--open-tasks N] [--officers N] [--today yyyy-MM-dd] [--force]\n" +
        "       copy-to-postgres --from <file.db> [--to <Npgsql connection string>, default Crm__Database__ConnectionString] [--jobs 2] [--repair]";

    public static bool IsCommand(string[] args) => args is ["generate" or "copy-to-postgres", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "generate" => await GenerateAsync(Parse(args[1..])),
                "copy-to-postgres" => await CopyToPostgresAsync(Parse(args[1..])),
                _ => Fail(Usage),
            };
        }
        catch (FormatException e)
        {
            return Fail($"{e.Message}\n{Usage}");
        }
    }

    /// <summary>Writes a synthetic database of N firms into a new, migrated SQLite file. Creates no admin and prints no secret.</summary>
    private static async Task<int> GenerateAsync(Dictionary<string, string> o)
    {
        if (!o.TryGetValue("out", out var output))
        {
            return Fail(Usage);
        }

        var firms = Int(o, "firms", 50_000);
        var today = o.TryGetValue("today", out var t)
            ? DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : ShanghaiTime.Today(TimeProvider.System);
        var defaults = SyntheticOptions.ForFirms(firms, today, Int(o, "seed", 42));
        var officers = Int(o, "officers", defaults.Officers);
        var options = defaults with
        {
            Cases = Int(o, "cases", defaults.Cases),
            Visits = Int(o, "visits", defaults.Visits),
            OpenTasks = Int(o, "open-tasks", defaults.OpenTasks),
            Officers = officers,
            Supervisors = Math.Max(2, officers / 15),
            Viewers = Math.Max(1, officers / 60),
        };

        output = Path.GetFullPath(output);
        if (File.Exists(output))
        {
            if (!o.ContainsKey("force"))
            {
                return Fail($"{output} exists; pass --force to replace it.");
            }

            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                File.Delete(output + suffix);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var words = SyntheticWords.Load(Path.Combine(AppContext.BaseDirectory, "seed"));
        var dbOptions = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite($"Data Source={output};Pooling=False").Options;
        await using var db = new CrmDbContext(dbOptions);
        await db.Database.MigrateAsync();
        Console.WriteLine($"Generating {options.Firms:N0} firms, {options.Cases:N0} cases, {options.Visits:N0} visits, " +
            $"{options.OpenTasks:N0} open tasks, {options.Officers} officers (seed {options.Seed}, today {today:yyyy-MM-dd}) into {output}");
        var summary = await BulkWriter.WriteAsync(db, options, words, bulk: true);
        foreach (var (table, rows) in summary.Rows)
        {
            Console.WriteLine($"  {table,-20} {rows,12:N0}");
        }

        Console.WriteLine($"Done in {summary.Elapsed.TotalSeconds:F1} s; {new FileInfo(output).Length / 1048576.0:F0} MB. " +
            "Users have unusable random password hashes; start the service with Crm__Bootstrap__AdminPassword to get an admin.");
        return 0;
    }

    /// <summary>Copies a SQLite database (a generated one, or a district's, service stopped) into an empty PostgreSQL database.</summary>
    private static async Task<int> CopyToPostgresAsync(Dictionary<string, string> o)
    {
        var to = o.GetValueOrDefault("to") ?? Environment.GetEnvironmentVariable("Crm__Database__ConnectionString");
        if (!o.TryGetValue("from", out var from) || string.IsNullOrEmpty(to))
        {
            return Fail(Usage);
        }

        if (!File.Exists(from))
        {
            return Fail($"{from} does not exist");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"Copying {Path.GetFullPath(from)} into PostgreSQL");
        IReadOnlyList<CopiedTable> tables;
        try
        {
            tables = await PostgresCopy.RunAsync(from, to, Console.Out, Int(o, "jobs", 2), repair: o.ContainsKey("repair"));
        }
        catch (InvalidOperationException e)
        {
            return Fail(e.Message);
        }

        Console.WriteLine($"Done in {watch.Elapsed.TotalSeconds:F1} s: {tables.Sum(t => t.Rows):N0} rows.");
        return 0;
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"unexpected argument '{args[i]}'");
            }

            var name = args[i][2..];
            options[name] = name is "force" or "repair" ? "true"
                : i + 1 < args.Length ? args[++i] : throw new FormatException($"--{name} needs a value");
        }

        return options;
    }

    private static int Int(Dictionary<string, string> o, string name, int fallback) =>
        !o.TryGetValue(name, out var v) ? fallback
        : int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n
        : throw new FormatException($"--{name} must be a non-negative whole number");

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
