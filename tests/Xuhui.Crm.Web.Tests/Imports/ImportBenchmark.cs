using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Xunit.Abstractions;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>
/// A benchmark, not a test (tests/run.sh leaves the Benchmark category out). Run it with
/// <c>dotnet test tests/Xuhui.Crm.Web.Tests -c Release --filter "Category=Benchmark&amp;FullyQualifiedName~ImportBenchmark" --logger "console;verbosity=detailed"</c>.
/// Targets: 50,000-row XLSX dry run under 10 s, commit under 15 s, memory under 500 MB, export of 50,000 firms under 5 s;
/// an officer saving a firm during the commit is measured too.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class ImportBenchmark(CrmFactory factory, ITestOutputHelper output) : IClassFixture<CrmFactory>
{
    private const int Rows = 50_000;

    [Fact]
    public async Task Fifty_thousand_rows_in_and_out()
    {
        using var login = await factory.AdminAsync();
        // On a loaded machine a step can pass HttpClient's default 100 s; the figure is wanted, not a timeout.
        using var admin = factory.Anonymous();
        admin.Timeout = TimeSpan.FromMinutes(15);
        admin.DefaultRequestHeaders.Authorization = login.DefaultRequestHeaders.Authorization;
        var (officerUser, officer) = await factory.UserAndClientAsync("officer");
        var probe = await officer.CreateFirmAsync(TestData.Firm("上海延迟探针有限公司", ImportFiles.Code()));

        var xlsx = Workbook(address: "漕宝路");
        output.WriteLine($"workbook: {xlsx.Length / 1024} KiB, {Rows} rows");

        var (dry, dryTime, dryCpu) = await TimeAsync(() => admin.UploadAsync(xlsx, "bench.xlsx", "?dryRun=true"));
        Assert.Equal(Rows, (await dry.ExpectAsync(HttpStatusCode.OK))!["counts"]!["create"]!.GetValue<int>());
        output.WriteLine($"dry run (create): {dryTime.TotalSeconds:F1} s wall, {dryCpu.TotalSeconds:F1} s CPU; {Phases(factory.Services.GetRequiredService<Xuhui.Crm.Web.Features.Imports.ImportDiagnostics>())}");

        var saves = new List<(long At, double Ms)>();
        using var stop = new CancellationTokenSource();
        var saver = Task.Run(() => SaveLoopAsync(officer, probe.Id(), saves, stop.Token));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (commit, commitTime, commitCpu) = await TimeAsync(() => admin.UploadAsync(xlsx, "bench.xlsx"));
        Assert.Equal(Rows, (await commit.ExpectAsync(HttpStatusCode.OK))!["counts"]!["create"]!.GetValue<int>());
        // The import answers once its firms commit (searchable at once, through their text); the search grams follow in
        // the background. The officer keeps saving until they are in: that is the time the import weighs on saves.
        var diagnostics = factory.Services.GetRequiredService<Xuhui.Crm.Web.Features.Imports.ImportDiagnostics>();
        var phases = diagnostics.Phases!;
        var drain = factory.Services.GetRequiredService<Xuhui.Crm.Web.Features.Search.SearchDrainDiagnostics>();
        var searchable = Stopwatch.StartNew();
        var pending = await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync());
        await factory.Services.GetRequiredService<Xuhui.Crm.Web.Features.Search.SearchGramDrainer>().WhenCaughtUpAsync(CancellationToken.None);
        phases.Mark("grams (background)");
        var indexedTime = commitTime + searchable.Elapsed;
        var indexedCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        await saver;
        output.WriteLine($"commit (50,000 creates): {commitTime.TotalSeconds:F1} s wall, {commitCpu.TotalSeconds:F1} s CPU, {Rows / commitTime.TotalSeconds:F0} rows/s; {Phases(diagnostics)}; " +
            $"firm transaction {diagnostics.LockTime.TotalSeconds:F2} s; {pending} firms on the search backlog at the answer");
        output.WriteLine($"commit until the search grams are written: {indexedTime.TotalSeconds:F1} s wall, {indexedCpu.TotalSeconds:F1} s CPU; grams {drain.DrainTime.TotalSeconds:F1} s (longest batch {drain.LongestBatch.TotalSeconds:F2} s)");
        output.WriteLine($"commit phases: {phases}");
        output.WriteLine($"gram drain: {drain.Stats}");
        output.WriteLine($"staged rows: {diagnostics.WriterStats}");
        SlowSaves(saves, diagnostics.Phases);
        var latencies = saves.Select(s => s.Ms).ToList();
        latencies.Sort();
        output.WriteLine($"officer saves during the commit and the grams: {latencies.Count}, median {Pct(latencies, 0.5):F0} ms, p95 {Pct(latencies, 0.95):F0} ms, p99 {Pct(latencies, 0.99):F0} ms, max {latencies.LastOrDefault():F0} ms");

        var (again, againTime, _) = await TimeAsync(() => admin.UploadAsync(xlsx, "bench.xlsx"));
        Assert.Equal(Rows, (await again.ExpectAsync(HttpStatusCode.OK))!["counts"]!["unchanged"]!.GetValue<int>());
        output.WriteLine($"re-import (all unchanged): {againTime.TotalSeconds:F1} s wall");

        var edited = Workbook(address: "钦州路");
        var (update, updateTime, updateCpu) = await TimeAsync(() => admin.UploadAsync(edited, "bench.xlsx"));
        Assert.Equal(Rows, (await update.ExpectAsync(HttpStatusCode.OK))!["counts"]!["update"]!.GetValue<int>());
        output.WriteLine($"commit (50,000 updates of one field): {updateTime.TotalSeconds:F1} s wall, {updateCpu.TotalSeconds:F1} s CPU; {Phases(diagnostics)}; firm transaction {diagnostics.LockTime.TotalSeconds:F2} s");

        foreach (var format in new[] { "csv", "xlsx" })
        {
            var (export, exportTime, exportCpu) = await TimeAsync(() => admin.GetAsync($"/api/exports/firms?format={format}"));
            var bytes = await export.Content.ReadAsByteArrayAsync();
            output.WriteLine($"export of {Rows + 1} firms as {format}: {exportTime.TotalSeconds:F1} s wall, {exportCpu.TotalSeconds:F1} s CPU, {bytes.Length / 1024} KiB");
        }

        using var process = Process.GetCurrentProcess();
        output.WriteLine($"peak working set of the test process (host, client and files): {process.PeakWorkingSet64 / 1024 / 1024} MB");
        _ = officerUser;
    }

    private static byte[] Workbook(string address)
    {
        var zones = new[] { "漕河泾开发区增长极", "徐汇滨江增长极", "徐家汇-衡复-枫林创新核" };
        var industries = new[] { "人工智能", "生命健康", "集成电路", "其他" };
        var rows = Enumerable.Range(0, Rows).Select(i => new Dictionary<string, object?>
        {
            ["企业名称"] = $"上海基准{i}科技有限公司",
            ["统一社会信用代码"] = ImportFiles.Code(i),
            ["注册地址"] = $"{address}{i}号",
            ["成立日期"] = new DateTime(2010, 1, 1).AddDays(i % 4000),
            ["所属街道/园区"] = zones[i % zones.Length],
            ["行业"] = industries[i % industries.Length],
            ["职工总数"] = 10 + (i % 500),
            ["联系人"] = $"联系人{i}",
            ["联系电话"] = $"139{i:D8}",
        });
        using var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, rows);
        return ms.ToArray();
    }

    private static async Task SaveLoopAsync(HttpClient officer, long firmId, List<(long At, double Ms)> latencies, CancellationToken ct)
    {
        var n = 0;
        while (!ct.IsCancellationRequested)
        {
            var firm = await officer.GetJsonAsync($"/api/firms/{firmId}");
            var body = firm.Editable();
            body["address"] = $"探针路{++n}号";
            var at = Stopwatch.GetTimestamp();
            var watch = Stopwatch.StartNew();
            using var response = await officer.PutAsJsonAsync($"/api/firms/{firmId}", body, CancellationToken.None);
            watch.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            lock (latencies)
            {
                latencies.Add((at, watch.Elapsed.TotalMilliseconds));
            }

            try
            {
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Each officer save over 300 ms, placed on the import's timeline: which phase it waited behind.</summary>
    private void SlowSaves(List<(long At, double Ms)> saves, Xuhui.Crm.Web.Features.Imports.ImportPhases? phases)
    {
        if (phases is null)
        {
            return;
        }

        foreach (var (at, ms) in saves.Where(s => s.Ms > 300).OrderByDescending(s => s.Ms).Take(10))
        {
            var start = TimeSpan.FromTicks((long)((at - phases.StartedAt) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            var end = start + TimeSpan.FromMilliseconds(ms);
            var during = phases.Phases.Where(p => p.Start < end && p.Start + p.Length > start).Select(p => p.Name);
            output.WriteLine($"  slow save: {ms:F0} ms from {start.TotalSeconds:F2} s into the import, during {string.Join(" / ", during)}");
        }
    }

    private static string Phases(Xuhui.Crm.Web.Features.Imports.ImportDiagnostics diagnostics)
    {
        var (reading, converting, lookups, rows) = diagnostics.StagingTimings;
        return $"staging: reading the sheet {reading.TotalSeconds:F1} s, converting cells {converting.TotalSeconds:F1} s, lookups {lookups.TotalSeconds:F1} s, row rules {rows.TotalSeconds:F1} s";
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    /// <summary>
    /// Times a call and samples the process while it runs: the import's own memory is the peak working set during the
    /// call minus the working set just before it (after a full collection), so the workbook built by the test, the
    /// client and the host's earlier state are not counted; the managed heap peak is sampled alongside.
    /// </summary>
    private async Task<(HttpResponseMessage Response, TimeSpan Wall, TimeSpan Cpu)> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var cpu = process.TotalProcessorTime;
        long peak = before, heap = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                heap = Math.Max(heap, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var watch = Stopwatch.StartNew();
        var response = await call();
        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        process.Refresh();
        output.WriteLine($"  memory during the call: working set +{(peak - before) / 1024 / 1024} MB over {before / 1024 / 1024} MB before it, managed heap peak {heap / 1024 / 1024} MB");
        return (response, watch.Elapsed, process.TotalProcessorTime - cpu);
    }
}
