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

/// <summary>File modes in the data directory.</summary>
public sealed partial class SecretsAtRestTests
{
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
