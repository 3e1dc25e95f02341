using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Data.Pipeline;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Every save of a firm keeps its search in step: a new firm, or one whose searchable fields or archiving changed, gets
/// its search text now and its grams rewritten in the save's transaction. Runs in every context (no host service needed).
/// </summary>
public sealed class SearchIndexStep : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        List<Firm>? reindex = null;
        foreach (var entry in save.Written)
        {
            if (entry.Entity is Firm firm && NeedsReindex(entry))
            {
                firm.SearchText = firm.SearchableText();
                (reindex ??= []).Add(firm);
            }
        }

        return reindex is null ? null : (db, ct) => WriteGramsAsync(db, reindex, ct);
    }

    /// <summary>A firm inserted, or updated in a field its grams are built from, or archived or restored.</summary>
    internal static bool NeedsReindex(EntityEntry entry) =>
        entry.State == EntityState.Added
        || FirmSearchText.Fields.Any(field => entry.Property(field).IsModified)
        || entry.Property(nameof(Firm.IsArchived)).IsModified;

    private static async Task WriteGramsAsync(CrmDbContext db, List<Firm> firms, CancellationToken ct)
    {
        foreach (var firm in firms)
        {
            await db.Set<FirmSearchGram>().Where(g => g.FirmId == firm.Id).ExecuteDeleteAsync(ct);
            // Archived firms leave search: their grams go, so a query-only count never has to read firm rows.
            if (!firm.IsArchived)
            {
                db.Set<FirmSearchGram>().AddRange(FirmSearchGram.For(firm));
            }
        }
    }
}

/// <summary>
/// The host's search-count cache is dropped once a save that created, deleted (its grams cascade) or reindexed a firm
/// is over, whether it committed or not.
/// </summary>
internal sealed class GramCountInvalidation(GramCountCache counts) : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        if (save.Entries.Any(e => e.Entity is Firm
            && (e.State is EntityState.Added or EntityState.Deleted || (e.State == EntityState.Modified && SearchIndexStep.NeedsReindex(e)))))
        {
            save.WhenEnded(counts.Changed);
        }

        return null;
    }
}
