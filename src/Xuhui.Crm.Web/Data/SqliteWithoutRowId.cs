using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Sqlite.Metadata.Internal;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// SQLite <c>WITHOUT ROWID</c> tables, which EF Core 10 has no API for. A table whose entity carries the
/// <see cref="Annotation"/> is stored in its primary-key B-tree alone instead of a rowid table plus a primary-key index:
/// one B-tree fewer to write per row. The annotation reaches the migration's <c>CreateTable</c> (the generated
/// Initial migration shows it, so regen-migrations.sh keeps it) and <see cref="SqliteTableOptionsSqlGenerator"/>
/// appends the clause. PostgreSQL ignores it (its annotation provider does not pass it on).
/// </summary>
public static class SqliteWithoutRowId
{
    public const string Annotation = "Sqlite:WithoutRowId";

    public static EntityTypeBuilder<T> IsWithoutRowIdOnSqlite<T>(this EntityTypeBuilder<T> builder)
        where T : class => builder.HasAnnotation(Annotation, true);
}

/// <summary>Passes <see cref="SqliteWithoutRowId.Annotation"/> from the entity type to its table (and so to migrations).</summary>
#pragma warning disable EF1001 // SqliteAnnotationProvider is the provider's own; only the table annotations are added to.
public sealed class SqliteTableAnnotationProvider(RelationalAnnotationProviderDependencies dependencies) : SqliteAnnotationProvider(dependencies)
#pragma warning restore EF1001
{
    public override IEnumerable<IAnnotation> For(ITable table, bool designTime)
    {
        foreach (var annotation in base.For(table, designTime))
        {
            yield return annotation;
        }

        if (table.EntityTypeMappings.Any(m => m.TypeBase[SqliteWithoutRowId.Annotation] is true))
        {
            yield return new Annotation(SqliteWithoutRowId.Annotation, true);
        }
    }
}

/// <summary>Appends <c>WITHOUT ROWID</c> to the CREATE TABLE of a table carrying <see cref="SqliteWithoutRowId.Annotation"/>.</summary>
public sealed class SqliteTableOptionsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, IRelationalAnnotationProvider annotations)
    : SqliteMigrationsSqlGenerator(dependencies, annotations)
{
    protected override void Generate(CreateTableOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
        if (operation[SqliteWithoutRowId.Annotation] is not true)
        {
            base.Generate(operation, model, builder, terminate);
            return;
        }

        base.Generate(operation, model, builder, terminate: false);
        builder.Append(" WITHOUT ROWID");
        if (terminate)
        {
            builder.AppendLine(Dependencies.SqlGenerationHelper.StatementTerminator);
            EndStatement(builder);
        }
    }
}
