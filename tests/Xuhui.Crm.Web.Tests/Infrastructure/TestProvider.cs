using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>
/// Which database the test hosts run on: SQLite files by default; PostgreSQL when tests/run.sh exports
/// XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG (a connection string to a throwaway server, no database named).
/// On PostgreSQL every test class gets a database of its own, created from one migrated template database per run
/// (CREATE DATABASE … TEMPLATE copies files, so it is as quick as copying the SQLite template).
/// </summary>
public static class TestProvider
{
    public static bool IsPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable("XUHUI_TEST_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase);

    public static string Server => Environment.GetEnvironmentVariable("XUHUI_TEST_PG") is { Length: > 0 } cs
        ? cs
        : throw new InvalidOperationException("XUHUI_TEST_PROVIDER=Postgres needs XUHUI_TEST_PG, e.g. Host=127.0.0.1;Port=54329;Username=postgres");

    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim CreateGate = new(1, 1);
    private static readonly List<string> Created = [];

    static TestProvider()
    {
        if (IsPostgres)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAll();
        }
    }

    /// <summary>The settings that put a host on PostgreSQL database <paramref name="database"/>.</summary>
    public static Dictionary<string, string?> PostgresSettings(string database) => new()
    {
        ["Crm:Database:Provider"] = nameof(DatabaseProvider.Postgres),
        ["Crm:Database:ConnectionString"] = ConnectionString(database),
        // Required on PostgreSQL; one per run, so every instance of a test shares it as a deployment's instances do.
        ["Crm:DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
    };

    /// <summary>The key-encryption key of this run's PostgreSQL hosts.</summary>
    public static string KeyEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string ConnectionString(string database, bool pooling = true) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = database, Pooling = pooling }.ToString();

    /// <summary>A new database, migrated (a copy of the template); its name.</summary>
    public static string CreateDatabase(string prefix) => CreateDatabaseNamed(Name(prefix, Guid.NewGuid().ToString("N")));

    /// <summary>The database that belongs to a data directory, created on first use: a host restarted on the same directory finds its data.</summary>
    public static string DatabaseFor(string dataDirectory)
    {
        var name = Name("dir", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory))));
        lock (Created)
        {
            if (Created.Contains(name))
            {
                return name;
            }
        }

        return CreateDatabaseNamed(name);
    }

    public static void Drop(string database)
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        lock (Created)
        {
            Created.Remove(database);
        }
    }

    /// <summary>Opens a context on <paramref name="database"/> without pooling.</summary>
    public static CrmDbContext OpenContext(string database) =>
        new(DatabaseSetup.Options(DatabaseProvider.Postgres, ConnectionString(database, pooling: false)));

    private static string Name(string prefix, string unique)
    {
        var clean = new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray());
        return $"xt_{RunId}_{clean}_{unique[..12]}";
    }

    private static string CreateDatabaseNamed(string name)
    {
        var template = Template.Value;
        // A template must have no other session while it is copied: one copy at a time, with the pools cleared.
        CreateGate.Wait();
        try
        {
            Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        }
        finally
        {
            CreateGate.Release();
        }

        lock (Created)
        {
            Created.Add(name);
        }

        return name;
    }

    private static string CreateTemplate()
    {
        var name = $"xt_{RunId}_template";
        Execute($"CREATE DATABASE \"{name}\"");
        using (var db = OpenContext(name))
        {
            db.Database.Migrate();
        }

        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void DropAll()
    {
        try
        {
            List<string> all;
            lock (Created)
            {
                all = [.. Created];
            }

            NpgsqlConnection.ClearAllPools();
            foreach (var name in all.Append($"xt_{RunId}_template"))
            {
                Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
        }
        catch (NpgsqlException)
        {
            // The throwaway server of tests/run.sh is removed whole anyway.
        }
    }
}
