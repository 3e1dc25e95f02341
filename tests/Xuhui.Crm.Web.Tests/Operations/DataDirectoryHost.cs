using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Seeding;
using Xuhui.Crm.Web.Tests.Auth;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

/// <summary>The real host on a data directory (and, on PostgreSQL, a database) that outlives it, so it can be restarted.</summary>
public sealed class DataDirectoryHost(string dataDirectory, string? postgresDatabase, IDictionary<string, string?>? settings = null, bool plainKeys = false)
    : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-secrets-123";

    public string DataDirectory => dataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var all = new Dictionary<string, string?>
        {
            ["Crm:DataDirectory"] = dataDirectory,
            ["Crm:Seed:Demo"] = "false",
            ["Crm:Bootstrap:AdminPassword"] = AdminPassword,
            ["Crm:Jobs:Enabled"] = "false",
            ["Crm:Smtp:BackgroundDispatch"] = "false",
            ["Crm:Auth:LoginRequestsPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        if (postgresDatabase is not null)
        {
            foreach (var (k, v) in TestProvider.PostgresSettings(postgresDatabase))
            {
                all[k] = v;
            }
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        foreach (var (k, v) in all)
        {
            builder.UseSetting(k, v);
        }

        if (plainKeys)
        {
            // What an install did before the key ring was encrypted: key XML written as it is.
            builder.ConfigureTestServices(s => s.PostConfigure<KeyManagementOptions>(o => o.XmlEncryptor = null));
        }
    }

    public async Task<List<string>> StoredKeysAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        GC.SuppressFinalize(this);
    }
}
