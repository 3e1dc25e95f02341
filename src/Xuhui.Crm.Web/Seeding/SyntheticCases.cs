using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>
/// Builds cultivation cases with full, allowed stage histories that end at a chosen stage. The paths follow the
/// transitions of seed/reference/programs.json: a main path per programme plus its side endings.
/// </summary>
internal sealed class SyntheticCases(SyntheticWords words, DateOnly today)
{
    private static readonly Dictionary<string, string[]> MainPath = new()
    {
        [ProgramCatalog.Hnte] = ["lead", "nurturing", "preparing", "submitted", "certified", "expired"],
        [ProgramCatalog.LittleGiant] = ["lead", "nurturing", "applied", "approved", "evaluation", "completed"],
        [ProgramCatalog.ForeignRdCenter] = ["contact", "intent", "setting-up", "applied", "recognized", "upgraded"],
        [ProgramCatalog.PreIpo] = ["reserve", "restructuring", "tutoring", "accepted", "inquiry", "committee", "registration", "registered", "listed"],
    };

    /// <summary>Side endings and the main-path stages they may be reached from.</summary>
    private static readonly Dictionary<(string Program, string Stage), string[]> SideFrom = new()
    {
        [(ProgramCatalog.Hnte, "rejected")] = ["submitted"],
        [(ProgramCatalog.Hnte, "withdrawn")] = ["lead", "nurturing", "preparing", "submitted"],
        [(ProgramCatalog.LittleGiant, "failed")] = ["applied"],
        [(ProgramCatalog.LittleGiant, "withdrawn")] = ["lead", "nurturing", "applied", "approved", "evaluation"],
        [(ProgramCatalog.ForeignRdCenter, "withdrawn")] = ["contact", "intent", "setting-up", "applied"],
        [(ProgramCatalog.PreIpo, "suspended")] = ["accepted", "inquiry", "committee", "registration"],
        [(ProgramCatalog.PreIpo, "terminated")] = ["reserve", "restructuring", "tutoring", "accepted", "inquiry", "committee", "registration", "registered"],
    };

    private static readonly HashSet<(string, string)> ClosedStages =
    [
        (ProgramCatalog.Hnte, "certified"), (ProgramCatalog.Hnte, "rejected"), (ProgramCatalog.Hnte, "withdrawn"), (ProgramCatalog.Hnte, "expired"),
        (ProgramCatalog.LittleGiant, "completed"), (ProgramCatalog.LittleGiant, "failed"), (ProgramCatalog.LittleGiant, "withdrawn"),
        (ProgramCatalog.ForeignRdCenter, "recognized"), (ProgramCatalog.ForeignRdCenter, "upgraded"), (ProgramCatalog.ForeignRdCenter, "withdrawn"),
        (ProgramCatalog.PreIpo, "listed"), (ProgramCatalog.PreIpo, "terminated"),
    ];

    /// <summary>How the latest case of each programme is spread over its stages.</summary>
    public static readonly Dictionary<string, WeightedChoice<string>> StageMix = new()
    {
        [ProgramCatalog.Hnte] = new([("lead", 10), ("nurturing", 18), ("preparing", 10), ("submitted", 8), ("certified", 38), ("rejected", 5), ("withdrawn", 4), ("expired", 7)]),
        [ProgramCatalog.LittleGiant] = new([("lead", 12), ("nurturing", 20), ("applied", 12), ("approved", 20), ("evaluation", 10), ("completed", 16), ("failed", 6), ("withdrawn", 4)]),
        [ProgramCatalog.ForeignRdCenter] = new([("contact", 15), ("intent", 15), ("setting-up", 10), ("applied", 8), ("recognized", 40), ("upgraded", 6), ("withdrawn", 6)]),
        [ProgramCatalog.PreIpo] = new([("reserve", 35), ("restructuring", 15), ("tutoring", 15), ("accepted", 6), ("inquiry", 6), ("committee", 2), ("registration", 2), ("registered", 1), ("listed", 6), ("suspended", 3), ("terminated", 9)]),
    };

