using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Bench;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web;

// In-process timings on a generated database, each beside its hand-written SQL yardstick where there is one.
// Prints one TSV row per measure: scale, measure, service ms (median), raw ms (median), ratio, note, load average.
// Usage: Xuhui.Crm.Bench --db FILE --scale N --today yyyy-MM-dd --queries queries.json [--load "1.0 1.0 1.0"] [--smoke]
//        [--provider Postgres --pg "Host=…;Username=…" --db DATABASE] [--no-search]
// On PostgreSQL (tests/bench/city.sh) the yardsticks, hand-written for SQLite, are left out.
// "targets": the monthly report benchmark on its own 50,000-firm file (Targets/TargetsBenchmark.cs).
if (args.FirstOrDefault() == "targets")
{
    return await Xuhui.Crm.Bench.Targets.TargetsBenchmark.RunAsync(args[1..]);
}

var o = Args.Parse(args);
var postgres = o.GetValueOrDefault("provider") == "Postgres";
var file = postgres ? o["db"] : Path.GetFullPath(o["db"]);
var connection = postgres ? $"{o["pg"]};Database={file}" : null;
var scale = o.GetValueOrDefault("scale", "?");
var today = DateOnly.ParseExact(o["today"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
var smoke = o.ContainsKey("smoke");
var load = o.GetValueOrDefault("load", File.ReadAllText("/proc/loadavg")[..14]);
var queries = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(File.ReadAllText(o["queries"]))!;
var timer = new Stopwatches(smoke ? 1 : 3, smoke ? 3 : 15);
var searchTimer = new Stopwatches(smoke ? 3 : 30, smoke ? 20 : 300);

await using var host = await BenchHost.StartAsync(file, today, connection);
var rows = new List<string>();
void Row(string measure, Timings service, Timings? raw, string note)
{
    var ratio = raw is null ? "" : (service.Median / raw.Median).ToString("0.00", CultureInfo.InvariantCulture);
    var cpuRatio = raw is null ? "" : (service.Cpu / raw.Cpu).ToString("0.00", CultureInfo.InvariantCulture);
    rows.Add(string.Join('\t', scale, measure, Ms(service.Median), raw is null ? "" : Ms(raw.Median), ratio, note, load,
        Ms(service.Cpu), raw is null ? "" : Ms(raw.Cpu), cpuRatio));
    Console.Error.WriteLine($"  {measure,-16} service {Ms(service.Median),8} ms (cpu {Ms(service.Cpu),8})   raw {(raw is null ? "-" : Ms(raw.Median)),8} ms (cpu {(raw is null ? "-" : Ms(raw.Cpu)),8})   {note}");
}

if (o.TryGetValue("probe", out var probe))
{
    await Probe.RunAsync(host.Services, queries[probe], host.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
    return 0;
}

// Firm search: the service's code path (a request scope, FirmSearch, JSON as the API writes it) against one
// hand-written statement returning the same page and total; the first query of each class is checked for equality.
var json = host.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
if (!o.ContainsKey("no-search"))
{
    await using var raw = await RawSearch.OpenAsync(file);
    foreach (var (name, list) in queries)
    {
        var first = await host.SearchAsync(list[0]);
        var check = await raw.RunAsync(list[0]);
        if (first.Total != check.Total || !first.Items.Select(f => f.Id).SequenceEqual(check.Ids))
        {
            throw new InvalidOperationException($"{name} '{list[0]}': service {first.Total} {string.Join(',', first.Items.Select(f => f.Id))} ≠ raw {check.Total} {string.Join(',', check.Ids)}");
        }

        var i = 0;
        var service = await searchTimer.MeasureAsync(async () => JsonSerializer.SerializeToUtf8Bytes(await host.SearchAsync(list[i++ % list.Count]), json).Length);
        var j = 0;
        var hand = await searchTimer.MeasureAsync(async () => (await raw.RunAsync(list[j++ % list.Count])).Total);
        Row(name, service, hand, $"{list.Count} queries rotated; e.g. '{list[0]}' → {first.Total} hits");
    }
}

// The daily digest: every officer's reminders composed into the outbox (the first run queues, the rest find them queued).
var digest = await timer.MeasureAsync(async () =>
{
    await using var scope = host.Services.CreateAsyncScope();
    var result = await scope.ServiceProvider.GetRequiredService<DigestComposer>().ComposeAsync(today, CancellationToken.None);
    return result.Recipients;
});
Row("digest", digest, null, $"{host.Officers} recipients; first run {Ms(digest.First)} ms (queues), median of re-runs");

// The monthly report (the last full month before the data's "today") as JSON, against the targets benchmark's
// hand-written statement computing the same aggregates; and the targets as of today.
var month = new ReportMonth(today.AddMonths(-1).Year, today.AddMonths(-1).Month);
var report = await timer.MeasureAsync(async () =>
{
    await using var scope = host.Services.CreateAsyncScope();
    var built = await scope.ServiceProvider.GetRequiredService<MonthlyReportBuilder>().BuildAsync(month, CancellationToken.None);
    return JsonSerializer.SerializeToUtf8Bytes(built, json).Length;
});
var reportSql = postgres ? null : await timer.MeasureAsync(() => HandSql.RunAsync(file, month));
Row("monthly-report", report, reportSql, $"{month.Year}-{month.Month:00}, JSON" + (postgres ? "" : "; raw = tests/Xuhui.Crm.Bench/Targets/HandSql.cs"));
var targets = await timer.MeasureAsync(async () =>
{
    await using var scope = host.Services.CreateAsyncScope();
    var figures = await scope.ServiceProvider.GetRequiredService<TargetsService>().ComputeAsync(today, CancellationToken.None);
    return JsonSerializer.SerializeToUtf8Bytes(figures, json).Length;
});
Row("targets", targets, null, $"as of {today:yyyy-MM-dd}");

foreach (var row in rows)
{
    Console.WriteLine(row);
}

return 0;

static string Ms(double ms) => double.IsNaN(ms) ? "" : ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

/// <summary>The date format HandSql.cs (Targets/HandSql.cs) expects.</summary>
internal static class Inv
{
    public static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
