using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// District visibility, in one place: global query filters keyed by <see cref="District"/>. A firm's district is its own
/// column (indexed); every <see cref="IFirmOwned"/> row (cases, visits, tasks, contacts, requests) follows its firm
/// through an EXISTS on the firm's primary key, so a transfer moves them all by changing one row and nothing can be left
/// behind. With no scope (null: city-wide users, jobs before they pick a district, every single-district deployment) EF
/// drops the predicate from the SQL altogether: it compiles a separate plan for a null parameter, so the single-district
/// hot paths are unchanged.
/// </summary>
public sealed partial class CrmDbContext
{
    /// <summary>The district this context reads and writes; null reads every district.</summary>
    public string? District { get; set; }

    /// <summary>Whether the deployment holds several districts (Crm:MultiDistrict): people named on a firm's work must be of its district.</summary>
    public bool MultiDistrict { get; set; }

    /// <summary>The deployment's own district: new district rows written with no scope go there.</summary>
    public string HomeDistrict { get; set; } = Firm.DefaultDistrictCode;

    /// <summary>
    /// The district filters, by convention rather than by list: every <see cref="IDistrictOwned"/> entity type is filtered
    /// on its own district column, every <see cref="IFirmOwned"/> one through its firm. Each type's predicate is one of the
    /// two templates below with the template's parameter replaced by the type's own property, so the expression (and the
    /// SQL) is exactly what a hand-written filter on that type gives.
    /// </summary>
    private void ConfigureDistrictFilters(ModelBuilder b)
    {
        foreach (var type in b.Model.GetEntityTypes().Where(t => t.BaseType is null && !t.HasSharedClrType).ToList())
        {
            var clr = type.ClrType;
            var ownDistrict = typeof(IDistrictOwned).IsAssignableFrom(clr);
            var firmOwned = typeof(IFirmOwned).IsAssignableFrom(clr);
            if (ownDistrict && firmOwned)
            {
                throw new InvalidOperationException($"{clr.Name} is both district-owned and firm-owned: it must follow one or the other.");
            }

            if (!ownDistrict && !firmOwned)
            {
                continue;
            }

            LambdaExpression template = ownDistrict ? InOwnDistrict : InFirmsDistrict;
            var row = Expression.Parameter(clr, "x");
            var key = Expression.Property(row, clr.GetProperty(ownDistrict ? nameof(IDistrictOwned.DistrictCode) : nameof(IFirmOwned.FirmId))
                ?? throw new InvalidOperationException($"{clr.Name} has no public district key property."));
            var body = ReplacingExpressionVisitor.Replace(template.Parameters[0], key, template.Body);
            b.Entity(clr).HasQueryFilter(Expression.Lambda(body, row));
        }
    }

    // With no scope the first operand is true and EF drops the predicate from the SQL (see the class summary).
    private Expression<Func<string, bool>> InOwnDistrict => code => District == null || code == District;

    // An EXISTS on the firm's primary key: the row has no district of its own, it follows its firm.
    private Expression<Func<long, bool>> InFirmsDistrict => firmId => District == null || Set<Firm>().Any(f => f.Id == firmId && f.DistrictCode == District);
}
