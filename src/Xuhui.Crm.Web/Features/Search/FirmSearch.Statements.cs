using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// The search's shared query pieces and its compiled statements. The hot paths of the list are compiled once: per call
/// EF otherwise walks and hashes the expression tree to find its cached query, a visible part of a short search's CPU.
/// The pieces are declared before the statements built from them (static fields initialise in order).
/// </summary>
public sealed partial class FirmSearch
{
    /// <summary>A listed firm: archived firms have no grams and are never listed.</summary>
    private static readonly Expression<Func<Firm, bool>> IsLive = f => !f.IsArchived;

    /// <summary>
    /// The live firms joined to one gram's rows, written from the firms (the same inner join and plan as from the grams:
    /// the gram key drives it and gives the name order). Joined the other way, EF wraps the filtered firms in a derived
    /// table of all their columns, which SQLite flattens again on every prepare; this shape prepares in half the time.
    /// </summary>
    private static readonly Expression<Func<CrmDbContext, string, IQueryable<Hit>>> LiveWithGram = (db, gram) =>
        db.Firms.AsNoTracking().Where(IsLive)
            .Join(db.Set<FirmSearchGram>().Where(g => g.Gram == gram), f => f.Id, g => g.FirmId, (f, g) => new Hit { Name = g.Name, FirmId = g.FirmId, Firm = f });

    /// <summary>
    /// The firm's row under another gram, a seek on the full key (same Name and FirmId) that reads no firm row: a firm
    /// containing the query has every pair of it as a gram.
    /// </summary>
    private static readonly Expression<Func<CrmDbContext, string, string, long, bool>> HasGram = (db, gram, name, firmId) =>
        db.Set<FirmSearchGram>().Any(t => t.Gram == gram && t.Name == name && t.FirmId == firmId);

    private static readonly Func<CrmDbContext, string, CancellationToken, Task<int>> GramCount =
        EF.CompileAsyncQuery((CrmDbContext db, string gram, CancellationToken ct) => db.Set<FirmSearchGram>().Count(g => g.Gram == gram));

    private static readonly Func<CrmDbContext, string, int, int, IAsyncEnumerable<FirmColumns>> GramPageByName =
        EF.CompileAsyncQuery(QueryPiece.Expand<Func<CrmDbContext, string, int, int, IQueryable<FirmColumns>>>((db, gram, skip, take) =>
            LiveWithGram.Apply(db, gram)
                .OrderBy(x => x.Name).ThenBy(x => x.FirmId)
                .Select(x => x.Firm)
                .Skip(skip).Take(take)
                .Select(FirmColumns.WithCoOfficers)));

    /// <summary>
    /// The page of a query of three or more characters in name order (<see cref="IsTextOnly"/>): the same joins and
    /// conditions as <see cref="Hits"/>. When the last pair is the lead pair, the narrowing seek finds the row itself.
    /// Kept as an expression so the plan tests can read its SQL.
    /// </summary>
    internal static readonly Expression<Func<CrmDbContext, string, string, string, int, int, IQueryable<FirmColumns>>> TextPage =
        QueryPiece.Expand<Func<CrmDbContext, string, string, string, int, int, IQueryable<FirmColumns>>>((db, lead, tail, q, skip, take) =>
            LiveWithGram.Apply(db, lead)
                .Where(x => HasGram.Apply(db, tail, x.Name, x.FirmId))
                .Where(x => x.Firm.SearchText.Contains(q))
                .OrderBy(x => x.Name).ThenBy(x => x.FirmId)
                .Select(x => x.Firm)
                .Skip(skip).Take(take)
                .Select(FirmColumns.WithCoOfficers));

    private static readonly Func<CrmDbContext, string, string, string, int, int, IAsyncEnumerable<FirmColumns>> TextPageByName =
        EF.CompileAsyncQuery(TextPage);

    private static readonly Func<CrmDbContext, string, string, string, CancellationToken, Task<int>> TextCount =
        EF.CompileAsyncQuery(QueryPiece.Expand<Func<CrmDbContext, string, string, string, CancellationToken, int>>((db, lead, tail, q, ct) =>
            db.Set<FirmSearchGram>().Where(g => g.Gram == lead)
                .Join(db.Firms.Where(IsLive), g => g.FirmId, f => f.Id, (g, f) => new { g.Name, g.FirmId, f.SearchText })
                .Count(x => HasGram.Apply(db, tail, x.Name, x.FirmId) && x.SearchText.Contains(q))));

    /// <summary>A firm with the columns it is ordered by: from the gram row when a text query drives the search.</summary>
    private sealed class Hit
    {
        public required string Name { get; init; }

        public required long FirmId { get; init; }

        public required Firm Firm { get; init; }
    }
}
