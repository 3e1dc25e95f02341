using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>Contacts, visits and follow-up tasks of one firm.</summary>
public sealed partial class SyntheticData
{
    private static readonly (VisitKind Kind, double Weight)[] KindMix =
        [(VisitKind.OnSite, 40), (VisitKind.Phone, 30), (VisitKind.Meeting, 18), (VisitKind.Event, 12)];

    private static readonly WeightedChoice<VisitKind> Kinds = new(KindMix);
    private static readonly TimeOnly[] Slots = [new(9, 30), new(10, 0), new(14, 0), new(15, 30)];

    /// <summary>Done visits of these kinds reset the visit cadence (the default of Crm:Cadence:ResettingKinds).</summary>
    private static bool ResetsCadence(VisitKind kind) => kind is VisitKind.OnSite or VisitKind.Meeting;

    private List<Contact> Contacts(Random r, Firm firm, FirmPlan plan)
    {
        var count = plan.Prospect ? 1 : 1 + (r.Chance(0.5) ? 1 : 0) + (r.Chance(0.3) ? 1 : 0) + (plan.Tier == FirmTier.Key && r.Chance(0.5) ? 1 : 0);
        var domain = (firm.EnglishName ?? firm.Name).Length % 2 == 0 ? "example.com" : "example.cn";
        var contacts = new List<Contact>(count);
        for (var i = 0; i < count; i++)
        {
            var surname = r.Pick(_words.Surnames);
            var given = r.Chance(0.7) ? [r.Pick(_words.GivenNames), r.Pick(_words.GivenNames)] : new[] { r.Pick(_words.GivenNames) };
            var local = $"{surname.Py}.{string.Concat(given.Select(g => g.Py))}";
            contacts.Add(new Contact
            {
                Id = _ids.NextContact(),
                Version = 1,
                FirmId = firm.Id,
                Name = surname.Zh + string.Concat(given.Select(g => g.Zh)),
                Title = i == 0 ? r.Pick(_words.ContactTitles.Take(3).ToList()) : r.Pick(_words.ContactTitles),
                Phone = Phone(r),
                Email = r.Chance(0.85) ? $"{local}@firm{firm.Id}.{domain}" : null,
                WeChat = r.Chance(0.4) ? $"wxid_{r.Next(100_000_000, 999_999_999)}" : null,
            });
        }

        return contacts;
    }

    private List<Visit> Visits(Random r, Firm firm, FirmPlan plan, List<Contact> contacts, DateOnly assignedOn, DateOnly activeUntil)
    {
        var from = Max(assignedOn, _today.AddDays(-365));
        var inDistrict = plan.InDistrict;
        var visits = new List<Visit>(plan.Visits);
        for (var k = 0; k < plan.Visits; k++)
        {
            var planned = inDistrict && (r.Chance(0.08) || activeUntil < from);
            if (!planned && activeUntil < from)
            {
                continue;
            }

            var on = planned ? r.Date(_today.AddDays(1), _today.AddDays(45)) : r.Date(from, activeUntil);
            var kind = Kinds.Next(r);
            var status = planned ? VisitStatus.Planned : r.Chance(0.04) ? VisitStatus.Cancelled : VisitStatus.Done;
            var officer = r.Chance(0.9) ? firm.LeadOfficerId!.Value : _officers[_officerPicker.Next(r)].Id;
            var created = planned ? SyntheticCases.Instant(r, on.AddDays(-r.Days(1, 20))) : SyntheticCases.Instant(r, on);
            var visit = new Visit
            {
                Version = 1,
                FirmId = firm.Id,
                Status = status,
                Kind = kind,
                On = on,
                StartsAt = planned ? ShanghaiTime.ToUtc(on, r.Pick(Slots)) : null,
                DurationMinutes = planned || kind != VisitKind.Phone ? r.Pick(new[] { 60, 90, 120 }) : null,
                Location = kind switch
                {
                    VisitKind.OnSite => firm.Address,
                    VisitKind.Meeting => r.Chance(0.5) ? "区科委会议室" : "园区企业服务中心",
                    VisitKind.Event => "徐汇区科技政策宣讲会",
                    _ => null,
                },
                Summary = status == VisitStatus.Done ? r.Pick(_words.VisitSummaries) : null,
                Requests = status == VisitStatus.Done && r.Chance(0.45) ? r.Pick(_words.VisitRequests) : null,
                CreatedById = officer,
                CreatedAt = created,
                UpdatedAt = created,
            };
            visit.Officers.Add(new VisitOfficer { UserId = officer });
            if (r.Chance(0.2))
            {
                var second = firm.CoOfficers.Count > 0 ? firm.CoOfficers[0].UserId : _officers[r.Next(_officers.Count)].Id;
                if (second != officer)
                {
                    visit.Officers.Add(new VisitOfficer { UserId = second });
                }
            }

            if (status == VisitStatus.Done && ResetsCadence(kind))
            {
                foreach (var contact in contacts.Where(_ => r.Chance(0.6)).Take(2))
                {
                    visit.Contacts.Add(new VisitContact { ContactId = contact.Id });
                }
            }

            visits.Add(visit);
        }

        visits.Sort((a, b) => a.On.CompareTo(b.On));
        foreach (var visit in visits)
        {
            visit.Id = _ids.NextVisit();
            visit.Officers.ForEach(o => o.VisitId = visit.Id);
            visit.Contacts.ForEach(c => c.VisitId = visit.Id);
        }

        firm.LastVisitOn = visits.LastOrDefault(v => v.Status == VisitStatus.Done && ResetsCadence(v.Kind))?.On;
        return visits;
    }

