using System.Text.RegularExpressions;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>
/// The notes the service writes into a firm's status history. They are stored in Chinese whatever the caller's
/// language (history, not a message) and shown through the catalogue; rows written before keep their stored text.
/// </summary>
public static partial class StatusNotes
{
    public const string Registered = "登记";

    public const string Baseline = "迁移前状态基线";

    public const string Imported = "批量导入登记";

    /// <summary>How the two transfer notes read in the catalogue (see <see cref="MovedTo"/>, <see cref="MovedFrom"/>).</summary>
    private const string MovedToFormat = "迁往{0}";

    private const string MovedFromFormat = "自{0}迁入";

    /// <summary>The stored note of a move out to <paramref name="districtName"/>, with the officer's note after it.</summary>
    public static string MovedTo(string districtName, string? note) => "迁往" + districtName + Tail(note);

    public static string MovedFrom(string districtName, string? note) => "自" + districtName + "迁入" + Tail(note);

    /// <summary>A stored note in the caller's language: the service's own notes are translated, anything else is shown as written.</summary>
    public static string? Show(string? note)
    {
        if (note is null || !Text.IsEnglish)
        {
            return note;
        }

        if (note is Registered or Baseline or Imported)
        {
            return Text.T(note);
        }

        if (MovedToNote().Match(note) is { Success: true } to)
        {
            return Text.F(MovedToFormat, to.Groups["district"].Value) + to.Groups["rest"].Value;
        }

        return MovedFromNote().Match(note) is { Success: true } from
            ? Text.F(MovedFromFormat, from.Groups["district"].Value) + from.Groups["rest"].Value
            : note;
    }

    private static string Tail(string? note) => note is null ? string.Empty : "：" + note;

    [GeneratedRegex(@"^迁往(?<district>[^：\s(]+)(?<rest>：.*)?$", RegexOptions.Singleline)]
    private static partial Regex MovedToNote();

    [GeneratedRegex(@"^自(?<district>[^：\s(]+)迁入(?<rest>：.*)?$", RegexOptions.Singleline)]
    private static partial Regex MovedFromNote();
}