    /// <summary>The closed stage an earlier case of the same firm ended in (before a renewal or a second attempt).</summary>
    public static readonly Dictionary<string, WeightedChoice<string>> EarlierEnding = new()
    {
        [ProgramCatalog.Hnte] = new([("expired", 7), ("rejected", 2), ("withdrawn", 1)]),
        [ProgramCatalog.LittleGiant] = new([("completed", 6), ("failed", 3), ("withdrawn", 1)]),
        [ProgramCatalog.ForeignRdCenter] = new([("withdrawn", 1)]),
        [ProgramCatalog.PreIpo] = new([("terminated", 1)]),
    };

    public static bool IsOpen(string program, string stage) => !ClosedStages.Contains((program, stage));

    public static IReadOnlyList<string> Stages(string program) => StageMix[program].Items.Select(i => i.Item).ToList();

    public static bool IsInitial(string program, string stage) => MainPath[program].AsSpan(0, 2).Contains(stage);

    /// <summary>Builds a case ending at <paramref name="stage"/>; its last move falls before <paramref name="before"/> when given.</summary>
    public Case Build(Random r, SyntheticIds ids, long firmId, string program, string stage, long ownerId, DateOnly? before)
    {
        var path = PathTo(r, program, stage);
        var dates = DatesFor(r, program, path, before);
        var c = new Case
        {
            Id = ids.NextCase(),
            Version = 1,
            FirmId = firmId,
            Program = program,
            Stage = stage,
            IsOpen = IsOpen(program, stage),
            OpenedOn = dates[0],
            StageSince = dates[^1],
            OwnerId = ownerId,
        };
        c.ClosedOn = c.IsOpen ? null : c.StageSince;
        for (var i = 0; i < path.Count; i++)
        {
            c.Transitions.Add(new CaseTransition
            {
                Id = ids.NextTransition(),
                CaseId = c.Id,
                FromStage = i == 0 ? null : path[i - 1],
                ToStage = path[i],
                On = dates[i],
                ById = ownerId,
                At = Instant(r, dates[i]),
                Note = i == 0 ? "建档" : null,
            });
        }

        c.CreatedAt = c.Transitions[0].At;
        c.UpdatedAt = c.Transitions[^1].At;
        AddProgramData(r, ids, c, path, dates);
        return c;
    }

    private static List<string> PathTo(Random r, string program, string stage)
    {
        var main = MainPath[program];
        var end = Array.IndexOf(main, stage);
        var path = new List<string>();
        string? side = null;
        if (end < 0)
        {
            var from = r.Pick(SideFrom[(program, stage)]);
            end = Array.IndexOf(main, from);
            side = stage;
        }

        var start = end >= 1 && r.Chance(0.2) ? 1 : 0;
        path.AddRange(main[start..(end + 1)]);
        if (side is not null)
        {
            path.Add(side);
        }

        return path;
    }

    private List<DateOnly> DatesFor(Random r, string program, List<string> path, DateOnly? before)
    {
        var last = path[^1];
        var latest = before?.AddDays(-1) ?? today.AddDays(-1);
        DateOnly end = (program, last) switch
        {
            (ProgramCatalog.Hnte, "certified") when before is null => r.Date(today.AddYears(-3).AddDays(1), latest),
            (ProgramCatalog.Hnte, "expired") => r.Date(latest.AddYears(-3).AddDays(1), latest),
            (ProgramCatalog.LittleGiant, "approved") when before is null => r.Date(today.AddDays(-700), latest),
            _ when before is not null => r.Date(latest.AddDays(-400), latest),
            _ when IsOpen(program, last) => r.Date(today.AddDays(-300), latest),
            _ => r.Date(today.AddDays(-1000), latest),
        };

        var dates = new DateOnly[path.Count];
        dates[^1] = end;
        for (var i = path.Count - 1; i > 0; i--)
        {
            dates[i - 1] = Earlier(r, program, path[i - 1], path[i], dates[i]);
        }

        return [.. dates];
    }

