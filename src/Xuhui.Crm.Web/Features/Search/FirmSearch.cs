using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// Firm search: a query of one or two characters is answered from the gram index alone; a longer one takes the
/// candidates of its first pair and confirms the whole substring. Filters all ride on indexes.
/// </summary>
public sealed partial class FirmSearch(CrmDbContext db, IOptions<CrmOptions> options, GramCountCache counts, SearchBacklogState backlog)
{
    /// <summary>The filtered firms, unordered (the export orders them itself).</summary>
    public IQueryable<Firm> Filter(FirmQuery query) => Hits(query, backlog.Pending).Select(h => h.Firm);

    /// <summary>
    /// The filtered firms, each with its sort key. A text query is driven from the gram index: the matches of the lead
    /// gram are joined to their firms (a firm has one gram row per gram), and the name order comes from the gram key
    /// (Gram, Name, FirmId) itself. Written as a semi-join (firms WHERE Id IN grams) ordered by the firm's name,
    /// PostgreSQL at a million firms walked the firms' name index probing each firm's grams until it had a page, for
    /// seconds on a rare pair. Ordered by the gram's own columns, no firm index offers that order, so
    /// every plan starts from the gram key and reads at most the gram's matches.
    /// While an import's grams are being written (<paramref name="pending"/>), firms on the backlog are matched on their
    /// own text instead, and their grams, missing or still those of an old name, are not used.
    /// </summary>
    private IQueryable<Hit> Hits(FirmQuery query, bool pending)
    {
        var live = db.Firms.AsNoTracking().Where(IsLive);
        IQueryable<Hit> hits;
        var q = SearchText.Normalize(query.Q);
        if (q.Length > 0)
        {
            var lead = SearchText.LeadGram(q);
            hits = db.FirmSearchGrams.Where(g => g.Gram == lead)
                .Join(live, g => g.FirmId, f => f.Id, (g, f) => new Hit { Name = g.Name, FirmId = g.FirmId, Firm = f });
            if (SearchText.RuneLength(q) > 2)
            {
                // A firm containing the query has every pair of it as a gram (the query cannot span two names: it has
                // no separator). So the lead gram's rows are first narrowed to those that also have the query's last
                // pair, a seek on the full key (same Name and FirmId) that reads no firm row, and only the survivors are
                // confirmed on the firm's text (tests/bench/CITY.md has the numbers).
                var tail = SearchText.TailGram(q);
                if (tail != lead)
                {
                    hits = hits.Where(QueryPiece.Expand<Func<Hit, bool>>(h => HasGram.Apply(db, tail, h.Name, h.FirmId)));
                }

                hits = hits.Where(h => h.Firm.SearchText.Contains(q));
            }

            if (pending)
            {
                hits = hits.Where(h => !db.Set<FirmSearchBacklog>().Any(b => b.FirmId == h.FirmId))
                    .Concat(live.Where(f => db.Set<FirmSearchBacklog>().Any(b => b.FirmId == f.Id) && f.SearchText.Contains(q))
                        .Select(f => new Hit { Name = f.Name, FirmId = f.Id, Firm = f }));
            }
        }
        else
        {
            hits = live.Select(f => new Hit { Name = f.Name, FirmId = f.Id, Firm = f });
        }

        if (query.Program is not null || query.Stage is not null)
        {
            var cases = db.Cases.AsQueryable();
            if (query.Program is not null)
            {
                cases = cases.Where(c => c.Program == query.Program);
            }

            if (query.Stage is not null)
            {
                cases = cases.Where(c => c.Stage == query.Stage);
            }

            hits = hits.Where(h => cases.Select(c => c.FirmId).Contains(h.FirmId));
        }

        if (query.OfficerId is { } officer)
        {
            hits = hits.Where(h => h.Firm.LeadOfficerId == officer
                || db.FirmOfficers.Where(o => o.UserId == officer).Select(o => o.FirmId).Contains(h.FirmId));
        }

        if (query.Zone is not null)
        {
            hits = hits.Where(h => h.Firm.Zone == query.Zone);
        }

        if (query.Industry is not null)
        {
            hits = hits.Where(h => h.Firm.Industry == query.Industry);
        }

        if (Json.TryParseEnum<FirmTier>(query.Tier, out var tier))
        {
            hits = hits.Where(h => h.Firm.Tier == tier);
        }

        if (Json.TryParseEnum<FirmStatus>(query.Status, out var status))
        {
            hits = hits.Where(h => h.Firm.Status == status);
        }

        return hits;
    }

    /// <summary>
    /// A query of one or two characters and no other filter is counted on the gram index alone (a covering range
    /// count): archived firms have no grams, so no firm row needs reading.
    /// </summary>
    private static bool IsGramOnly(FirmQuery query, out string gram)
    {
        var q = SearchText.Normalize(query.Q);
        gram = q.Length > 0 ? SearchText.LeadGram(q) : string.Empty;
        return q.Length > 0 && SearchText.RuneLength(q) <= 2 && Unfiltered(query);
    }

