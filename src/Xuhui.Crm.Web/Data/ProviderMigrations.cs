using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// One context, two migration sets in this assembly, told apart by namespace: Data/Migrations for SQLite and
/// Data/PostgresMigrations for PostgreSQL. EF's own lookup would take every migration of the context whatever its
/// provider; this one takes only the set of the provider in use, and that set's snapshot. A second context type per
/// provider would do the same but makes every `dotnet ef` call name its context.
/// </summary>
public sealed class ProviderMigrationsAssembly(ICurrentDbContext currentContext, IMigrationsIdGenerator idGenerator) : IMigrationsAssembly
{
    public const string SqliteNamespace = "Xuhui.Crm.Web.Data.Migrations";
    public const string PostgresNamespace = "Xuhui.Crm.Web.Data.PostgresMigrations";

    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;
    private bool _snapshotRead;

    public Assembly Assembly => typeof(CrmDbContext).Assembly;

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= FindMigrations();

    public ModelSnapshot? ModelSnapshot
    {
        get
        {
            if (!_snapshotRead)
            {
                var type = Candidates(typeof(ModelSnapshot)).FirstOrDefault();
                _snapshot = type is null ? null : (ModelSnapshot)Activator.CreateInstance(type.AsType())!;
                _snapshotRead = true;
            }

            return _snapshot;
        }
    }

    public static string NamespaceFor(string? providerName) =>
        providerName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? PostgresNamespace : SqliteNamespace;

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.Where(idGenerator.IsValidId(nameOrId)
                ? id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
                : id => string.Equals(idGenerator.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault();

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private SortedList<string, TypeInfo> FindMigrations()
    {
        var found = new SortedList<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var type in Candidates(typeof(Migration)))
        {
            if (type.GetCustomAttribute<MigrationAttribute>() is { } attribute)
            {
                found.Add(attribute.Id, type);
            }
        }

        return found;
    }

    private IEnumerable<TypeInfo> Candidates(Type baseType)
    {
        var contextType = currentContext.Context.GetType();
        var ns = NamespaceFor(currentContext.Context.Database.ProviderName);
        return Assembly.DefinedTypes.Where(t =>
            !t.IsAbstract
            && t.IsSubclassOf(baseType)
            && t.Namespace == ns
            && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == contextType);
    }
}