    /// <summary>The date of the move into <paramref name="from"/>, given the date it moved on to <paramref name="to"/>.</summary>
    private static DateOnly Earlier(Random r, string program, string from, string to, DateOnly toOn) => (program, from, to) switch
    {
        // Certificates lapse the day after the default expiry: the expired move falls on the third anniversary.
        (ProgramCatalog.Hnte, "certified", "expired") => toOn.AddYears(-3),
        (ProgramCatalog.Hnte, "submitted", _) => toOn.AddDays(-r.Days(90, 180)),
        (ProgramCatalog.Hnte, "nurturing", _) => toOn.AddDays(-r.Days(60, 300)),
        // A little-giant project runs two years; the evaluation follows its end.
        (ProgramCatalog.LittleGiant, "approved", "evaluation") => toOn.AddDays(-r.Days(1, 60)).AddYears(-2).AddDays(1),
        (ProgramCatalog.LittleGiant, "applied", _) => toOn.AddDays(-r.Days(90, 180)),
        (ProgramCatalog.ForeignRdCenter, "recognized", "upgraded") => toOn.AddDays(-r.Days(365, 1000)),
        (ProgramCatalog.PreIpo, "reserve", _) => toOn.AddDays(-r.Days(90, 500)),
        (ProgramCatalog.PreIpo, "tutoring", _) => toOn.AddDays(-r.Days(92, 300)),
        (ProgramCatalog.PreIpo, "accepted" or "committee" or "registration" or "registered", _) => toOn.AddDays(-r.Days(10, 45)),
        _ => toOn.AddDays(-r.Days(20, 200)),
    };

    private void AddProgramData(Random r, SyntheticIds ids, Case c, List<string> path, List<DateOnly> dates)
    {
        DateOnly? On(string stage) => path.IndexOf(stage) is var i and >= 0 ? dates[i] : null;
        switch (c.Program)
        {
            case ProgramCatalog.Hnte when On("certified") is { } issued:
                c.CertificateNumber = $"GR{issued.Year}31{r.Next(1_000_000):D6}";
                c.CertificateIssuedOn = issued;
                c.CertificateExpiresOn = Case.DefaultHnteExpiry(issued);
                AddAnnualReports(r, ids, c, issued);
                break;
            case ProgramCatalog.LittleGiant when On("approved") is { } approved:
                c.LittleGiantTier = r.Chance(0.6) ? "cultivation" : "giant";
                c.Cohort = approved.Year;
                c.ProjectStartOn = approved;
                c.ProjectEndOn = approved.AddYears(2).AddDays(-1);
                if (c.Stage == "completed")
                {
                    c.EvaluationScore = Math.Clamp((int)Math.Round(r.Normal(78, 9)), 45, 98);
                    c.EvaluationGrade = c.EvaluationScore switch { >= 80 => "优秀", >= 70 => "良好", >= 60 => "合格", _ => "不合格" };
                }

                break;
            case ProgramCatalog.ForeignRdCenter when On("recognized") is { } recognized:
                c.RecognizedOn = recognized;
                c.RdCenterType = c.Stage == "upgraded" ? "global-rd-center"
                    : r.Chance(0.15) ? "global-rd-center" : r.Chance(0.18) ? "open-innovation-platform" : "rd-center";
                break;
            case ProgramCatalog.PreIpo:
                if (path.IndexOf("restructuring") >= 0 || path.IndexOf("tutoring") >= 0)
                {
                    c.TargetBoard = r.Pick(words.Boards);
                    c.Sponsor = r.Pick(words.Sponsors);
                }

                c.FiledOn = On("accepted");
                break;
        }
    }

    /// <summary>One annual report per fiscal year of validity (due 31 May of the next year); a few are late or missing.</summary>
    private void AddAnnualReports(Random r, SyntheticIds ids, Case c, DateOnly issued)
    {
        for (var year = issued.Year; year < issued.Year + 3; year++)
        {
            if (r.Chance(0.05))
            {
                continue;
            }

            var filed = r.Chance(0.06)
                ? new DateOnly(year + 1, 6, r.Days(1, 30))
                : r.Date(new DateOnly(year + 1, 3, 1), new DateOnly(year + 1, 5, 31));
            if (filed < today && filed > issued)
            {
                c.AnnualReports.Add(new AnnualReportFiling { Id = ids.NextFiling(), CaseId = c.Id, Year = year, FiledOn = filed });
            }
        }
    }

    public static DateTime Instant(Random r, DateOnly on) => ShanghaiTime.ToUtc(on, new TimeOnly(r.Days(9, 17), r.Next(60)));
}