    private static bool Unfiltered(FirmQuery query) =>
        query is { Program: null, Stage: null, OfficerId: null, Zone: null, Industry: null, Tier: null, Status: null };

    public async Task<FirmPage> SearchAsync(FirmQuery query, CancellationToken ct)
    {
        var page = query.Page ?? 1;
        var size = query.PageSize ?? 20;
        // Taken once, so the count and the page agree.
        var pending = backlog.Pending;
        var gramOnly = IsGramOnly(query, out var gram) && !pending;
        var textOnly = IsTextOnly(query, pending, out var text);
        int total;
        List<FirmColumns> items;
        if (gramOnly && db.District is null)
        {
            // The count of a one- or two-character query is the gram's (cached) row count.
            total = await counts.GetAsync(gram, c => GramCount(db, gram, c), ct);
            items = total > 0 ? await PageAsync(query, pending, gram, null, page, size, ct) : [];
        }
        else
        {
            // The page first: a first page with room to spare holds every match, so its length is the count and the
            // count's statement (which repeats the page's gram work; no cache for longer queries or filters) is not run.
            // Most searches of three or more characters end here.
            items = await PageAsync(query, pending, gramOnly ? gram : null, textOnly ? text : null, page, size, ct);
            total = page == 1 && items.Count < size ? items.Count
                : textOnly ? await TextCount(db, text.Lead, text.Tail, text.Q, ct)
                : await Hits(query, pending).CountAsync(ct);
        }

        // One statement per page: the co-officers come in the page's own rows (FirmColumns.WithCoOfficers).
        var cadence = options.Value.Cadence;
        return new FirmPage(items.ConvertAll(f => FirmDto.From(f, f.CoOfficerIds(), cadence, financials: null)), total, page, size);
    }

    /// <summary>
    /// One page of the search: compiled for a short query (<paramref name="gram"/>) or a longer one (<paramref name="text"/>)
    /// without filters in name order, the general path otherwise.
    /// </summary>
    private async Task<List<FirmColumns>> PageAsync(
        FirmQuery query, bool pending, string? gram, (string Lead, string Tail, string Q)? text, int page, int size, CancellationToken ct)
    {
        // A page number far past any result (page=2147483647) must not overflow into a negative offset.
        var offset = (long)(page - 1) * size;
        if (offset > int.MaxValue)
        {
            return [];
        }

        var skip = (int)offset;
        if (query.Sort is null or "name")
        {
            if (gram is not null)
            {
                return await GramPageByName(db, gram, skip, size).ToListAsync(ct);
            }

            if (text is { } t)
            {
                return await TextPageByName(db, t.Lead, t.Tail, t.Q, skip, size).ToListAsync(ct);
            }
        }

        if (!pending)
        {
            return await Ordered(query, pending).Skip(skip).Take(size).Select(FirmColumns.WithCoOfficers).ToListAsync(ct);
        }

        // While grams are pending the hits are a UNION ALL, and EF cannot follow a navigation (the co-officers) out of a
        // set operation: the page's ids first, then their columns.
        var ids = await Ordered(query, pending).Skip(skip).Take(size).Select(f => f.Id).ToListAsync(ct);
        var rows = (await db.Firms.AsNoTracking().Where(f => ids.Contains(f.Id)).Select(FirmColumns.WithCoOfficers).ToListAsync(ct)).ToDictionary(f => f.Id);
        return ids.ConvertAll(id => rows[id]);
    }

    /// <summary>
    /// A query of three or more characters, no other filter and no backlog pending: the shape of most searches that the
    /// count cache cannot serve, including every zero-hit one. Its page and count are compiled like the short ones.
    /// </summary>
    private static bool IsTextOnly(FirmQuery query, bool pending, out (string Lead, string Tail, string Q) text)
    {
        var q = SearchText.Normalize(query.Q);
        text = (string.Empty, string.Empty, q);
        if (pending || SearchText.RuneLength(q) <= 2 || !Unfiltered(query))
        {
            return false;
        }

        text = (SearchText.LeadGram(q), SearchText.TailGram(q), q);
        return true;
    }

    /// <summary>The filtered firms in the requested order, before paging (the plan tests read its SQL).</summary>
    internal IQueryable<Firm> Ordered(FirmQuery query, bool? pending = null) => Order(Hits(query, pending ?? backlog.Pending), query.Sort).Select(h => h.Firm);

    private static IOrderedQueryable<Hit> Order(IQueryable<Hit> hits, string? sort) => sort switch
    {
        "-name" => hits.OrderByDescending(h => h.Name).ThenByDescending(h => h.FirmId),
        "createdAt" => hits.OrderBy(h => h.FirmId),
        "-createdAt" => hits.OrderByDescending(h => h.FirmId),
        "lastVisitOn" => hits.OrderBy(h => h.Firm.LastVisitOn).ThenBy(h => h.FirmId),
        "-lastVisitOn" => hits.OrderByDescending(h => h.Firm.LastVisitOn).ThenByDescending(h => h.FirmId),
        _ => hits.OrderBy(h => h.Name).ThenBy(h => h.FirmId),
    };
}