    private List<FollowUpTask> Tasks(Random r, Firm firm, FirmPlan plan, List<Case> cases, List<Visit> visits, DateOnly assignedOn, DateOnly activeUntil)
    {
        var tasks = new List<FollowUpTask>(plan.OpenTasks + plan.DoneTasks);
        var openCases = cases.Where(c => c.IsOpen).ToList();
        var expiring = cases.FirstOrDefault(c => c.Program == ProgramCatalog.Hnte && c.Stage == "certified"
            && c.CertificateExpiresOn is { } e && e <= _today.AddDays(180));
        var done = visits.Where(v => v.Status == VisitStatus.Done).ToList();
        for (var k = 0; k < plan.OpenTasks + plan.DoneTasks; k++)
        {
            var open = k < plan.OpenTasks;
            var due = open
                ? (r.Chance(0.3) ? r.Date(_today.AddDays(-60), _today.AddDays(-1)) : r.Date(_today, _today.AddDays(60)))
                : r.Date(Max(assignedOn, _today.AddDays(-365)), activeUntil);
            var createdOn = Min(Max(due.AddDays(-r.Days(7, 30)), assignedOn), _today);
            var visit = r.Chance(0.4) ? done.LastOrDefault(v => v.On <= createdOn) : null;
            if (visit is not null)
            {
                createdOn = visit.On;
            }

            var task = new FollowUpTask
            {
                Id = _ids.NextTask(),
                Version = 1,
                FirmId = firm.Id,
                VisitId = visit?.Id,
                CaseId = open && openCases.Count > 0 && r.Chance(0.3) ? r.Pick(openCases).Id : null,
                AssigneeId = visit?.Officers[0].UserId ?? firm.LeadOfficerId!.Value,
                Title = r.Pick(_words.TaskTitles),
                Kind = "follow-up",
                DueOn = due,
                Status = open ? FollowUpStatus.Open : r.Chance(0.05) ? FollowUpStatus.Cancelled : FollowUpStatus.Done,
                CreatedById = visit?.CreatedById ?? firm.LeadOfficerId!.Value,
                CreatedAt = SyntheticCases.Instant(r, createdOn),
            };
            if (open && k == 0 && expiring is not null)
            {
                task.Title = "提醒高企证书到期，准备重新认定";
                task.Kind = "renewal";
                task.CaseId = expiring.Id;
            }

            if (task.Status == FollowUpStatus.Done)
            {
                task.CompletedOn = Min(Max(due.AddDays(r.Days(-10, 5)), createdOn), _today.AddDays(-1));
                task.CompletionNote = r.Pick(_words.CompletionNotes);
            }

            task.UpdatedAt = task.CompletedOn is { } completed ? Max(task.CreatedAt, SyntheticCases.Instant(r, completed)) : task.CreatedAt;
            tasks.Add(task);
        }

        return tasks;
    }
}
