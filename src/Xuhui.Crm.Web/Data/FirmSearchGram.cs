namespace Xuhui.Crm.Web.Data;

/// <summary>
/// One character or character pair of a firm's normalised names and credit code. Chinese queries are
/// mostly one or two characters, which trigram full-text search cannot serve; a gram index can, on any provider.
/// </summary>
public sealed class FirmSearchGram
{
    public string Gram { get; set; } = string.Empty;
    public long FirmId { get; set; }
}
