using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>
/// October 2026's firm requests, every one made and closed through the API on a clock set to the day (and, at the month
/// boundary, the minute: 23:59 on 31 Oct and 00:01 on 1 Nov in Shanghai), so the ledger's own dates are used. The
/// numbers each request adds to October's section are written next to it and summed in <see cref="RequestReportTests"/>.
/// </summary>
public class RequestMonthHost : CrmFactory, IAsyncLifetime
{
    public RequestMonthHost() => Clock.SetUtcNow(OctoberScenario.HostStart);

    public const string Month = "2026-10";

    public Dictionary<string, long> Requests { get; } = [];

    /// <summary>The shared host already allows a login per simulated day (far more than the default 20 a minute).</summary>
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => OctoberScenario.ReportRecipients;

    private static DateTimeOffset At(int month, int day) => new(2026, month, day, 2, 0, 0, TimeSpan.Zero); // 10:00 Shanghai

    public async Task InitializeAsync()
    {
        // The host's clock starts at 09:00 on 1 Oct and only moves forward: September's requests are entered back-dated.
        var (firm, archived) = await WithDbAsync(async (db, _) =>
        {
            var f = new Firm { Name = "上海诉求示例科技有限公司", Zone = "caohejing" };
            var a = new Firm { Name = "上海将归档示例有限公司" };
            db.Firms.AddRange(f, a);
            await db.SaveChangesAsync();
            return (f.Id, a.Id);
        });

        async Task Raise(string key, int month, int day, string? department, string category, string deadline, long? onFirm = null)
        {
            if (month == 9)
            {
                await RaiseNow(key, department, category, deadline, onFirm, $"2026-09-{day:00}");
                return;
            }

            Clock.SetUtcNow(At(month, day));
            await RaiseNow(key, department, category, deadline, onFirm);
        }

        async Task RaiseNow(string key, string? department, string category, string deadline, long? onFirm = null, string? raisedOn = null)
        {
            // Without raisedOn the API takes today's Shanghai date, which is what the boundary cases test.
            var admin = await AdminAsync();
            var response = await admin.PostAsJsonAsync("/api/requests", new
            {
                firmId = onFirm ?? firm, category, department, deadline, raisedOn, channel = "phone", description = $"示例诉求 {key}",
            }, ApiJson.Options);
            response.EnsureSuccessStatusCode();
            Requests[key] = (await response.Content.ReadFromJsonAsync<JsonObject>(ApiJson.Options))!["id"]!.GetValue<long>();
        }

        async Task Close(string key, int month, int day, string outcome, string? satisfaction)
        {
            if (month == 9)
            {
                await CloseNow(key, outcome, satisfaction, $"2026-09-{day:00}");
                return;
            }

            Clock.SetUtcNow(At(month, day));
            await CloseNow(key, outcome, satisfaction);
        }

        async Task CloseNow(string key, string outcome, string? satisfaction, string? closedOn = null)
        {
            var admin = await AdminAsync();
            var response = await admin.PostAsJsonAsync($"/api/requests/{Requests[key]}/close", new
            {
                outcome, satisfaction, closedOn, resolution = outcome == "cannot-resolve" ? "园区暂无可用面积，已登记需求，有空置时优先推荐" : "已办结",
            }, ApiJson.Options);
            response.EnsureSuccessStatusCode();
        }

        // In date order (the fake clock only moves forward). Carried over from September:
        await Raise("closed-in-september", 9, 1, "stc", "policy", "2026-09-08");          // nothing in October
        await Raise("carried-resolved", 9, 10, "stc", "policy", "2026-09-17");            // open at start; resolved 9 Oct (29 days), satisfied
        await Raise("carried-overdue", 9, 20, "hrss", "talent", "2026-10-15");            // open at start; overdue at month end
        await Raise("carried-open", 9, 25, "commerce", "finance", "2026-11-10");          // open at start and end, not overdue
        await Close("closed-in-september", 9, 30, "resolved", "satisfied");

        // Raised in October.
        await Raise("crossing-month-end", 10, 5, "ip-office", "ip", "2026-10-30");        // overdue at month end, closed 1 Nov 00:01
        await Raise("same-month", 10, 8, "stc", "finance", "2026-11-05");                 // resolved 20 Oct (12 days), basically satisfied
        await Close("carried-resolved", 10, 9, "resolved", "satisfied");
        await Raise("archived-firm", 10, 10, "stc", "policy", "2026-10-12", archived);    // the firm is archived: never counted
        await Raise("cannot-resolve", 10, 12, "planning", "space", "2026-11-02");         // cannot be resolved 26 Oct (14 days), dissatisfied
        await Raise("closed-23-59", 10, 15, "stc", "policy", "2026-10-22");               // late, but closed 31 Oct 23:59 (16 days), no rating
        await Raise("due-last-day", 10, 20, null, "other", "2026-10-31");                 // no department; due 31 Oct, still open: overdue
        await CloseNow("same-month", "resolved", "basically");
        await Close("cannot-resolve", 10, 26, "cannot-resolve", "dissatisfied");

        Clock.SetUtcNow(OctoberScenario.LastMinuteOfOctober);
        await RaiseNow("raised-23-59", "market", "permits", "2026-11-30");                 // raised on 31 Oct
        await CloseNow("closed-23-59", "resolved", null);

        Clock.SetUtcNow(OctoberScenario.FirstMinuteOfNovember);
        await RaiseNow("raised-00-01", "stc", "policy", "2026-11-20");                     // November's
        await CloseNow("crossing-month-end", "resolved", "satisfied");                     // closed on 1 Nov

        await WithDbAsync(async db => await db.Firms.Where(f => f.Id == archived).ExecuteUpdateAsync(s => s.SetProperty(f => f.IsArchived, true)));
        Clock.SetUtcNow(OctoberScenario.ReportTime);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
