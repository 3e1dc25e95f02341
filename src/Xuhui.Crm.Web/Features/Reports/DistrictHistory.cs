using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// A firm's district on a past date, from its status history: the district of its latest status change on or before the
/// date; before its first change, the district of that first change; a change without a district (written before
/// districts were recorded, or since the last transfer) and a firm without history: the firm's current district. A
/// transfer pins every earlier change to the old district and writes moved-out (old) and moved-in (new) on its date, so
/// the firm is in the old district before the date and in the new one from it. Past figures (the monthly report's
/// stages, moves and visits) count by this instead of by the district filters, which know only the current district.
/// </summary>
public static class DistrictHistory
{
    /// <summary>
    /// Rows whose firm (<paramref name="firm"/>) was in <paramref name="district"/> on the row's date (<paramref name="on"/>).
    /// A firm never transferred (no history row names a district: nearly all) is settled by its own column after one
    /// index probe; only transferred firms have their history read. Use on queries that ignore the district filters; the
    /// monthly report's raw SQL spells out the same rule.
    /// </summary>
    public static IQueryable<T> WhereInDistrictOn<T>(
        this IQueryable<T> rows, Expression<Func<T, Firm>> firm, Expression<Func<T, DateOnly>> on, string district)
    {
        Expression<Func<Firm, DateOnly, bool>> template = (f, d) => !f.StatusChanges.Any(s => s.DistrictCode != null)
            ? f.DistrictCode == district
            : (f.StatusChanges.Where(s => s.EffectiveOn <= d).OrderByDescending(s => s.EffectiveOn).ThenByDescending(s => s.Id).Select(s => s.DistrictCode).FirstOrDefault()
                ?? (f.StatusChanges.Any(s => s.EffectiveOn <= d)
                    ? null
                    : f.StatusChanges.OrderBy(s => s.EffectiveOn).ThenBy(s => s.Id).Select(s => s.DistrictCode).FirstOrDefault())
                ?? f.DistrictCode) == district;

        var row = Expression.Parameter(typeof(T), "row");
        var body = ReplacingExpressionVisitor.Replace(
            [template.Parameters[0], template.Parameters[1]],
            [ReplacingExpressionVisitor.Replace(firm.Parameters[0], row, firm.Body), ReplacingExpressionVisitor.Replace(on.Parameters[0], row, on.Body)],
            template.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(body, row));
    }
}
