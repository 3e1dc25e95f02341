using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Seeding;

namespace Xuhui.Crm.Web.Tests.Seeding;

// The generator writes SQLite files whatever the provider of the run.
[Trait("Provider", "SqliteOnly")]
public sealed class SyntheticDataTests(GeneratedDatabases databases) : IClassFixture<GeneratedDatabases>
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly HashSet<(string, string)> Closed =
    [
        ("hnte", "certified"), ("hnte", "rejected"), ("hnte", "withdrawn"), ("hnte", "expired"),
        ("little-giant", "completed"), ("little-giant", "failed"), ("little-giant", "withdrawn"),
        ("foreign-rd-center", "recognized"), ("foreign-rd-center", "upgraded"), ("foreign-rd-center", "withdrawn"),
        ("pre-ipo", "listed"), ("pre-ipo", "terminated"),
    ];

    /// <summary>GB 32100-2015, written out independently of the generator.</summary>
    private static bool IsValidCreditCode(string code)
    {
        if (code.Length != 18 || code.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = Enumerable.Range(0, 17).Sum(i => Alphabet.IndexOf(code[i], StringComparison.Ordinal) * weights[i]);
        var check = 31 - (sum % 31);
        return code[17] == Alphabet[check == 31 ? 0 : check];
    }

    [Fact]
    public void The_check_used_here_accepts_the_worked_example_and_refuses_a_changed_check_character()
    {
        Assert.True(IsValidCreditCode("91110000600037341L"));
        Assert.False(IsValidCreditCode("91110000600037341M"));
    }

    [Fact]
    public async Task Every_credit_code_is_valid_and_unique_and_only_prospects_lack_one()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var firms = await db.Firms.AsNoTracking().Select(f => new { f.CreditCode, f.IsProspect }).ToListAsync();

        Assert.Equal(200, firms.Count);
        Assert.All(firms.Where(f => f.CreditCode is not null), f => Assert.True(IsValidCreditCode(f.CreditCode!), f.CreditCode));
        Assert.All(firms.Where(f => f.CreditCode is null), f => Assert.True(f.IsProspect));
        var codes = firms.Where(f => f.CreditCode is not null).Select(f => f.CreditCode).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.True(c!.StartsWith("91310104", StringComparison.Ordinal) || c.StartsWith("91310000", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LastVisitOn_is_the_latest_done_on_site_visit_or_meeting_and_every_firm_is_assigned()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var firms = await db.Firms.AsNoTracking().ToListAsync();
        var latest = await db.Visits.AsNoTracking()
            .Where(v => v.Status == VisitStatus.Done && (v.Kind == VisitKind.OnSite || v.Kind == VisitKind.Meeting))
            .GroupBy(v => v.FirmId)
            .Select(g => new { FirmId = g.Key, On = g.Max(v => v.On) })
            .ToDictionaryAsync(x => x.FirmId, x => x.On);

        Assert.All(firms, f => Assert.Equal(latest.TryGetValue(f.Id, out var on) ? on : null, f.LastVisitOn));
        Assert.All(firms, f => Assert.NotNull(f.AssignedOn));
        Assert.All(firms, f => Assert.NotNull(f.LeadOfficerId));
        Assert.Contains(firms, f => f.LastVisitOn is null);
        Assert.True(await db.Visits.CountAsync(v => v.Status == VisitStatus.Planned && v.On > GeneratedDatabases.Today) > 0);
    }

    [Fact]
    public async Task Each_firm_has_at_most_one_open_case_per_programme_and_IsOpen_follows_the_stage()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var cases = await db.Cases.AsNoTracking().ToListAsync();

        Assert.InRange(cases.Count, 70, 90);
        Assert.All(cases, c => Assert.Equal(!Closed.Contains((c.Program, c.Stage)), c.IsOpen));
        Assert.All(cases.Where(c => c.IsOpen).GroupBy(c => (c.FirmId, c.Program)), g => Assert.Single(g));
        Assert.Equal(4, cases.Select(c => c.Program).Distinct().Count());
    }

    [Fact]
    public async Task Each_case_history_runs_from_an_initial_stage_to_its_current_stage_in_date_order()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var cases = await db.Cases.AsNoTracking().Include(c => c.Transitions).ToListAsync();

        Assert.All(cases, c =>
        {
            var steps = c.Transitions.OrderBy(t => t.Id).ToList();
            Assert.Null(steps[0].FromStage);
            Assert.Equal(c.OpenedOn, steps[0].On);
            Assert.Equal(c.Stage, steps[^1].ToStage);
            Assert.Equal(c.StageSince, steps[^1].On);
            Assert.True(c.StageSince < GeneratedDatabases.Today);
            for (var i = 1; i < steps.Count; i++)
            {
                Assert.Equal(steps[i - 1].ToStage, steps[i].FromStage);
                Assert.True(steps[i - 1].On <= steps[i].On, $"case {c.Id}: {steps[i - 1].On} > {steps[i].On}");
            }
        });
    }

    [Fact]
    public async Task Hnte_certificates_expire_by_default_three_years_on_and_expired_cases_have_lapsed()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var hnte = await db.Cases.AsNoTracking().Where(c => c.Program == "hnte" && c.CertificateIssuedOn != null).ToListAsync();

        Assert.NotEmpty(hnte);
        Assert.All(hnte, c => Assert.Equal(Case.DefaultHnteExpiry(c.CertificateIssuedOn!.Value), c.CertificateExpiresOn));
        Assert.All(hnte.Where(c => c.Stage == "certified"), c => Assert.True(c.CertificateExpiresOn >= GeneratedDatabases.Today));
        Assert.All(hnte.Where(c => c.Stage == "expired"), c => Assert.True(c.CertificateExpiresOn < GeneratedDatabases.Today));
        Assert.All(hnte, c => Assert.Contains(c.Stage, new[] { "certified", "expired" }));
    }

    [Fact]
    public async Task Search_grams_are_exactly_those_the_context_would_write_for_each_firm()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var firms = await db.Firms.AsNoTracking().ToListAsync();
        var grams = (await db.FirmSearchGrams.AsNoTracking().ToListAsync()).ToLookup(g => g.FirmId, g => g.Gram);

        Assert.Contains(firms, f => f.FormerNames.Count > 0);
        Assert.All(firms, f =>
        {
            var text = SearchText.Build([f.Name, f.EnglishName, f.CreditCode, .. f.FormerNames]);
            Assert.Equal(text, f.SearchText);
            Assert.Equal(SearchText.Grams(text).Order(StringComparer.Ordinal), grams[f.Id].Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public async Task Open_tasks_include_overdue_ones_and_done_tasks_have_a_completion_date()
    {
        await using var db = GeneratedDatabases.Open(databases.First);
        var tasks = await db.Tasks.AsNoTracking().ToListAsync();

        Assert.InRange(tasks.Count(t => t.Status == FollowUpStatus.Open), 300, 500);
        Assert.Contains(tasks, t => t.Status == FollowUpStatus.Open && t.DueOn < GeneratedDatabases.Today);
        Assert.All(tasks.Where(t => t.Status == FollowUpStatus.Done), t => Assert.NotNull(t.CompletedOn));
    }

    [Fact]
    public void The_foreign_keys_hold()
    {
        Assert.Empty(GeneratedDatabases.Dump(databases.First, "PRAGMA foreign_key_check"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_rows()
    {
        string[] queries =
        [
            "SELECT * FROM Firms ORDER BY Id", "SELECT * FROM Contacts ORDER BY Id", "SELECT * FROM Cases ORDER BY Id",
            "SELECT * FROM CaseTransitions ORDER BY Id", "SELECT * FROM Visits ORDER BY Id", "SELECT * FROM VisitOfficers ORDER BY VisitId, UserId",
            "SELECT * FROM Tasks ORDER BY Id", "SELECT * FROM FirmSearchGrams ORDER BY Gram, FirmId", "SELECT * FROM FirmFinancials ORDER BY Id",
            "SELECT Id, UserName, DisplayName, Role, SupervisorId FROM Users ORDER BY Id",
        ];

        Assert.All(queries, q => Assert.Equal(GeneratedDatabases.Dump(databases.First, q), GeneratedDatabases.Dump(databases.Second, q)));
    }

    [Fact]
    public void Users_get_distinct_unusable_password_hashes()
    {
        var hashes = GeneratedDatabases.Dump(databases.First, "SELECT PasswordHash FROM Users");
        var again = GeneratedDatabases.Dump(databases.Second, "SELECT PasswordHash FROM Users");

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        Assert.Empty(hashes.Intersect(again));
    }

    [Fact]
    public async Task A_different_seed_gives_different_firms()
    {
        var file = Path.Combine(Path.GetDirectoryName(databases.First)!, "other-seed.db");
        await GeneratedDatabases.GenerateAsync(file, GeneratedDatabases.Options with { Seed = 8 });

        Assert.NotEqual(
            GeneratedDatabases.Dump(databases.First, "SELECT Name FROM Firms ORDER BY Id"),
            GeneratedDatabases.Dump(file, "SELECT Name FROM Firms ORDER BY Id"));
    }
}
