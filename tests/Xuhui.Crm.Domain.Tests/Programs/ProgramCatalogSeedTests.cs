using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Domain.Tests.Programs;

/// <summary>What the shipped seed/reference/programs.json says.</summary>
public sealed class ProgramCatalogSeedTests
{
    private readonly ProgramCatalog _catalog = SeedCatalog.Load();

    public static TheoryData<string, string, string> AllowedMoves()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (program, from, to, allowed) in SeedCatalog.AllPairs().Where(x => x.Allowed))
        {
            data.Add(program, from, to);
        }

        return data;
    }

    public static TheoryData<string, string, string> RefusedMoves()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (program, from, to, allowed) in SeedCatalog.AllPairs().Where(x => !x.Allowed))
        {
            data.Add(program, from, to);
        }

        return data;
    }

    [Fact]
    public void Loading_the_seed_gives_the_four_programmes_with_names()
    {
        Assert.Equal(
            [ProgramCatalog.Hnte, ProgramCatalog.LittleGiant, ProgramCatalog.ForeignRdCenter, ProgramCatalog.PreIpo],
            _catalog.Programs.Select(p => p.Code));
        Assert.Equal("高新技术企业", _catalog.Get(ProgramCatalog.Hnte).NameZh);
        Assert.Equal("科技小巨人工程", _catalog.Get(ProgramCatalog.LittleGiant).NameZh);
        Assert.Equal("外资研发中心", _catalog.Get(ProgramCatalog.ForeignRdCenter).NameZh);
        Assert.Equal("拟上市企业", _catalog.Get(ProgramCatalog.PreIpo).NameZh);
        Assert.All(_catalog.Programs, p => Assert.False(string.IsNullOrWhiteSpace(p.NameEn)));
    }

    [Fact]
    public void The_seed_passes_validation()
    {
        Assert.Empty(ProgramCatalog.Validate(_catalog.Programs));
    }

    [Theory]
    [InlineData("hnte", "lead nurturing preparing submitted certified rejected withdrawn expired")]
    [InlineData("little-giant", "lead nurturing applied approved evaluation completed failed withdrawn")]
    [InlineData("foreign-rd-center", "contact intent setting-up applied recognized upgraded withdrawn")]
    [InlineData("pre-ipo", "reserve restructuring tutoring accepted inquiry committee registration registered listed suspended terminated")]
    public void Each_programme_has_the_stages_of_the_domain_brief_in_order(string program, string stages)
    {
        var p = _catalog.Get(program);

        Assert.Equal(stages.Split(' '), p.Stages.OrderBy(s => s.Order).Select(s => s.Code));
        Assert.All(p.Stages, s => Assert.False(string.IsNullOrWhiteSpace(s.NameZh)));
        Assert.All(p.Stages, s => Assert.False(string.IsNullOrWhiteSpace(s.NameEn)));
    }

    [Theory]
    [InlineData("hnte", "lead nurturing preparing submitted", "certified", "rejected withdrawn", "expired")]
    [InlineData("little-giant", "lead nurturing applied approved evaluation", "approved", "failed withdrawn", "completed")]
    [InlineData("foreign-rd-center", "contact intent setting-up applied", "recognized", "withdrawn", "upgraded")]
    [InlineData("pre-ipo", "reserve restructuring tutoring accepted inquiry committee registration registered suspended", "listed", "terminated", "")]
    public void Stages_are_open_winning_or_losing_as_decided(string program, string open, string win, string loss, string closedWithoutOutcome)
    {
        var p = _catalog.Get(program);
        string[] Split(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(Split(open).Order(), p.Stages.Where(s => s.Open).Select(s => s.Code).Order());
        Assert.Equal(Split(win), p.Stages.Where(s => s.Outcome == StageOutcome.Win).Select(s => s.Code));
        Assert.Equal(Split(loss).Order(), p.Stages.Where(s => s.Outcome == StageOutcome.Loss).Select(s => s.Code).Order());
        Assert.Equal(Split(closedWithoutOutcome), p.Stages.Where(s => !s.Open && s.Outcome is null).Select(s => s.Code));
        Assert.All(Split(open), s => Assert.True(_catalog.IsOpen(program, s)));
        Assert.All(Split(win), s => Assert.True(_catalog.IsWin(program, s)));
        Assert.All(Split(loss), s => Assert.True(_catalog.IsLoss(program, s)));
    }

    [Fact]
    public void Helpers_answer_false_for_unknown_programmes_and_stages()
    {
        Assert.False(_catalog.IsOpen("nope", "lead"));
        Assert.False(_catalog.IsOpen(ProgramCatalog.Hnte, "nope"));
        Assert.False(_catalog.IsWin(null, null));
        Assert.False(_catalog.IsInitial(ProgramCatalog.Hnte, null));
        Assert.Null(_catalog.Find("nope"));
        Assert.Throws<KeyNotFoundException>(() => _catalog.Get("nope"));
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void Every_allowed_move_is_allowed(string program, string from, string to)
    {
        var check = _catalog.CheckTransition(program, from, from, to);

        Assert.Equal(TransitionStatus.Allowed, check.Status);
        Assert.True(check.IsAllowed);
    }

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public void Every_other_move_is_forbidden_and_the_message_names_both_stages(string program, string from, string to)
    {
        var p = _catalog.Get(program);

        var check = _catalog.CheckTransition(program, from, from, to);

        Assert.Equal(TransitionStatus.Forbidden, check.Status);
        Assert.False(check.IsAllowed);
        Assert.StartsWith($"不允许从{p.Describe(from)} 直接变更为{p.Describe(to)}", check.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hnte", "submitted", "preparing")]
    [InlineData("hnte", "preparing", "nurturing")]
    [InlineData("hnte", "nurturing", "lead")]
    [InlineData("foreign-rd-center", "intent", "contact")]
    [InlineData("pre-ipo", "inquiry", "accepted")]
    public void Sensible_backward_moves_are_allowed(string program, string from, string to)
    {
        Assert.True(_catalog.CheckTransition(program, from, from, to).IsAllowed);
    }

    [Fact]
    public void Every_open_stage_can_be_left_for_a_loss()
    {
        foreach (var p in _catalog.Programs)
        {
            foreach (var open in p.Stages.Where(s => s.Open))
            {
                Assert.True(
                    p.NextStages(open.Code).Any(s => s.Outcome == StageOutcome.Loss && !s.Open),
                    $"{p.Code}: {open.Code} has no way out to a loss");
            }
        }
    }

    [Fact]
    public void Closed_stages_never_lead_back_into_the_pipeline()
    {
        // Re-opening is a new case, not a transition.
        foreach (var p in _catalog.Programs)
        {
            foreach (var t in p.Transitions.Where(t => !p.GetStage(t.From).Open))
            {
                Assert.False(p.GetStage(t.To).Open, $"{p.Code}: {t.From} -> {t.To}");
            }
        }
    }

    [Theory]
    [InlineData("hnte", "expired", "certified")]
    [InlineData("foreign-rd-center", "upgraded", "recognized")]
    public void A_closed_follow_up_stage_is_reached_only_from_its_win(string program, string stage, string onlyFrom)
    {
        var p = _catalog.Get(program);

        Assert.Equal([onlyFrom], p.Transitions.Where(t => t.To == stage).Select(t => t.From));
        Assert.False(p.IsInitial(stage));
    }

    [Fact]
    public void A_suspended_pre_ipo_case_can_return_to_each_review_stage_it_can_be_suspended_from()
    {
        var p = _catalog.Get(ProgramCatalog.PreIpo);
        string[] review = ["accepted", "inquiry", "committee", "registration"];

        Assert.Equal(review.Order(), p.Transitions.Where(t => t.To == "suspended").Select(t => t.From).Order());
        Assert.All(review, s => Assert.True(p.CanMove("suspended", s)));
    }

    [Fact]
    public void Every_stage_is_reachable_from_an_initial_stage()
    {
        foreach (var p in _catalog.Programs)
        {
            var reached = new HashSet<string>(p.InitialStages);
            var queue = new Queue<string>(p.InitialStages);
            while (queue.TryDequeue(out var stage))
            {
                foreach (var next in p.NextStages(stage).Where(n => reached.Add(n.Code)))
                {
                    queue.Enqueue(next.Code);
                }
            }

            Assert.Equal(p.Stages.Select(s => s.Code).Order(), reached.Order());
        }
    }

    [Fact]
    public void Every_transition_and_initial_stage_names_a_known_stage()
    {
        foreach (var p in _catalog.Programs)
        {
            Assert.All(p.Transitions, t => Assert.NotNull(p.FindStage(t.From)));
            Assert.All(p.Transitions, t => Assert.NotNull(p.FindStage(t.To)));
            Assert.All(p.InitialStages, s => Assert.NotNull(p.FindStage(s)));
            Assert.NotEmpty(p.InitialStages);
        }
    }

    [Fact]
    public void Stage_codes_and_orders_are_unique_within_a_programme()
    {
        foreach (var p in _catalog.Programs)
        {
            Assert.Equal(p.Stages.Count, p.Stages.Select(s => s.Code).Distinct().Count());
            Assert.Equal(p.Stages.Count, p.Stages.Select(s => s.Order).Distinct().Count());
        }
    }

    [Fact]
    public void The_seed_file_is_well_formed_json_with_the_documented_shape()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SeedCatalog.Path));
        var programs = doc.RootElement.GetProperty("programs");

        Assert.Equal(4, programs.GetArrayLength());
        foreach (var p in programs.EnumerateArray())
        {
            var stages = p.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("code").GetString()).ToHashSet();
            foreach (var t in p.GetProperty("transitions").EnumerateObject())
            {
                Assert.Contains(t.Name, stages);
                Assert.All(t.Value.EnumerateArray(), to => Assert.Contains(to.GetString(), stages));
            }
        }
    }
}
