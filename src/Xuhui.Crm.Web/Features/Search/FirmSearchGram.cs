using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>
/// One character or character pair of a firm's normalised names and credit code. Chinese queries are
/// mostly one or two characters, which trigram full-text search cannot serve; a gram index can, on any provider.
/// The row carries the firm's name so the key (Gram, Name, FirmId) is the search's first page in name order: a common
/// character (通: 1,124 of 50,000 firms) pages as a 20-row range scan instead of reading and sorting every match.
/// </summary>
public sealed class FirmSearchGram
{
    public string Gram { get; set; } = string.Empty;

    /// <summary>The firm's name (the list's default sort key); rewritten with the grams whenever the name changes.</summary>
    public string Name { get; set; } = string.Empty;

    public long FirmId { get; set; }

    /// <summary>
    /// The rows a firm is indexed under, from its <see cref="Firm.SearchText"/> and name. Every writer (saves, the
    /// generator, imports) goes through here so the layout lives in one place.
    /// </summary>
    public static IEnumerable<FirmSearchGram> For(Firm firm) => For(firm.Id, firm.Name, firm.SearchText);

    public static IEnumerable<FirmSearchGram> For(long firmId, string name, string searchText) =>
        SearchText.Grams(searchText).Select(g => new FirmSearchGram { Gram = g, Name = name, FirmId = firmId });
}

/// <summary>
/// A firm whose search grams are still to be (re)written from its <c>SearchText</c>. A large import commits its firms
/// together with these rows and writes the grams afterwards in short batches (<see cref="SearchGramBacklog"/>), so the
/// write lock is not held for millions of gram rows; the backlog is drained again on start after a crash.
/// </summary>
public sealed class FirmSearchBacklog
{
    public long FirmId { get; set; }
}
