using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;

namespace Xuhui.Crm.Bench;

internal static class Probe
{
    public static async Task RunAsync(IServiceProvider services, List<string> qs, JsonSerializerOptions json)
    {
        async Task Phase(string name, Func<string, Task> body)
        {
            foreach (var q in qs.Take(30)) { await body(q); }
            using var p = Process.GetCurrentProcess();
            var c0 = p.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            foreach (var q in qs) { await body(q); }
            p.Refresh();
            Console.Error.WriteLine($"{name,-30} wall {sw.Elapsed.TotalMilliseconds / qs.Count:0.000} ms  cpu {(p.TotalProcessorTime - c0).TotalMilliseconds / qs.Count:0.000} ms");
        }

        async Task Jit(string name, Func<CrmDbContext, Task> body)
        {
            for (var i = 0; i < 500; i++) { await using var s = services.CreateAsyncScope(); await body(s.ServiceProvider.GetRequiredService<CrmDbContext>()); }
            await Task.Delay(1000);
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            for (var i = 0; i < 200; i++) { await using var s = services.CreateAsyncScope(); await body(s.ServiceProvider.GetRequiredService<CrmDbContext>()); }
            Console.Error.WriteLine($"{name,-30} methods jitted per call: {(System.Runtime.JitInfo.GetCompiledMethodCount() - before) / 200.0:0.00}");
        }

        var now = DateTime.UtcNow;
        await Jit("token lookup", db => db.AccessTokens.AsNoTracking().Where(t => t.TokenHash == "x" && t.ExpiresAt > now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.SecurityStamp, User = u })
            .Where(x => x.User.IsActive && x.User.SecurityStamp == x.SecurityStamp)
            .Select(x => new { x.User.Id, x.User.UserName, x.User.Role, x.User.DisplayName }).FirstOrDefaultAsync());
        await Jit("token lookup, no join", db => db.AccessTokens.AsNoTracking().Where(t => t.TokenHash == "x" && t.ExpiresAt > now).Select(t => t.UserId).FirstOrDefaultAsync());
        await Jit("users first", db => db.Users.AsNoTracking().Where(u => u.Id == 1).Select(u => new { u.Id, u.UserName }).FirstOrDefaultAsync());
        await Jit("firm detail", db => db.Firms.AsNoTracking().Include(f => f.Financials).Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == 5));
        await Jit("gram count", db => db.FirmSearchGrams.CountAsync(g => g.Gram == "ab"));
        await Phase("scope+context", async q => { await using var s = services.CreateAsyncScope(); _ = s.ServiceProvider.GetRequiredService<CrmDbContext>().Model; });
        await Phase("count", async q => { await using var s = services.CreateAsyncScope(); var db = s.ServiceProvider.GetRequiredService<CrmDbContext>(); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); });
        await Phase("count x3", async q => { await using var s = services.CreateAsyncScope(); var db = s.ServiceProvider.GetRequiredService<CrmDbContext>(); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); });
        await Phase("count x3 one open", async q => { await using var s = services.CreateAsyncScope(); var db = s.ServiceProvider.GetRequiredService<CrmDbContext>(); await db.Database.OpenConnectionAsync(); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); await db.FirmSearchGrams.CountAsync(g => g.Gram == q); });
        await Phase("open+close only", async q => { await using var s = services.CreateAsyncScope(); var db = s.ServiceProvider.GetRequiredService<CrmDbContext>(); await db.Database.OpenConnectionAsync(); await db.Database.CloseConnectionAsync(); });
        await Phase("raw ado open+count (pool)", async q =>
        {
            await using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + ((Microsoft.Data.Sqlite.SqliteConnection)services.CreateScope().ServiceProvider.GetRequiredService<CrmDbContext>().Database.GetDbConnection()).DataSource);
            await c.OpenAsync();
            await using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT COUNT(*) FROM FirmSearchGrams WHERE Gram = $g"; cmd.Parameters.AddWithValue("$g", q); await cmd.ExecuteScalarAsync();
        });
        await Phase("page", async q =>
        {
            await using var s = services.CreateAsyncScope();
            var db = s.ServiceProvider.GetRequiredService<CrmDbContext>();
            await db.Firms.AsNoTracking().Where(f => !f.IsArchived && db.Set<FirmSearchGram>().Where(g => g.Gram == q).Select(g => g.FirmId).Contains(f.Id)).OrderBy(f => f.Name).ThenBy(f => f.Id).Take(20).ToListAsync();
        });
        await Phase("page ids only", async q =>
        {
            await using var s = services.CreateAsyncScope();
            var db = s.ServiceProvider.GetRequiredService<CrmDbContext>();
            await db.Firms.AsNoTracking().Where(f => !f.IsArchived && db.Set<FirmSearchGram>().Where(g => g.Gram == q).Select(g => g.FirmId).Contains(f.Id)).OrderBy(f => f.Name).ThenBy(f => f.Id).Select(f => f.Id).Take(20).ToListAsync();
        });
        await Phase("full search", async q =>
        {
            await using var s = services.CreateAsyncScope();
            await s.ServiceProvider.GetRequiredService<FirmSearch>().SearchAsync(new FirmQuery(q, null, null, null, null, null, null, null, null, null, null), default);
        });
        await Phase("full search + json", async q =>
        {
            await using var s = services.CreateAsyncScope();
            JsonSerializer.SerializeToUtf8Bytes(await s.ServiceProvider.GetRequiredService<FirmSearch>().SearchAsync(new FirmQuery(q, null, null, null, null, null, null, null, null, null, null), default), json);
        });
    }
}
