using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Seeding;

public sealed partial class SyntheticData
{
    private static readonly string[] Divisions = ["310104", "310104", "310104", "310104", "310104", "310104", "310000"];
    private static readonly string[] MovedFrom = ["闵行区", "长宁区", "浦东新区", "静安区", "黄浦区", "杨浦区"];

    private FirmBundle BuildFirm(int index, Random r)
    {
        var plan = _plans[index];
        var firmId = _ids.NextFirm();
        var lead = _officers[_officerPicker.Next(r)];
        var industry = _industries.Next(r);
        var zone = _zones.Next(r);

        // Cases first: they decide how old the firm must be and whether it is a joint-stock company yet.
        var cases = new List<Case>();
        foreach (var (program, stage, earlierStage) in plan.Cases)
        {
            var latest = _cases.Build(r, _ids, firmId, program, stage, lead.Id, before: null);
            if (earlierStage is not null)
            {
                cases.Add(_cases.Build(r, _ids, firmId, program, earlierStage, lead.Id, before: latest.OpenedOn));
            }

            cases.Add(latest);
        }

        var established = _today.AddDays(-(int)(Math.Min(30, 0.3 + r.Exponential(8)) * 365));
        if (cases.Count > 0 && cases.Min(c => c.OpenedOn) is var firstCase && established > firstCase.AddDays(-400))
        {
            established = firstCase.AddDays(-r.Days(400, 2500));
        }

        var jointStock = r.Chance(0.12) || cases.Any(c => c.Program == ProgramCatalog.PreIpo
            && c.Stage is not ("reserve" or "restructuring" or "terminated"));
        var firm = new Firm
        {
            Id = firmId,
            Version = 1,
            IsProspect = plan.Prospect,
            Address = Address(r, zone),
            Zone = zone,
            Industry = industry,
            Ownership = plan.Ownership,
            EstablishedOn = established,
            Tier = plan.Tier,
            Status = plan.Status,
            LeadOfficerId = lead.Id,
        };
        Name(r, firm, industry, jointStock);
        if (!plan.Prospect)
        {
            firm.CreditCode = UniqueCreditCode(r);
        }

        Profile(r, firm, plan);
        var (assignedOn, activeUntil) = StatusHistory(r, firm, plan, lead.Id);
        firm.AssignedOn = assignedOn;
        if (r.Chance(0.18))
        {
            var co = _officers[r.Next(_officers.Count)];
            if (co.Id != lead.Id)
            {
                firm.CoOfficers.Add(new FirmOfficer { FirmId = firmId, UserId = co.Id });
            }
        }

        var contacts = Contacts(r, firm, plan);
        var visits = Visits(r, firm, plan, contacts, assignedOn, activeUntil);
        var tasks = Tasks(r, firm, plan, cases, visits, assignedOn, activeUntil);
        firm.SearchText = firm.SearchableText();
        var grams = FirmSearchGram.For(firmId, firm.Name, firm.SearchText).ToList();
        return new FirmBundle(firm, contacts, cases, visits, tasks, grams);
    }

    private string Address(Random r, string zone)
    {
        var building = r.Chance(0.5) ? $"{r.Days(1, 12)}号楼" : string.Empty;
        return $"上海市徐汇区{r.Pick(_words.Roads[zone])}{r.Days(1, 1500)}号{building}{r.Days(1, 28)}{r.Days(1, 20):D2}室";
    }

    /// <summary>上海 + 字号 + 行业词 + 有限公司 and its variants, unique across the data set; ~10% carry former names.</summary>
    private void Name(Random r, Firm firm, string industry, bool jointStock)
    {
        var word = r.Pick(_words.Industries[industry]);
        var foreignStyle = firm.Ownership is Ownership.ForeignInvested or Ownership.HongKongMacaoTaiwan && r.Chance(0.5);
        PinyinWord brand;
        string name;
        var tries = 0;
        do
        {
            brand = Brand(r, tries++ > 20 ? 3 : 2);
            name = Compose(r, brand, word, jointStock, foreignStyle);
        }
        while (!_names.Add(name));

        firm.Name = name;
        var en = string.Concat(char.ToUpperInvariant(brand.Py[0]), brand.Py[1..]);
        if (r.Chance(0.35))
        {
            firm.EnglishName = foreignStyle ? $"{en} {word.En} (Shanghai) Co., Ltd." : $"Shanghai {en} {word.En} Co., Ltd.";
        }

        if (jointStock && r.Chance(0.7))
        {
            firm.FormerNames.Add(name.Replace("股份有限公司", "有限公司", StringComparison.Ordinal));
        }
        else if (r.Chance(0.1))
        {
            firm.FormerNames.Add(Compose(r, Brand(r, 2), r.Pick(_words.Industries[industry]), false, foreignStyle));
            if (r.Chance(0.2))
            {
                firm.FormerNames.Add(Compose(r, Brand(r, 2), r.Pick(_words.Industries[r.Pick(_words.Industries.Keys.ToList())]), false, false));
            }
        }
    }

    private PinyinWord Brand(Random r, int syllables)
    {
        var parts = new List<PinyinWord>();
        while (parts.Count < syllables)
        {
            var p = r.Pick(_words.Brands);
            if (!parts.Contains(p))
            {
                parts.Add(p);
            }
        }

        return new PinyinWord(string.Concat(parts.Select(p => p.Zh)), string.Concat(parts.Select(p => p.Py)));
    }

