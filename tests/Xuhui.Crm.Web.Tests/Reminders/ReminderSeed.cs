using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// The rows a reminders test starts from, written straight to the host's database (a user with an e-mail address and
/// a supervisor, a firm last visited long ago, an open follow-up, a planned visit), and its job runs read back.
/// </summary>
public static class ReminderSeed
{
    public static async Task<T> WithScopeAsync<T>(this CrmFactory host, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public static async Task<User> AddUserAsync(this CrmFactory host, string userName, string displayName, string role, string? email, long? supervisorId = null)
    {
        var hasher = host.Services.GetRequiredService<IPasswordHasher<User>>();
        return await host.WithDbAsync(async db =>
        {
            var user = new User { UserName = userName, DisplayName = displayName, Role = role, Email = email, SupervisorId = supervisorId };
            user.PasswordHash = hasher.HashPassword(user, "Passw0rd-" + userName);
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user;
        });
    }

    public static Task<Firm> AddFirmAsync(this CrmFactory host, string name, long leadOfficerId, DateOnly assignedOn, DateOnly? lastVisitOn = null, FirmTier tier = FirmTier.Regular) =>
        host.WithDbAsync(async db =>
        {
            var firm = new Firm { Name = name, LeadOfficerId = leadOfficerId, AssignedOn = assignedOn, LastVisitOn = lastVisitOn ?? assignedOn, Tier = tier, IsProspect = true };
            db.Firms.Add(firm);
            await db.SaveChangesAsync();
            return firm;
        });

    public static Task<FollowUpTask> AddTaskAsync(this CrmFactory host, long firmId, long assigneeId, string title, DateOnly dueOn) =>
        host.WithDbAsync(async db =>
        {
            var task = new FollowUpTask { FirmId = firmId, AssigneeId = assigneeId, Title = title, DueOn = dueOn, Status = FollowUpStatus.Open, CreatedById = assigneeId };
            db.Tasks.Add(task);
            await db.SaveChangesAsync();
            return task;
        });

    public static Task<Visit> AddPlannedVisitAsync(this CrmFactory host, long firmId, long officerId, DateOnly on, TimeOnly at, string location) =>
        host.WithDbAsync(async db =>
        {
            var visit = new Visit
            {
                FirmId = firmId,
                Status = VisitStatus.Planned,
                Kind = VisitKind.OnSite,
                On = on,
                StartsAt = ShanghaiTime.ToUtc(on, at),
                DurationMinutes = 90,
                Location = location,
                Summary = "了解高企申报准备情况",
                CreatedById = officerId,
                Officers = [new VisitOfficer { UserId = officerId }],
            };
            db.Visits.Add(visit);
            await db.SaveChangesAsync();
            return visit;
        });

    public static Task<int> JobRunsAsync(this CrmFactory host, string job) => host.WithDbAsync(db => db.JobRuns.CountAsync(r => r.JobName == job));
}
