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

/// <summary>
/// The cookie and antiforgery keys are encrypted under a key that is not in the database; everything written into the
/// data directory is the owner's only.
/// </summary>
public sealed partial class SecretsAtRestTests : IDisposable
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
}
