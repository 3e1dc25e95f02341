using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Domain.Tests.Programs;

/// <summary>The stage rules programs.json carries as data: pauses, certificates, recorded dates, certificate terms, reports.</summary>
public sealed class ProgramRulesTests
{
    private readonly ProgramCatalog _catalog = SeedCatalog.Load();

    [Fact]
    public void Only_the_pre_ipo_suspension_pauses_a_case()
    {
        var paused = _catalog.Programs.SelectMany(p => p.Stages.Where(s => s.Pause).Select(s => (p.Code, s.Code)));

        Assert.Equal([(ProgramCatalog.PreIpo, "suspended")], paused);
    }

    [Theory]
    [InlineData("hnte", "certified expired")]
    [InlineData("little-giant", "approved")]
    [InlineData("foreign-rd-center", "recognized")]
    [InlineData("pre-ipo", "listed")]
    public void Each_win_and_what_follows_an_hnte_certificate_hold_a_certificate(string program, string stages)
    {
        var p = _catalog.Get(program);

        Assert.Equal(stages.Split(' ').Order(), p.Stages.Where(s => s.Certificate).Select(s => s.Code).Order());
        Assert.All(p.Stages.Where(s => s.Outcome == StageOutcome.Win), s => Assert.True(p.HoldsCertificate(s.Code)));
        Assert.False(p.HoldsCertificate("nope"));
    }

    [Fact]
    public void Reaching_recognition_records_the_recognition_date_and_nothing_else_records_one()
    {
        var recording = _catalog.Programs.SelectMany(p => p.Stages.Where(s => s.Records is not null).Select(s => (p.Code, s.Code, s.Records)));

        Assert.Equal([(ProgramCatalog.ForeignRdCenter, "recognized", (CaseDate?)CaseDate.RecognizedOn)], recording);
    }

    [Fact]
    public void An_hnte_certificate_runs_three_years_and_the_others_have_no_default_term()
    {
        Assert.Equal(new DateOnly(2029, 2, 27), _catalog.Get(ProgramCatalog.Hnte).DefaultCertificateExpiry(new DateOnly(2026, 2, 28)));
        Assert.Equal(new DateOnly(2027, 2, 27), _catalog.Get(ProgramCatalog.Hnte).DefaultCertificateExpiry(new DateOnly(2024, 2, 29)));
        Assert.All(
            _catalog.Programs.Where(p => p.Code != ProgramCatalog.Hnte),
            p => Assert.Null(p.DefaultCertificateExpiry(new DateOnly(2026, 1, 1))));
    }

    [Fact]
    public void Only_hnte_cases_file_annual_reports()
    {
        Assert.Equal([ProgramCatalog.Hnte], _catalog.Programs.Where(p => p.AnnualReports).Select(p => p.Code));
    }

    [Fact]
    public void Rules_left_out_of_a_programme_default_to_none()
    {
        const string json = """
            { "programs": [ { "code": "x", "nameZh": "项目", "nameEn": "X", "initialStages": ["a"],
              "stages": [ { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 1, "open": true } ], "transitions": {} } ] }
            """;

        var p = ProgramCatalog.FromJson(json).Get("x");

        Assert.Null(p.CertificateYears);
        Assert.False(p.AnnualReports);
        Assert.False(p.GetStage("a").Pause);
        Assert.False(p.GetStage("a").Certificate);
        Assert.Null(p.GetStage("a").Records);
    }

    [Theory]
    [InlineData("\"open\": true, \"records\": \"firstSeenOn\"", "firstSeenOn")]
    [InlineData("\"open\": false, \"pause\": true", "pauses a case but is not open")]
    public void Loading_an_inconsistent_rule_throws_naming_it(string stage, string problem)
    {
        var json = $$"""
            { "programs": [ { "code": "x", "nameZh": "项目", "nameEn": "X", "initialStages": ["a"],
              "stages": [ { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 1, {{stage}} } ], "transitions": {} } ] }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => ProgramCatalog.FromJson(json));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }
}
