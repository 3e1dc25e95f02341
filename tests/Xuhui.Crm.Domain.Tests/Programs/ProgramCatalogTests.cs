using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Domain.Tests.Programs;

/// <summary>How CheckTransition answers and how FromJson treats bad catalogues.</summary>
public sealed class ProgramCatalogTests
{
    private readonly ProgramCatalog _catalog = SeedCatalog.Load();

    [Fact]
    public void Checking_a_move_in_an_unknown_programme_returns_unknown_program()
    {
        var check = _catalog.CheckTransition("space-program", "lead", "lead", "nurturing");

        Assert.Equal(TransitionStatus.UnknownProgram, check.Status);
        Assert.Contains("space-program", check.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("moon", "lead", "nurturing")]
    [InlineData("lead", "moon", "nurturing")]
    [InlineData("lead", "lead", "moon")]
    [InlineData("lead", "lead", "listed")]
    public void Checking_a_move_naming_an_unknown_stage_returns_unknown_stage(string expectedFrom, string current, string to)
    {
        var check = _catalog.CheckTransition(ProgramCatalog.Hnte, expectedFrom, current, to);

        Assert.Equal(TransitionStatus.UnknownStage, check.Status);
        Assert.Contains("高新技术企业", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checking_a_move_from_a_stage_the_case_has_left_returns_stale_naming_both_stages()
    {
        var check = _catalog.CheckTransition(ProgramCatalog.Hnte, "preparing", "submitted", "submitted");

        Assert.Equal(TransitionStatus.Stale, check.Status);
        Assert.Equal("案件当前阶段为「已申报」(submitted)，而请求期望从「申报准备」(preparing) 变更", check.Message);
    }

    [Fact]
    public void A_stale_request_is_stale_even_if_the_move_would_be_allowed_from_the_current_stage()
    {
        var check = _catalog.CheckTransition(ProgramCatalog.Hnte, "lead", "submitted", "certified");

        Assert.Equal(TransitionStatus.Stale, check.Status);
    }

    [Fact]
    public void Checking_a_skipped_move_returns_forbidden_naming_both_stages_and_the_allowed_next_stages()
    {
        var check = _catalog.CheckTransition(ProgramCatalog.Hnte, "lead", "lead", "certified");

        Assert.Equal(TransitionStatus.Forbidden, check.Status);
        Assert.Equal(
            "不允许从「线索」(lead) 直接变更为「已认定」(certified)；可变更为：「培育」(nurturing)、「申报准备」(preparing)、「放弃」(withdrawn)",
            check.Message);
    }

    [Fact]
    public void Checking_a_move_out_of_a_final_stage_says_a_new_case_is_needed()
    {
        var check = _catalog.CheckTransition(ProgramCatalog.Hnte, "rejected", "rejected", "preparing");

        Assert.Equal(TransitionStatus.Forbidden, check.Status);
        Assert.StartsWith("不允许从「未通过」(rejected) 直接变更为「申报准备」(preparing)", check.Message, StringComparison.Ordinal);
        Assert.Contains("新建案件", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_a_case_to_the_stage_it_is_in_is_forbidden()
    {
        Assert.Equal(TransitionStatus.Forbidden, _catalog.CheckTransition(ProgramCatalog.PreIpo, "inquiry", "inquiry", "inquiry").Status);
    }

    [Fact]
    public void An_allowed_move_names_both_stages()
    {
        var check = _catalog.CheckTransition(ProgramCatalog.Hnte, "submitted", "submitted", "certified");

        Assert.True(check.IsAllowed);
        Assert.Equal("从「已申报」(submitted) 变更为「已认定」(certified)", check.Message);
    }

    [Fact]
    public void Loading_minimal_json_builds_the_definitions()
    {
        const string json = """
            {
              // comments and trailing commas are tolerated, to keep the file easy to edit
              "programs": [
                {
                  "code": "x", "nameZh": "项目", "nameEn": "X",
                  "initialStages": ["a"],
                  "stages": [
                    { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 1, "open": true, "outcome": null },
                    { "code": "b", "nameZh": "乙", "nameEn": "B", "order": 2, "open": false, "outcome": "win" },
                    { "code": "c", "nameZh": "丙", "nameEn": "C", "order": 3, "open": false, "outcome": "loss" },
                  ],
                  "transitions": { "a": ["b", "c"] },
                },
              ],
            }
            """;

        var catalog = ProgramCatalog.FromJson(json);
        var p = catalog.Get("x");

        Assert.Equal(new StageDefinition("b", "乙", "B", 2, false, StageOutcome.Win), p.GetStage("b"));
        Assert.Equal([new TransitionDefinition("a", "b"), new TransitionDefinition("a", "c")], p.Transitions);
        Assert.Equal(["b", "c"], p.NextStages("a").Select(s => s.Code));
        Assert.True(catalog.IsInitial("x", "a"));
        Assert.False(catalog.IsInitial("x", "b"));
        Assert.True(catalog.IsLoss("x", "c"));
    }

    [Theory]
    [InlineData("""{ "a": ["zz"] }""", """["a"]""", "unknown stage")]
    [InlineData("""{ "zz": ["a"] }""", """["a"]""", "unknown stage")]
    [InlineData("""{ "a": ["a"] }""", """["a"]""", "goes nowhere")]
    [InlineData("""{ "a": ["b", "b"] }""", """["a"]""", "more than once")]
    [InlineData("""{ "a": ["b"] }""", """["zz"]""", "initial stage 'zz'")]
    [InlineData("""{ "a": ["b"] }""", "[]", "no initial stages")]
    public void Loading_inconsistent_json_throws_naming_the_problem(string transitions, string initial, string problem)
    {
        var json = $$"""
            { "programs": [ { "code": "x", "nameZh": "项目", "nameEn": "X", "initialStages": {{initial}},
              "stages": [
                { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 1, "open": true, "outcome": null },
                { "code": "b", "nameZh": "乙", "nameEn": "B", "order": 2, "open": false, "outcome": "win" } ],
              "transitions": {{transitions}} } ] }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => ProgramCatalog.FromJson(json));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_json_with_duplicate_stages_throws()
    {
        const string json = """
            { "programs": [ { "code": "x", "nameZh": "项目", "nameEn": "X", "initialStages": ["a"],
              "stages": [
                { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 1, "open": true, "outcome": null },
                { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 2, "open": true, "outcome": null } ],
              "transitions": {} } ] }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => ProgramCatalog.FromJson(json));
        Assert.Contains("stage 'a' appears more than once", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{ "programs": [] }""")]
    public void Loading_malformed_or_empty_json_throws(string json)
    {
        Assert.Throws<InvalidDataException>(() => ProgramCatalog.FromJson(json));
    }

    [Fact]
    public void Loading_an_unknown_outcome_throws()
    {
        const string json = """
            { "programs": [ { "code": "x", "nameZh": "项目", "nameEn": "X", "initialStages": ["a"],
              "stages": [ { "code": "a", "nameZh": "甲", "nameEn": "A", "order": 1, "open": false, "outcome": "draw" } ],
              "transitions": {} } ] }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => ProgramCatalog.FromJson(json));
        Assert.Contains("draw", ex.Message, StringComparison.Ordinal);
    }
}
