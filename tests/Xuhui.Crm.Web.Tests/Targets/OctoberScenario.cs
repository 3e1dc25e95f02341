using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>
/// The constructed data set for October 2026: every number in the report and the targets is known in advance and
/// written down in <see cref="OctoberReportTests"/>. Firms are named by their role in the story.
/// </summary>
public static class OctoberScenario
{
    public const string Month = "2026-10";

    /// <summary>09:00 on 1 Oct 2026 in Shanghai: where the targets tests' hosts start their clock (it only moves forward).</summary>
    public static readonly DateTimeOffset HostStart = new(2026, 10, 1, 1, 0, 0, TimeSpan.Zero);

    /// <summary>The monthly report's leadership list the report hosts run with.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ReportRecipients =>
        [new("Crm:Reports:Recipients:0", "leader@xuhui.local"), new("Crm:Reports:Recipients:1", "deputy@xuhui.local")];

    /// <summary>09:00 on 2 Nov 2026 in Shanghai: October is closed.</summary>
    public static readonly DateTimeOffset ReportTime = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    /// <summary>23:59 on 31 Oct in Shanghai (still October) and 00:01 on 1 Nov (already November).</summary>
    public static readonly DateTimeOffset LastMinuteOfOctober = new(2026, 10, 31, 15, 59, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset FirstMinuteOfNovember = new(2026, 10, 31, 16, 1, 0, TimeSpan.Zero);

    public sealed record Ids(long OfficerA, long OfficerB, Dictionary<string, long> Firms, long BoundaryWinCase, long BoundaryNovemberCase, long StalledCase);

    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    public static async Task<Ids> SeedAsync(CrmDbContext db)
    {
        var a = new User { UserName = "wangfang", DisplayName = "王芳", Role = Roles.Officer, PasswordHash = "x" };
        var b = new User { UserName = "liqiang", DisplayName = "李强", Role = Roles.Officer, PasswordHash = "x" };
        db.Users.AddRange(a, b);
        await db.SaveChangesAsync();

        db.LegalPersonCounts.Add(new LegalPersonCount { Year = 2025, Count = 40_000, Source = "徐汇区统计年鉴 2025", PublishedOn = D(2026, 5, 20) });
        db.IndicatorTargets.Add(new IndicatorTarget { Code = "hnte-per-10k", Year = 2026, Target = 2.0 });
        db.IndicatorValues.Add(new IndicatorValue
        {
            Code = "rd-spending-ratio", Period = "2025", PeriodEnd = D(2025, 12, 31), Value = 8.55, Source = "区统计局公报", SourceDate = D(2026, 3, 1),
        });

        var firms = new Dictionary<string, Firm>();
        Firm F(string key, string name, string? zone = null, params (FirmStatus Status, DateOnly On)[] history)
        {
            var f = new Firm { Name = name, Zone = zone };
            var h = history.Length == 0 ? [(FirmStatus.Active, D(2015, 1, 1))] : history;
            foreach (var (status, on) in h)
            {
                f.StatusChanges.Add(new FirmStatusChange { Status = status, EffectiveOn = on });
            }

            f.Status = h[^1].Status;
            firms[key] = f;
            db.Firms.Add(f);
            return f;
        }

        Case C(Firm f, string program, params (string? From, string To, DateOnly On)[] path)
        {
            var last = path[^1];
            var open = program switch
            {
                "hnte" => last.To is "lead" or "nurturing" or "preparing" or "submitted",
                "little-giant" => last.To is "lead" or "nurturing" or "applied" or "approved" or "evaluation",
                "foreign-rd-center" => last.To is "contact" or "intent" or "setting-up" or "applied",
                _ => last.To is not ("listed" or "terminated"),
            };
            var c = new Case
            {
                Firm = f,
                Program = program,
                Stage = last.To,
                StageSince = last.On,
                OpenedOn = path[0].On,
                IsOpen = open,
                ClosedOn = open ? null : last.On,
                OwnerId = a.Id,
            };
            foreach (var (from, to, on) in path)
            {
                c.Transitions.Add(new CaseTransition { FromStage = from, ToStage = to, On = on });
            }

            db.Cases.Add(c);
            return c;
        }

        Case Certified(Firm f, DateOnly issued, DateOnly expires, string number)
        {
            var c = C(f, "hnte", (null, "certified", issued));
            (c.CertificateNumber, c.CertificateIssuedOn, c.CertificateExpiresOn) = (number, issued, expires);
            return c;
        }

        // HNTE certificates.
        var expiringLastDay = F("expiring-last-day", "上海甲骨科技有限公司");
        Certified(expiringLastDay, D(2023, 11, 1), D(2026, 10, 31), "GR202331000001");
        C(expiringLastDay, "hnte", (null, "preparing", D(2026, 7, 1)), ("preparing", "submitted", D(2026, 9, 1)));

        var issuedFirst = F("issued-first", "上海乙烯新材料有限公司", "xuhui-riverside");
        var win = C(issuedFirst, "hnte", (null, "lead", D(2025, 6, 1)), ("lead", "nurturing", D(2025, 8, 1)),
            ("nurturing", "preparing", D(2026, 2, 1)), ("preparing", "submitted", D(2026, 6, 1)), ("submitted", "certified", D(2026, 10, 1)));
        (win.CertificateNumber, win.CertificateIssuedOn, win.CertificateExpiresOn) = ("GR202631000002", D(2026, 10, 1), D(2029, 9, 30));

        var movedOut = F("moved-out", "上海丙辰信息技术有限公司", null, (FirmStatus.Active, D(2012, 1, 1)), (FirmStatus.MovedOut, D(2026, 10, 15)));
        Certified(movedOut, D(2024, 3, 1), D(2027, 2, 28), "GR202431000003");

        var steady = F("steady", "上海丁香生物医药有限公司", "caohejing");
        Certified(steady, D(2025, 1, 10), D(2028, 1, 9), "GR202531000004");

        var lapsed = F("lapsed", "上海戊己能源有限公司");
        var lapsedCase = C(lapsed, "hnte", (null, "submitted", D(2023, 6, 1)), ("submitted", "certified", D(2023, 10, 1)), ("certified", "expired", D(2026, 10, 1)));
        (lapsedCase.CertificateNumber, lapsedCase.CertificateIssuedOn, lapsedCase.CertificateExpiresOn) = ("GR202331000005", D(2023, 10, 1), D(2026, 9, 30));

        var archived = F("archived", "上海已归档测试有限公司");
        archived.IsArchived = true;
        Certified(archived, D(2025, 1, 1), D(2027, 12, 31), "GR202531000006");

        var movedIn = F("moved-in", "上海庚辛智能科技有限公司", null,
            (FirmStatus.Active, D(2010, 1, 1)), (FirmStatus.MovedOut, D(2020, 1, 1)), (FirmStatus.MovedIn, D(2026, 3, 1)));
        Certified(movedIn, D(2024, 1, 1), D(2026, 12, 31), "GR202431000007");

        var revoked = F("revoked", "上海撤销示例有限公司");
        var revokedCase = C(revoked, "hnte", (null, "certified", D(2025, 5, 1)), ("certified", "expired", D(2026, 6, 30)));
        (revokedCase.CertificateNumber, revokedCase.CertificateIssuedOn, revokedCase.CertificateExpiresOn) = ("GR202531000008", D(2025, 5, 1), D(2028, 4, 30));

        // Pipeline movements in October.
        var regressing = F("regressing", "上海壬癸软件有限公司");
        C(regressing, "hnte", (null, "lead", D(2026, 1, 5)), ("lead", "nurturing", D(2026, 3, 10)), ("nurturing", "preparing", D(2026, 8, 1)),
            ("preparing", "nurturing", D(2026, 10, 20)));

        var advancing = F("advancing", "上海子丑数据有限公司");
        C(advancing, "hnte", (null, "nurturing", D(2026, 4, 1)), ("nurturing", "preparing", D(2026, 10, 12)));

        var stalled = F("stalled", "上海寅卯咨询有限公司");
        var stalledCase = C(stalled, "hnte", (null, "lead", D(2026, 5, 1)));

        var rejected = F("rejected", "上海辰巳电子有限公司");
        C(rejected, "hnte", (null, "preparing", D(2026, 5, 1)), ("preparing", "submitted", D(2026, 8, 1)), ("submitted", "rejected", D(2026, 10, 15)));

        var boundaryWin = F("boundary-win", "上海午未精密制造有限公司");
        var boundaryWinCase = C(boundaryWin, "little-giant", (null, "lead", D(2025, 9, 1)), ("lead", "applied", D(2026, 6, 15)));

        var boundaryNovember = F("boundary-november", "上海申酉半导体有限公司");
        var boundaryNovemberCase = C(boundaryNovember, "little-giant", (null, "lead", D(2026, 9, 1)));

        var sameMonth = F("same-month", "Acme 研发（上海）有限公司");
        C(sameMonth, "foreign-rd-center", (null, "contact", D(2026, 10, 5)), ("contact", "withdrawn", D(2026, 10, 25)));

        var rdCentre = F("rd-centre", "上海戌亥医药研发有限公司");
        var rd1 = C(rdCentre, "foreign-rd-center", (null, "applied", D(2024, 3, 1)), ("applied", "recognized", D(2024, 5, 1)));
        (rd1.RdCenterType, rd1.RecognizedOn) = ("rd-center", D(2024, 5, 1));

        var platform = F("platform", "上海开放创新平台有限公司");
        var rd2 = C(platform, "foreign-rd-center", (null, "applied", D(2025, 3, 1)), ("applied", "recognized", D(2025, 6, 1)));
        (rd2.RdCenterType, rd2.RecognizedOn) = ("open-innovation-platform", D(2025, 6, 1));

        var global = F("global", "上海环球研发中心有限公司");
        var rd3 = C(global, "foreign-rd-center", (null, "recognized", D(2023, 1, 1)), ("recognized", "upgraded", D(2026, 10, 10)));
        (rd3.RdCenterType, rd3.RecognizedOn) = ("global-rd-center", D(2023, 1, 1));

        var listed = F("listed", "上海鑫淼股份有限公司");
        var ipo = C(listed, "pre-ipo", (null, "registration", D(2026, 7, 1)), ("registration", "registered", D(2026, 9, 1)), ("registered", "listed", D(2026, 10, 20)));
        ipo.TargetBoard = "star";
        await db.SaveChangesAsync();

        // Visits: three done in October (two firms), one done in November, one cancelled and one planned in October.
        Visit V(Firm f, DateOnly on, VisitStatus status, params User[] officers)
        {
            var v = new Visit { FirmId = f.Id, On = on, Status = status, Kind = VisitKind.OnSite, CreatedById = a.Id };
            v.Officers.AddRange(officers.Select(o => new VisitOfficer { UserId = o.Id }));
            db.Visits.Add(v);
            return v;
        }

        V(issuedFirst, D(2026, 10, 1), VisitStatus.Done, a);
        V(issuedFirst, D(2026, 10, 15), VisitStatus.Done, a, b);
        V(steady, D(2026, 10, 31), VisitStatus.Done, b);
        V(steady, D(2026, 11, 1), VisitStatus.Done, b);
        V(regressing, D(2026, 10, 20), VisitStatus.Cancelled, a);
        V(regressing, D(2026, 10, 21), VisitStatus.Planned, a);

        // Follow-ups.
        void T(User who, DateOnly due, FollowUpStatus status, DateOnly? completed) => db.Tasks.Add(new FollowUpTask
        {
            FirmId = steady.Id, AssigneeId = who.Id, Title = "跟进", DueOn = due, Status = status, CompletedOn = completed, CreatedById = a.Id,
        });
        T(a, D(2026, 10, 10), FollowUpStatus.Done, D(2026, 10, 9));
        T(a, D(2026, 10, 10), FollowUpStatus.Done, D(2026, 10, 12));
        T(b, D(2026, 10, 20), FollowUpStatus.Open, null);
        T(b, D(2026, 9, 15), FollowUpStatus.Done, D(2026, 10, 5));
        T(b, D(2026, 10, 31), FollowUpStatus.Open, null);
        T(a, D(2026, 10, 25), FollowUpStatus.Done, D(2026, 11, 1));
        T(a, D(2026, 10, 5), FollowUpStatus.Cancelled, null);
        T(a, D(2026, 11, 5), FollowUpStatus.Open, null);
        await db.SaveChangesAsync();

        return new Ids(a.Id, b.Id, firms.ToDictionary(kv => kv.Key, kv => kv.Value.Id), boundaryWinCase.Id, boundaryNovemberCase.Id, stalledCase.Id);
    }
}
