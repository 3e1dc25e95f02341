using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web;

namespace Xuhui.Crm.Bench.Targets;

/// <summary>
/// Monthly report benchmark: 50,000 firms, 20,000 cases, 500,000 visits in a real SQLite file.
/// Usage: dotnet run -c Release --project tests/Xuhui.Crm.Bench -- targets [file.db] [--regenerate] [--district 310104]
/// --district: one district's report, as a district user reads it in a multi-district deployment (the as-of district path).
/// </summary>
internal static class TargetsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var districtAt = Array.IndexOf(args, "--district");
        var district = districtAt >= 0 && districtAt + 1 < args.Length ? args[districtAt + 1] : null;
        var file = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (districtAt < 0 || i != districtAt + 1)).FirstOrDefault()
            ?? Path.Combine(Path.GetTempPath(), "xuhui-bench-targets.db");
        var regenerate = args.Contains("--regenerate") || !File.Exists(file);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
        // The service's per-connection settings (page cache, in-memory temp tables), so the benchmark measures what it runs.
        var optionsBuilder = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite($"Data Source={file}").AddInterceptors(new SqlitePragmas());
        if (args.Contains("--sql-log"))
        {
            // Each command's duration, to see which section costs what.
            optionsBuilder.LogTo(
                m => Console.WriteLine(args.Contains("--sql-full") || m.Length <= 400 ? m : m[..400]),
                [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]);
        }

        var options = optionsBuilder.Options;
        var seed = FindSeed();
        var reference = ReferenceData.Load(seed);
        var month = new ReportMonth(2026, 10);

        if (regenerate)
        {
            File.Delete(file);
            var sw = Stopwatch.StartNew();
            await using (var db = new CrmDbContext(options) { Clock = clock })
            {
                await db.Database.MigrateAsync();
            }

            await BenchData.GenerateAsync(file, reference);
            Console.WriteLine($"generated {file} in {sw.Elapsed.TotalSeconds:0.0} s ({new FileInfo(file).Length / 1_048_576.0:0} MB)");
        }

        await using (var counts = new SqliteConnection($"Data Source={file}"))
        {
            await counts.OpenAsync();
            foreach (var table in new[] { "Firms", "Cases", "CaseTransitions", "Visits", "Tasks" })
            {
                await using var c = counts.CreateCommand();
                c.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                Console.WriteLine($"{table,-16} {(long)(await c.ExecuteScalarAsync())!,9:N0}");
            }
        }

        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(json);
        var reportsOptions = Options.Create(new ReportsOptions());

        async Task<MonthlyReport> BuildReport()
        {
            await using var db = new CrmDbContext(options) { Clock = clock, District = district };
            var targets = new TargetsService(db, reference, Options.Create(new TargetsOptions()));
            return await new MonthlyReportBuilder(db, reference, targets, reportsOptions, clock).BuildAsync(month, CancellationToken.None);
        }

        var report = await BuildReport();
        var jsonTimes = await Measure(async () => JsonSerializer.SerializeToUtf8Bytes(await BuildReport(), json).Length);
        var xlsxTimes = await Measure(async () => ReportWorkbook.Build(await BuildReport()).Length);
        var targetsOnly = await Measure(async () =>
        {
            await using var db = new CrmDbContext(options) { Clock = clock, District = district };
            return (await new TargetsService(db, reference, Options.Create(new TargetsOptions())).ComputeAsync(month.Last, CancellationToken.None)).Indicators.Count;
        });
        var workbookOnly = await Measure(() => Task.FromResult(ReportWorkbook.Build(report).Length));
        var sqlTimes = await Measure(() => HandSql.RunAsync(file, month));
        var chart = new ReportChart(reportsOptions);
        var chartTimes = await Measure(() => Task.FromResult(chart.RenderPng(report).Length));

        Console.WriteLine();
        Console.WriteLine($"report {month} ({(district is null ? "unscoped" : "district " + district)}): HNTE {report.Targets.HntePer10k.Firms}, RD centres {report.Targets.ForeignRdCenters.Centres}, " +
                          $"visits {report.Visits.Visits}, stalled {report.StalledTotal}, wins {report.Wins.Count}, " +
                          $"requests raised {report.Requests?.Raised}, closed {report.Requests?.Closed}, overdue {report.Requests?.Overdue}");
        Console.WriteLine($"hand-written SQL check: {await HandSql.RunAsync(file, month)} aggregate rows");
        Print("monthly report JSON (compute + serialise)", jsonTimes);
        Print("monthly report XLSX (compute + workbook)", xlsxTimes);
        Print("XLSX workbook only (from a built report)", workbookOnly);
        Print("targets part only (TargetsService)", targetsOnly);
        Print("one hand-written SQL query, same aggregates", sqlTimes);
        Print("chart PNG (render only)", chartTimes);
        Console.WriteLine($"ratio service JSON / hand SQL: wall {Median(jsonTimes.Wall) / Median(sqlTimes.Wall):0.00}, cpu {Median(jsonTimes.Cpu) / Median(sqlTimes.Cpu):0.00}");
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

        // Wall time and this process's CPU time per run: on a shared 2-core machine the wall clock includes waiting for a
        // core, CPU time does not (SQLite runs in-process, so its work is counted).
        static async Task<(List<double> Wall, List<double> Cpu)> Measure(Func<Task<int>> run)
        {
            for (var w = 0; w < 3; w++)
            {
                await run(); // warm-up: JIT tiers and SQLite page cache
            }

            var wall = new List<double>();
            var cpu = new List<double>();
            var process = Process.GetCurrentProcess();
            for (var i = 0; i < 7; i++)
            {
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                await run();
                wall.Add(sw.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpu0).TotalMilliseconds);
            }

            return (wall, cpu);
        }

        static double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);

        static void Print(string what, (List<double> Wall, List<double> Cpu) t) =>
            Console.WriteLine($"{what,-46} wall median {Median(t.Wall),7:0} ms (min {t.Wall.Min(),6:0}, max {t.Wall.Max(),6:0})   cpu median {Median(t.Cpu),7:0} ms");

        static string FindSeed()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "seed", "reference", "programs.json")))
                {
                    return Path.Combine(dir.FullName, "seed");
                }
            }

            throw new DirectoryNotFoundException("seed/ not found");
        }

        return 0;
    }
}
