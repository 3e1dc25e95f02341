using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Districts;

/// <summary>
/// District scoping by construction: every entity type of the model that belongs to a firm (a FirmId, or a foreign key
/// to a firm or to a row that is itself district-filtered) is filtered, or is named below with the reason it is not.
/// A new table forgotten by the convention fails here instead of letting one district read another's rows.
/// </summary>
public sealed partial class DistrictConventionTests
{
    private const string ThroughFirm =
        "a dependent of the firm, only ever reached through the filtered firm (its include, or a subquery correlated to a firm already in scope)";

    private const string ThroughParent =
        "a dependent only ever reached through its filtered parent; the district reports read it with the parent's filter off on purpose";

    private const string CityWide =
        "read across districts on purpose";

    /// <summary>Firm-owned types that deliberately have no district filter. A filter on any of them would change existing queries.</summary>
    private static readonly Dictionary<Type, string> Unfiltered = new()
    {
        [typeof(FirmOfficer)] = ThroughFirm + "; a filter would add a second EXISTS to every officer check (workbench, search, access)",
        [typeof(FirmFinancial)] = ThroughFirm,
        [typeof(FirmStatusChange)] = CityWide + ": the firm's district history; reports count it by its own DistrictCode, and a transfer writes it across the move",
        [typeof(AuditEntry)] = CityWide + ": district-level rows carry FirmId 0 (no firm), and a firm's history is read after the firm was found in scope",
        [typeof(ContactAccess)] = CityWide + ": the PIPL accountability log must stay complete for whoever audits it",
        [typeof(ImportIssue)] = CityWide + ": belongs to an import run, and rows for firms not yet created have no FirmId",
        [typeof(FirmMerge)] = CityWide + ": an old id must lead to its survivor, which the firm filter then checks itself",
        [typeof(FirmSearchGram)] = ThroughFirm + ": the search joins its grams to the filtered firm (the query plans depend on that join)",
        [typeof(FirmSearchBacklog)] = CityWide + ": the backlog drainer is a city-wide job",
        [typeof(CaseTransition)] = ThroughParent,
        [typeof(AnnualReportFiling)] = ThroughParent,
        [typeof(VisitOfficer)] = ThroughParent,
        [typeof(VisitContact)] = ThroughParent,
        [typeof(RequestProgress)] = ThroughParent,
    };

    private static CrmDbContext NewContext() =>
        new(DatabaseSetup.Options(Web.Shared.DatabaseProvider.Sqlite, "Data Source=:memory:"));

    private static bool IsFiltered(IReadOnlyEntityType type) => type.GetDeclaredQueryFilters().Count > 0;

    /// <summary>Whether rows of the type belong to a firm: a FirmId, or a foreign key to a firm or to a district-filtered row.</summary>
    private static bool BelongsToAFirm(IEntityType type) =>
        type.FindProperty(nameof(IFirmOwned.FirmId)) is not null
        || type.GetForeignKeys().Any(fk => fk.PrincipalEntityType.ClrType == typeof(Firm)
            || (fk.PrincipalEntityType != type && IsFiltered(fk.PrincipalEntityType)));

    [Fact]
    public void Every_firm_owned_entity_type_has_the_interface_and_the_district_filter_or_a_reason()
    {
        using var db = NewContext();
        var types = db.Model.GetEntityTypes().ToList();
        var wrong = new List<string>();
        foreach (var type in types)
        {
            var clr = type.ClrType;
            var filtered = IsFiltered(type);
            var firmOwned = typeof(IFirmOwned).IsAssignableFrom(clr);
            if (typeof(IDistrictOwned).IsAssignableFrom(clr))
            {
                if (!filtered)
                {
                    wrong.Add($"{clr.Name} is district-owned but has no district filter");
                }

                continue;
            }

            if (Unfiltered.ContainsKey(clr))
            {
                if (filtered || firmOwned)
                {
                    wrong.Add($"{clr.Name} is exempt from the district filter but has it: remove it from the exemptions");
                }

                continue;
            }

            if (BelongsToAFirm(type) && !firmOwned)
            {
                wrong.Add($"{clr.Name} belongs to a firm but does not implement IFirmOwned (or is not named, with a reason, in the exemptions)");
            }

            if (firmOwned && !filtered)
            {
                wrong.Add($"{clr.Name} implements IFirmOwned but has no district filter");
            }
        }

        foreach (var exempt in Unfiltered.Keys)
        {
            var type = types.SingleOrDefault(t => t.ClrType == exempt);
            if (type is null || !BelongsToAFirm(type))
            {
                wrong.Add($"{exempt.Name} is exempt but is no firm-owned entity type of the model: remove it from the exemptions");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_convention_filters_exactly_the_firm_and_district_owned_types()
    {
        using var db = NewContext();
        var filtered = db.Model.GetEntityTypes().Where(IsFiltered).Select(t => t.ClrType.Name).Order(StringComparer.Ordinal);
        // The firm and the target records on their own district column; the firm's work through the firm.
        Assert.Equal(
            ["Case", "Contact", "Firm", "FirmRequest", "FollowUpTask", "IndicatorTarget", "IndicatorValue", "LegalPersonCount", "MonthlySnapshot", "Visit"],
            filtered);
    }

    [Fact]
    public void Each_filter_reads_the_scope_and_drops_out_of_the_sql_without_one()
    {
        using var db = NewContext();
        foreach (var type in db.Model.GetEntityTypes().Where(IsFiltered))
        {
            db.District = null;
            var unscoped = Sql(db, type.ClrType);
            // EF compiles the null scope out: the district and the firm's row are not read.
            Assert.DoesNotContain("DistrictCode\" = @", unscoped);
            Assert.DoesNotContain("EXISTS", unscoped);

            db.District = CityFactory.Minhang;
            var scoped = Sql(db, type.ClrType);
            if (typeof(IFirmOwned).IsAssignableFrom(type.ClrType))
            {
                // An EXISTS on the firm's primary key, nothing else.
                Assert.Matches(FirmExists(), scoped);
            }
            else
            {
                Assert.Matches(OwnDistrict(), scoped);
                Assert.DoesNotContain("EXISTS", scoped);
            }
        }
    }

    private static string Sql(CrmDbContext db, Type clr)
    {
        var set = typeof(DbContext).GetMethod(nameof(DbContext.Set), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)!
            .MakeGenericMethod(clr).Invoke(db, null)!;
        return ((IQueryable)set).ToQueryString();
    }

    // The firm's own filter sits inside the EXISTS too (it compiles out the same way); what follows it is the key match.
    [GeneratedRegex("""WHERE @\w+ OR EXISTS \(\s*SELECT 1\s+FROM "Firms" AS "(\w+)"\s+WHERE .*"\1"\."Id" = "\w+"\."FirmId" AND "\1"\."DistrictCode" = @ef_filter__District\)\s*$""")]
    private static partial Regex FirmExists();

    [GeneratedRegex("""WHERE @\w+ OR "\w+"\."DistrictCode" = @ef_filter__District\s*$""")]
    private static partial Regex OwnDistrict();
}
