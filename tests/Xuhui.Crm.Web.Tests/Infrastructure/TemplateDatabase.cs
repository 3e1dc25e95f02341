using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>
/// One migrated, empty database per test run; every test class starts from a copy of it, so migrations run once
/// and classes never see each other's rows.
/// </summary>
public static class TemplateDatabase
{
    /// <summary>All files of this test run live here and are removed when the process exits.</summary>
    public static readonly string RunDirectory = Path.Combine(Path.GetTempPath(), "xuhui-crm-tests", Guid.NewGuid().ToString("N"));

    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    static TemplateDatabase() => AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(RunDirectory);

    public static string File => Template.Value;

    /// <summary>A new directory under the run directory.</summary>
    public static string NewDirectory(string prefix)
    {
        var dir = Path.Combine(RunDirectory, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Copies the template into a new data directory and returns that directory.</summary>
    public static string CopyToNewDataDirectory(string prefix)
    {
        var dir = NewDirectory(prefix);
        System.IO.File.Copy(File, Path.Combine(dir, "crm.db"));
        return dir;
    }

    /// <summary>A context on an SQLite file without pooling, so the file can be copied or deleted afterwards.</summary>
    public static CrmDbContext OpenContext(string databaseFile, TimeProvider? clock = null) =>
        new(new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(ConnectionString(databaseFile)).Options) { Clock = clock ?? TimeProvider.System };

    public static string ConnectionString(string databaseFile) =>
        new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString();

    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A host still shutting down may hold a file; the OS temp cleaner gets the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Create()
    {
        var file = Path.Combine(NewDirectory("template"), "crm.db");
        using var db = OpenContext(file);
        db.Database.Migrate();
        return file;
    }
}
