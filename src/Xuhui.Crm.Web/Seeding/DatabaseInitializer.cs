using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>On start: migrate (embedded mode), create the first admin, load demo data into an empty database.</summary>
public static class DatabaseInitializer
{
    public const string AdminPasswordFile = "admin-password.txt";

    public static async Task InitializeAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var options = sp.GetRequiredService<IOptions<CrmOptions>>().Value;
        var paths = sp.GetRequiredService<DataPaths>();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));
        var db = sp.GetRequiredService<CrmDbContext>();
        Directory.CreateDirectory(paths.DataDirectory);
        // An install from before files were created owner-only: its database, backups and outbox are tightened now
        // (a directory prepared by another user is logged, not fatal).
        OwnerOnlyFiles.Tighten(paths.DataDirectory, logger);

        // Several instances may start at once on one PostgreSQL: the first migrates, creates the admin and loads any
        // demo data while the others wait here, then find it all done. The lock goes with the session (connection).
        if (!paths.IsSqlite)
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(" + StartupLock + ")", ct);
        }

        try
        {
            await InitializeLockedAsync(sp, db, options, paths, logger, ct);
        }
        finally
        {
            if (!paths.IsSqlite)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(" + StartupLock + ")", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Key of the PostgreSQL advisory lock held while one instance initializes the database.</summary>
    private const string StartupLock = "7266010201"; // any constant; other applications on the server would pick others

    private static async Task InitializeLockedAsync(IServiceProvider sp, CrmDbContext db, CrmOptions options, DataPaths paths, ILogger logger, CancellationToken ct)
    {
        if (options.Database.AutoMigrate)
        {
            await db.Database.MigrateAsync(ct);
            if (paths.IsSqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            else
            {
                await PostgresStatistics.ApplyAsync(db, ct);
            }
        }

        if (sp.GetRequiredService<IHostEnvironment>().IsProduction())
        {
            await ProductionGuard.CheckAsync(db, options, ct);
        }

        await EnsureAdminAsync(db, sp.GetRequiredService<IPasswordHasher<User>>(), options, paths, logger, ct);
        if (options.Seed.Demo && !await db.Firms.AnyAsync(ct))
        {
            var demo = sp.GetRequiredService<DemoData>();
            await demo.SeedAsync(ct);
            db.AppSettings.Add(new AppSetting { Key = AppSetting.DemoDataLoaded, Value = "true", UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Demo data loaded into the empty database (turn off with Crm:Seed:Demo=false)");
        }
    }

    private static async Task EnsureAdminAsync(
        CrmDbContext db, IPasswordHasher<User> hasher, CrmOptions options, DataPaths paths, ILogger logger, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.UserName == "admin", ct))
        {
            return;
        }

        var password = options.Bootstrap.AdminPassword;
        string? writtenTo = null;
        if (string.IsNullOrWhiteSpace(password))
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
            writtenTo = Path.Combine(paths.DataDirectory, AdminPasswordFile);
            await WriteOwnerOnlyAsync(writtenTo, password + Environment.NewLine, ct);
        }

        // The first admin of a city deployment is a city admin (no district); of a district deployment, the district's.
        var admin = new User { UserName = "admin", DisplayName = "系统管理员", Role = Roles.Admin, DistrictCode = options.MultiDistrict ? null : options.District };
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync(ct);
        if (writtenTo is not null)
        {
            logger.LogWarning(
                "Created user 'admin' with a random password written to {File} (readable by the owner only). Set Crm:Bootstrap:AdminPassword to choose it.",
                writtenTo);
        }
        else
        {
            logger.LogInformation("Created user 'admin' with the password from Crm:Bootstrap:AdminPassword");
        }
    }

    private static async Task WriteOwnerOnlyAsync(string path, string content, CancellationToken ct)
    {
        var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = OwnerOnlyFiles.FileMode;
        }

        await using var stream = new FileStream(path, streamOptions);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnlyFiles.FileMode);
        }
    }
}
