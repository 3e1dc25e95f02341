namespace Xuhui.Crm.Web.Features.Jobs;

public enum JobOutcome
{
    Running,
    Succeeded,
    Skipped,
    Failed,

    /// <summary>The run did not finish: its process died (closed on the next start, or by a live instance) or it was stopped with the service.</summary>
    Interrupted,
}

/// <summary>One execution of a scheduled job, written by the job itself: the admin API's "last result" and the tests' execution count.</summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public string JobName { get; set; } = string.Empty;

    /// <summary>The fire time the trigger was meant for (UTC); after a misfire this is the recovery time.</summary>
    public DateTime ScheduledFor { get; set; }

    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public bool Manual { get; set; }
    public JobOutcome Outcome { get; set; }
    public string? Message { get; set; }
}
