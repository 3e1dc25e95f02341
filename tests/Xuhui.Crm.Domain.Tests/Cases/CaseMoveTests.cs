using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Tests.Programs;

namespace Xuhui.Crm.Domain.Tests.Cases;

/// <summary>How a case opens and moves: the catalogue's check, the pause rule, closing and the recorded dates.</summary>
public sealed class CaseMoveTests
{
    private static readonly DateTime At = new(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc);
    private readonly ProgramCatalog _catalog = SeedCatalog.Load();

    private Case Opened(string program, string stage, DateOnly on)
    {
        var p = _catalog.Get(program);
        return Case.Open(7, p, p.GetStage(stage), on, ownerId: 3, byId: 4, At, "开始");
    }

    [Fact]
    public void Opening_a_case_starts_its_history_at_the_initial_stage()
    {
        var c = Opened(ProgramCatalog.Hnte, "nurturing", new DateOnly(2026, 5, 1));

        Assert.True(c.IsOpen);
        Assert.Null(c.ClosedOn);
        Assert.Equal(new DateOnly(2026, 5, 1), c.OpenedOn);
        var first = Assert.Single(c.Transitions);
        Assert.Equal((null, "nurturing", "开始", 4L), (first.FromStage, first.ToStage, first.Note, first.ById!.Value));
    }

    [Fact]
    public void Opening_a_case_at_a_closed_stage_closes_it_the_same_day()
    {
        var c = Opened(ProgramCatalog.Hnte, "certified", new DateOnly(2026, 5, 1));

        Assert.False(c.IsOpen);
        Assert.Equal(new DateOnly(2026, 5, 1), c.ClosedOn);
    }

    [Fact]
    public void An_allowed_move_changes_the_stage_and_records_it()
    {
        var c = Opened(ProgramCatalog.Hnte, "nurturing", new DateOnly(2026, 5, 1));

        var check = c.MoveTo(_catalog, "nurturing", "preparing", new DateOnly(2026, 6, 14), 9, At, "材料齐备");

        Assert.True(check.IsAllowed);
        Assert.Equal(("preparing", new DateOnly(2026, 6, 14), true), (c.Stage, c.StageSince, c.IsOpen));
        var last = c.Transitions[^1];
        Assert.Equal(("nurturing", "preparing", "材料齐备", 9L), (last.FromStage, last.ToStage, last.Note, last.ById!.Value));
    }

    [Theory]
    [InlineData("preparing", "submitted", TransitionStatus.Stale)]
    [InlineData("nurturing", "certified", TransitionStatus.Forbidden)]
    [InlineData("nurturing", "moon", TransitionStatus.UnknownStage)]
    public void A_refused_move_changes_nothing_and_says_why_with_the_codes(string expectedFrom, string to, TransitionStatus status)
    {
        var c = Opened(ProgramCatalog.Hnte, "nurturing", new DateOnly(2026, 5, 1));

        var check = c.MoveTo(_catalog, expectedFrom, to, new DateOnly(2026, 6, 14), 9, At, null);

        Assert.Equal(status, check.Status);
        Assert.Equal(ProgramCatalog.Hnte, check.Program);
        Assert.Equal(("nurturing", 1), (c.Stage, c.Transitions.Count));
    }

    [Fact]
    public void A_closing_move_closes_the_case_on_its_date_once()
    {
        var c = Opened(ProgramCatalog.Hnte, "submitted", new DateOnly(2026, 5, 1));

        c.MoveTo(_catalog, "submitted", "certified", new DateOnly(2026, 6, 1), 9, At, null);
        c.MoveTo(_catalog, "certified", "expired", new DateOnly(2029, 6, 1), 9, At, null);

        Assert.False(c.IsOpen);
        Assert.Equal(new DateOnly(2026, 6, 1), c.ClosedOn);
    }

    [Fact]
    public void A_suspended_case_resumes_only_where_it_was_suspended_unless_it_ends()
    {
        var c = Opened(ProgramCatalog.PreIpo, "inquiry", new DateOnly(2026, 1, 5));
        Assert.True(c.MoveTo(_catalog, "inquiry", "suspended", new DateOnly(2026, 2, 1), 9, At, null).IsAllowed);

        var elsewhere = c.MoveTo(_catalog, "suspended", "committee", new DateOnly(2026, 3, 1), 9, At, null);

        Assert.Equal(TransitionStatus.NotWherePaused, elsewhere.Status);
        Assert.Equal(("inquiry", "committee"), (elsewhere.PausedFrom, elsewhere.To));
        Assert.Equal("中止的案件只能恢复到中止前的阶段 「审核问询」(inquiry)，不能恢复到 「上市委审议」(committee)", elsewhere.Message);
        Assert.Equal("suspended", c.Stage);
        Assert.True(c.MoveTo(_catalog, "suspended", "inquiry", new DateOnly(2026, 3, 1), 9, At, null).IsAllowed);
        Assert.Equal("inquiry", c.Stage);
    }

    [Fact]
    public void A_suspended_case_may_end_with_its_loss_from_the_pause()
    {
        var c = Opened(ProgramCatalog.PreIpo, "accepted", new DateOnly(2026, 1, 5));
        c.MoveTo(_catalog, "accepted", "suspended", new DateOnly(2026, 2, 1), 9, At, null);

        Assert.True(c.MoveTo(_catalog, "suspended", "terminated", new DateOnly(2026, 3, 1), 9, At, null).IsAllowed);
        Assert.False(c.IsOpen);
    }

    [Fact]
    public void Reaching_recognition_records_its_date_unless_one_was_entered()
    {
        var fresh = Opened(ProgramCatalog.ForeignRdCenter, "applied", new DateOnly(2026, 1, 5));
        var entered = Opened(ProgramCatalog.ForeignRdCenter, "applied", new DateOnly(2026, 1, 5));
        entered.RecognizedOn = new DateOnly(2026, 3, 30);

        fresh.MoveTo(_catalog, "applied", "recognized", new DateOnly(2026, 4, 1), 9, At, null);
        entered.MoveTo(_catalog, "applied", "recognized", new DateOnly(2026, 4, 1), 9, At, null);

        Assert.Equal(new DateOnly(2026, 4, 1), fresh.RecognizedOn);
        Assert.Equal(new DateOnly(2026, 3, 30), entered.RecognizedOn);
    }

    [Fact]
    public void Other_programmes_reaching_their_win_record_no_recognition_date()
    {
        var c = Opened(ProgramCatalog.Hnte, "submitted", new DateOnly(2026, 1, 5));

        c.MoveTo(_catalog, "submitted", "certified", new DateOnly(2026, 4, 1), 9, At, null);

        Assert.Null(c.RecognizedOn);
    }
}
