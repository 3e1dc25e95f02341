namespace Xuhui.Crm.Web.Data;

/// <summary>
/// One character or character pair of a firm's normalised names and credit code. Chinese queries are
/// mostly one or two characters, which trigram full-text search cannot serve; a gram index can, on any provider.
/// </summary>
public sealed class FirmSearchGram
{
    public string Gram { get; set; } = string.Empty;
    public long FirmId { get; set; }

    /// <summary>
    /// The gram rows of one firm. Every writer (saves, imports, the backlog, the generator) builds rows here, so the
    /// layout of the index lives in one place.
    /// </summary>
    public static IEnumerable<FirmSearchGram> For(long firmId, string searchText) =>
        SearchText.Grams(searchText).Select(g => new FirmSearchGram { Gram = g, FirmId = firmId });
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