    private static string Compose(Random r, PinyinWord brand, IndustryWord word, bool jointStock, bool foreignStyle)
    {
        if (jointStock)
        {
            return $"上海{brand.Zh}{word.Zh}股份有限公司";
        }

        if (foreignStyle)
        {
            return r.Chance(0.75) ? $"{brand.Zh}{word.Zh}（上海）有限公司" : $"{brand.Zh}（上海）{word.Zh}有限公司";
        }

        return r.NextDouble() switch
        {
            < 0.90 => $"上海{brand.Zh}{word.Zh}有限公司",
            < 0.95 => $"上海{brand.Zh}{word.Zh}集团有限公司",
            _ => $"上海市{brand.Zh}{word.Zh}有限公司",
        };
    }

    private string UniqueCreditCode(Random r)
    {
        string code;
        do
        {
            code = SyntheticCreditCode.Generate(r, r.Pick(Divisions));
        }
        while (!_codes.Add(code));

        return code;
    }

    /// <summary>Headcount, three years of financials (yuan), patents, technology field and innovation score.</summary>
    private void Profile(Random r, Firm firm, FirmPlan plan)
    {
        var key = plan.Tier == FirmTier.Key;
        var size = r.LogNormal(key ? 4 : 1, 0.9);
        if (!r.Chance(0.05))
        {
            firm.Headcount = Math.Max(3, (int)Math.Round(30 * size));
            firm.RdHeadcount = (int)Math.Round(firm.Headcount.Value * (0.04 + (0.5 * r.NextDouble())));
        }

        firm.InventionPatents = r.Chance(0.3) ? 0 : Math.Min(500, (int)r.LogNormal(4 * Math.Sqrt(size), 1.0));
        firm.CoreIpCount = firm.InventionPatents + r.Next(0, 15);
        firm.TechField = r.Chance(0.85) ? _words.TechFields[firm.Industry!] : r.Pick(_words.TechFields.Values.Distinct().ToList());
        firm.InnovationScore = r.Chance(0.1) ? null : r.Days(40, 95);

        var sales = 2e7 * size * r.LogNormal(1, 0.6);
        var rdRatio = 0.01 + (0.13 * r.NextDouble());
        for (var year = _today.Year - 3; year < _today.Year; year++)
        {
            if (year < firm.EstablishedOn!.Value.Year)
            {
                continue;
            }

            var rd = sales * rdRatio * (0.9 + (0.2 * r.NextDouble()));
            firm.Financials.Add(new FirmFinancial
            {
                Id = _ids.NextFinancial(),
                FirmId = firm.Id,
                Year = year,
                SalesRevenue = Yuan(sales),
                TotalRevenue = Yuan(sales * (1 + (0.12 * r.NextDouble()))),
                RdExpense = Yuan(rd),
                RdExpenseInChina = Yuan(rd * (0.85 + (0.15 * r.NextDouble()))),
                HighTechRevenue = Yuan(sales * (0.3 + (0.65 * r.NextDouble()))),
            });
            sales *= 0.9 + (0.5 * r.NextDouble());
        }
    }

    private static decimal Yuan(double value) => Math.Round((decimal)value / 100m) * 100m;

    /// <summary>Status rows with effective dates; returns when the lead was assigned and the last day the firm was in the district.</summary>
    private (DateOnly AssignedOn, DateOnly ActiveUntil) StatusHistory(Random r, Firm firm, FirmPlan plan, long leadId)
    {
        var established = firm.EstablishedOn!.Value;
        var since = established;
        if (plan.Status == FirmStatus.MovedIn)
        {
            since = r.Date(Min(established.AddDays(180), _today.AddDays(-60)), _today.AddDays(-60));
        }

        var recorded = _today.AddDays(r.Chance(0.8) ? -r.Days(366, 6 * 365) : -r.Days(31, 365));
        recorded = Min(Max(recorded, since), _today.AddDays(-30));
        var assignedOn = recorded.AddDays(r.Days(0, 20));
        firm.CreatedAt = SyntheticCases.Instant(r, recorded);
        firm.UpdatedAt = SyntheticCases.Instant(r, r.Date(assignedOn, _today.AddDays(-1)));
        firm.StatusChanges.Add(new FirmStatusChange
        {
            Id = _ids.NextStatusChange(),
            FirmId = firm.Id,
            Status = plan.Status == FirmStatus.MovedIn ? FirmStatus.MovedIn : FirmStatus.Active,
            EffectiveOn = since,
            Note = plan.Status == FirmStatus.MovedIn ? $"自{r.Pick(MovedFrom)}迁入" : "设立登记",
            RecordedAt = firm.CreatedAt,
        });

        var activeUntil = _today.AddDays(-1);
        if (plan.Status is FirmStatus.MovedOut or FirmStatus.Deregistered)
        {
            var left = r.Date(assignedOn.AddDays(30), _today.AddDays(-1));
            activeUntil = left.AddDays(-1);
            firm.StatusChanges.Add(new FirmStatusChange
            {
                Id = _ids.NextStatusChange(),
                FirmId = firm.Id,
                Status = plan.Status,
                EffectiveOn = left,
                Note = plan.Status == FirmStatus.MovedOut ? $"迁出至{r.Pick(MovedFrom)}" : "注销登记",
                RecordedById = leadId,
                RecordedAt = SyntheticCases.Instant(r, left),
            });
            firm.UpdatedAt = Max(firm.UpdatedAt, SyntheticCases.Instant(r, left));
        }

        return (assignedOn, activeUntil);
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static string Phone(Random r) => $"1{"35789"[r.Next(5)]}{r.Next(0, 1_000_000_000):D9}";
}
