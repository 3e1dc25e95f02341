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

/// <summary>
/// The cookie and antiforgery keys are encrypted under a key that is not in the database; everything written into the
/// data directory is the owner's only.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private readonly List<string> _directories = [];
    private readonly List<string> _databases = [];

    private (string Directory, string? Database) NewInstall()
    {
        var dir = TestProvider.IsPostgres ? TemplateDatabase.NewDirectory("secrets") : TemplateDatabase.CopyToNewDataDirectory("secrets");
        _directories.Add(dir);
        string? database = null;
        if (TestProvider.IsPostgres)
        {
            database = TestProvider.CreateDatabase("secrets");
            _databases.Add(database);
        }

        return (dir, database);
    }

    private string NewDirectory()
    {
        var dir = TemplateDatabase.NewDirectory("secrets-copy");
        _directories.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            TestProvider.Drop(database);
        }

        foreach (var dir in _directories)
        {
            TemplateDatabase.TryDelete(dir);
        }
    }

    private static async Task<string> SignInAsync(DataDirectoryHost host)
    {
        using var browser = new WebBrowser(host);
        await browser.SignInOkAsync("admin", DataDirectoryHost.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.ProbeAsync("/")).Status);
        return browser.AuthCookie!;
    }

    private static async Task<(HttpStatusCode Status, string? Location)> ProbeWithCookieAsync(DataDirectoryHost host, string cookie, string url = "/")
    {
        using var browser = new WebBrowser(host);
        browser.Cookies["xuhui.auth"] = cookie;
        return await browser.ProbeAsync(url);
    }

    private static void AssertEncrypted(IReadOnlyCollection<string> keys)
    {
        Assert.NotEmpty(keys);
        foreach (var xml in keys)
        {
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains(typeof(KeyRingXmlDecryptor).FullName!, xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task New_keys_are_stored_encrypted_and_a_cookie_issued_before_a_restart_works_after_it()
    {
        var (dir, database) = NewInstall();
        string cookie;
        await using (var first = new DataDirectoryHost(dir, database))
        {
            cookie = await SignInAsync(first);
            AssertEncrypted(await first.StoredKeysAsync());
        }

        if (!TestProvider.IsPostgres)
        {
            Assert.True(File.Exists(Path.Combine(dir, "keys", "kek")), "the generated key-encryption key lives in the data directory");
        }

        await using var second = new DataDirectoryHost(dir, database);
        Assert.Equal(HttpStatusCode.OK, (await ProbeWithCookieAsync(second, cookie)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ProbeWithCookieAsync(second, cookie, "/admin/users")).Status);
        // Read with the key it was issued under: no new key was needed.
        var keys = await second.StoredKeysAsync();
        Assert.Single(keys);
        AssertEncrypted(keys);
    }

    [Fact]
    public async Task A_copy_of_the_database_without_the_key_encryption_key_cannot_read_a_cookie_or_the_keys()
    {
        var (dir, database) = NewInstall();
        string cookie;
        await using (var original = new DataDirectoryHost(dir, database))
        {
            cookie = await SignInAsync(original);
        }

        // SQLite: the database file alone, in a directory without keys/kek (what a backup holds). PostgreSQL: the
        // shared database read by a host with another key-encryption key.
        DataDirectoryHost stranger;
        if (TestProvider.IsPostgres)
        {
            stranger = new DataDirectoryHost(NewDirectory(), database, new Dictionary<string, string?>
            {
                ["Crm:DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
        }
        else
        {
            var copy = NewDirectory();
            File.Copy(Path.Combine(dir, "crm.db"), Path.Combine(copy, "crm.db"));
            Assert.False(File.Exists(Path.Combine(dir, "crm.db-wal")) && new FileInfo(Path.Combine(dir, "crm.db-wal")).Length > 0, "the stopped host left its writes in crm.db");
            stranger = new DataDirectoryHost(copy, null);
        }

        await using (stranger)
        {
            var (status, location) = await ProbeWithCookieAsync(stranger, cookie);
            Assert.Equal(HttpStatusCode.Redirect, status);
            Assert.StartsWith("http://localhost/login", location, StringComparison.Ordinal);
            var (adminStatus, _) = await ProbeWithCookieAsync(stranger, cookie, "/admin/users");
            Assert.Equal(HttpStatusCode.Redirect, adminStatus);
            // The copy still works for its own sign-ins, under a key it made itself.
            await SignInAsync(stranger);
        }

        // The original is unharmed by the stranger: its cookie still opens the pages.
        await using var again = new DataDirectoryHost(dir, database);
        Assert.Equal(HttpStatusCode.OK, (await ProbeWithCookieAsync(again, cookie)).Status);
    }

    [Fact]
    public async Task Keys_written_unencrypted_by_an_older_install_still_read_and_new_ones_are_encrypted()
    {
        var (dir, database) = NewInstall();
        string cookie;
        await using (var old = new DataDirectoryHost(dir, database, plainKeys: true))
        {
            cookie = await SignInAsync(old);
            var plain = Assert.Single(await old.StoredKeysAsync());
            Assert.Contains("<masterKey", plain, StringComparison.Ordinal);
        }

        await using var upgraded = new DataDirectoryHost(dir, database);
        Assert.Equal(HttpStatusCode.OK, (await ProbeWithCookieAsync(upgraded, cookie)).Status);

        // A key made from now on (the key manager's own rotation path) is stored encrypted beside the old plain one.
        upgraded.Services.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var keys = await upgraded.StoredKeysAsync();
        Assert.Equal(2, keys.Count);
        AssertEncrypted([.. keys.Where(k => !k.Contains("<masterKey", StringComparison.Ordinal))]);
        Assert.Single(keys, k => k.Contains("<encryptedSecret", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await ProbeWithCookieAsync(upgraded, cookie)).Status);
        await SignInAsync(upgraded);
    }

    public static TheoryData<string?> BadKeys => new() { "", "not base64!", Convert.ToBase64String(new byte[16]) };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_missing_on_postgres_or_malformed_key_encryption_key_stops_the_start_naming_the_setting(string? key)
    {
        var (dir, database) = NewInstall();
        if (key is "" && !TestProvider.IsPostgres)
        {
            // On SQLite no setting means the generated file: the start goes on.
            await using var generated = new DataDirectoryHost(dir, database, new Dictionary<string, string?> { ["Crm:DataProtection:KeyEncryptionKey"] = key });
            await SignInAsync(generated);
            Assert.True(File.Exists(Path.Combine(dir, "keys", "kek")));
            return;
        }

        await using var host = new DataDirectoryHost(dir, database, new Dictionary<string, string?> { ["Crm:DataProtection:KeyEncryptionKey"] = key });
        var error = Record.Exception(() => host.CreateClient());
        Assert.NotNull(error);
        var messages = string.Join(" | ", Chain(error));
        Assert.Contains("Crm:DataProtection:KeyEncryptionKey", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex.Message;
        }
    }

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    [Trait("Provider", "SqliteOnly")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Everything_the_service_writes_into_its_data_directory_is_the_owners_only()
    {
        var dir = NewDirectory();
        // An older install: a world-readable directory with a world-readable file in it, tightened at start.
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var stray = Path.Combine(dir, "old-notes.txt");
        await File.WriteAllTextAsync(stray, "x");
        File.SetUnixFileMode(stray, (UnixFileMode)0b110_100_100);
        var oldOutbox = Directory.CreateDirectory(Path.Combine(dir, "outbox")).FullName;
        File.SetUnixFileMode(oldOutbox, (UnixFileMode)0b111_101_101);

        // No bootstrap password: the generated one is written to admin-password.txt.
        await using var host = new DataDirectoryHost(dir, null, new Dictionary<string, string?> { ["Crm:Bootstrap:AdminPassword"] = "" });
        _ = host.Services; // starts the host
        var password = (await File.ReadAllTextAsync(Path.Combine(dir, DatabaseInitializer.AdminPasswordFile))).Trim();
        using (var browser = new WebBrowser(host))
        {
            await browser.SignInOkAsync("admin", password);
        }

        var backup = await host.Services.GetRequiredService<BackupService>().BackupAsync(CancellationToken.None);
        Assert.True(backup.Succeeded, backup.Error);
        var transport = new EmlFileTransport(host.Services.GetRequiredService<DataPaths>());
        await using (var session = await transport.OpenAsync(CancellationToken.None))
        {
            var message = new MimeMessage { Subject = "测试" };
            message.From.Add(MailboxAddress.Parse("crm@example.test"));
            message.To.Add(MailboxAddress.Parse("officer@example.test"));
            message.Body = new TextPart("plain") { Text = "内容" };
            await session.SendAsync(message, 42, CancellationToken.None);
        }

        // The restore command's aside directory, run in process on a directory of its own.
        var restoreDir = NewDirectory();
        File.Copy(backup.File, Path.Combine(restoreDir, "crm.db"));
        var restorePaths = new DataPaths(Options.Create(new CrmOptions { DataDirectory = restoreDir }), host.Services.GetRequiredService<IHostEnvironment>());
        Assert.Equal(0, OpsCommands.Restore(backup.File, restorePaths));
        var aside = Assert.Single(Directory.GetDirectories(restoreDir, "pre-restore-*"));

        var files = new[]
        {
            Path.Combine(dir, "crm.db"), Path.Combine(dir, "crm.db-wal"), Path.Combine(dir, DatabaseInitializer.AdminPasswordFile),
            Path.Combine(dir, "keys", "kek"), backup.File, Path.Combine(dir, "outbox", "00000042.eml"), stray,
            Path.Combine(restoreDir, "crm.db"), Path.Combine(aside, "crm.db"),
        };
        var directories = new[] { dir, Path.Combine(dir, "backups"), Path.Combine(dir, "outbox"), Path.Combine(dir, "keys"), aside };
        foreach (var file in files)
        {
            Assert.True(File.Exists(file), $"{file} was written");
            var mode = File.GetUnixFileMode(file);
            Assert.True((mode & GroupOrOther) == 0, $"{file} is {Convert.ToString((int)mode, 8)}");
            Assert.True(mode.HasFlag(UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file} is {Convert.ToString((int)mode, 8)}");
        }

        foreach (var directory in directories)
        {
            var mode = File.GetUnixFileMode(directory);
            Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), $"{directory} is {Convert.ToString((int)mode, 8)}");
        }

        // Every other entry the service made is owner-only too (SQLite's -shm, temporary files, whatever comes later).
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            Assert.True((entry.UnixFileMode & GroupOrOther) == 0, $"{entry.FullName} is {Convert.ToString((int)entry.UnixFileMode, 8)}");
        }
    }
}
