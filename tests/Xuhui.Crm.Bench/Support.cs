using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Bench;

internal static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            o[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }

        return o;
    }
}

/// <summary>Wall-clock median and the process's mean CPU time per run: on a shared machine the wall clock includes
/// waiting for a core and the CPU time does not (SQLite runs in-process, so its work is counted).</summary>
internal sealed record Timings(double Median, double First, double Cpu)
{
    public static readonly Timings None = new(double.NaN, double.NaN, double.NaN);
}

/// <summary>Warm-up runs, then timed runs; the median is what the table shows.</summary>
internal sealed class Stopwatches(int warmup, int runs)
{
    public async Task<Timings> MeasureAsync(Func<Task<int>> run)
    {
        var first = Stopwatch.StartNew();
        await run();
        var firstMs = first.Elapsed.TotalMilliseconds;
        for (var w = 1; w < warmup; w++)
        {
            await run();
        }

        var times = new List<double>(runs);
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime; // clock ticks (10 ms): only a batch total is meaningful
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds / runs;
        times.Sort();
        return new Timings(times[times.Count / 2], firstMs, cpu);
    }
}

/// <summary>The service's container on the database file, Production settings, no jobs; never listens.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchHost(WebApplication app, int officers)
    {
        _app = app;
        Officers = officers;
    }

    public IServiceProvider Services => _app.Services;

    public int Officers { get; }

    /// <summary>On the SQLite file, or on the PostgreSQL database of <paramref name="postgres"/> when given.</summary>
    public static async Task<BenchHost> StartAsync(string file, DateOnly today, string? postgres = null)
    {
        _ = today;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crm:DataDirectory"] = postgres is null ? Path.GetDirectoryName(file) : Path.Combine(Path.GetTempPath(), $"xuhui-bench-{Environment.ProcessId}"),
            ["Crm:Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Crm:Database:ConnectionString"] = postgres ?? $"Data Source={file}",
            // PostgreSQL wants the key-encryption key of the shared key ring from configuration; the bench signs nobody in,
            // so a key of its own per run is enough.
            ["Crm:DataProtection:KeyEncryptionKey"] = postgres is null ? null : Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Crm:Seed:Demo"] = "false",
            ["Crm:Jobs:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // In process the search is timed against the raw query on equal terms: the exact count is computed on every
            // call (the HTTP runs measure the service as deployed, with the short-search count cache on).
            ["Crm:Search:CountCacheSeconds"] = "0",
        });
        builder.AddCrm();
        var app = builder.Build();

        // The working-day calendar is seeded by a hosted service at start; run that one alone.
        foreach (var service in app.Services.GetServices<IHostedService>().OfType<Xuhui.Crm.Web.Features.Calendar.CalendarStartup>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var officers = await db.Users.CountAsync(u => u.Role == "officer");
        return new BenchHost(app, officers);
    }

    public async Task<FirmPage> SearchAsync(string q)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<FirmSearch>();
        return await search.SearchAsync(new FirmQuery(q, null, null, null, null, null, null, null, null, null, null), CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
