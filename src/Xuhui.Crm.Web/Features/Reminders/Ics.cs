using System.Globalization;
using System.Text;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>A minimal RFC 5545 calendar with one event, for a planned visit.</summary>
public static class Ics
{
    public sealed record Event(string Uid, DateTime StampUtc, DateTime? StartUtc, int? DurationMinutes, DateOnly Date, string Summary, string? Location, string? Description, string? Url);

    public static string Build(Event e)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Xuhui District//Enterprise Service CRM//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            $"UID:{e.Uid}",
            $"DTSTAMP:{Utc(e.StampUtc)}",
        };
        if (e.StartUtc is { } start)
        {
            lines.Add($"DTSTART:{Utc(start)}");
            lines.Add($"DTEND:{Utc(start.AddMinutes(e.DurationMinutes is > 0 ? e.DurationMinutes.Value : 60))}");
        }
        else
        {
            lines.Add($"DTSTART;VALUE=DATE:{e.Date:yyyyMMdd}");
            lines.Add($"DTEND;VALUE=DATE:{e.Date.AddDays(1):yyyyMMdd}");
        }

        lines.Add($"SUMMARY:{Escape(e.Summary)}");
        if (!string.IsNullOrWhiteSpace(e.Location))
        {
            lines.Add($"LOCATION:{Escape(e.Location)}");
        }

        if (!string.IsNullOrWhiteSpace(e.Description))
        {
            lines.Add($"DESCRIPTION:{Escape(e.Description)}");
        }

        if (!string.IsNullOrWhiteSpace(e.Url))
        {
            lines.Add($"URL:{e.Url}");
        }

        lines.Add("END:VEVENT");
        lines.Add("END:VCALENDAR");
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(sb, line);
        }

        return sb.ToString();
    }

    private static string Utc(DateTime t) => t.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Lines longer than 75 octets are folded (CRLF + space) without splitting a UTF-8 character or a surrogate pair.</summary>
    internal static void Fold(StringBuilder sb, string line)
    {
        var octets = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var width = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var bytes = Encoding.UTF8.GetByteCount(line.AsSpan(i, width));
            if (octets + bytes > 75)
            {
                sb.Append("\r\n ");
                octets = 1;
            }

            sb.Append(line, i, width);
            octets += bytes;
            i += width - 1;
        }

        sb.Append("\r\n");
    }
}
