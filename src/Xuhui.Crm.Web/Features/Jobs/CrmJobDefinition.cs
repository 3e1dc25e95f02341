using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>
/// A scheduled job as its feature declares it: the stable name (it keys the Quartz rows and the admin routes), the job
/// class, the description the jobs page shows (a catalogue key, so each reader sees it in their language) and when it
/// fires. The scheduler is built from these; it knows no feature's job by name.
/// </summary>
public sealed record CrmJobDefinition(string Name, Type JobType, string Description, JobSchedule? Schedule);

/// <summary>
/// When a job fires: a cron expression in Asia/Shanghai and its trigger's description, read when the scheduler starts.
/// A schedule that follows the settings is rescheduled when its time changed; a fixed one is only created when absent.
/// Either way an existing, unchanged trigger is left alone, so its pending misfire survives a restart.
/// </summary>
public sealed record JobSchedule(string TriggerSuffix, bool FollowsSettings, Func<IServiceProvider, (string Cron, string Description)> Read)
{
    /// <summary>Every day at a time taken from the settings; the trigger is "{job}-daily".</summary>
    public static JobSchedule Daily(Func<IServiceProvider, (string Cron, string Description)> read) => new("daily", true, read);

    /// <summary>A fixed cron expression; the trigger is "{job}-{suffix}".</summary>
    public static JobSchedule Fixed(string triggerSuffix, string cron, string description) => new(triggerSuffix, false, _ => (cron, description));

    /// <summary>The cron expression of a daily time.</summary>
    public static string DailyCron(TimeOnly time) => $"0 {time.Minute} {time.Hour} * * ?";
}

/// <summary>The registered jobs, in the order their features declared them (the jobs page and API list them so).</summary>
public sealed class CrmJobs(IEnumerable<CrmJobDefinition> definitions)
{
    public IReadOnlyList<CrmJobDefinition> All { get; } = [.. definitions];

    public bool Contains(string name) => All.Any(d => d.Name == name);
}

public static class CrmJobRegistration
{
    /// <summary>Declares a job of the calling feature; <see cref="JobsSetup.AddJobs"/> schedules it.</summary>
    public static IServiceCollection AddCrmJob<TJob>(this IServiceCollection services, string name, string description, JobSchedule? schedule = null)
        where TJob : class, IJob
    {
        services.AddSingleton(new CrmJobDefinition(name, typeof(TJob), description, schedule));
        // As Quartz's AddJobType: the job is resolved from the run's scope, so its constructor is checked by the container.
        services.TryAddScoped<TJob>();
        return services;
    }
}
