using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>The nightly online backup; a failure is recorded, shows in readiness and in the admins' digest.</summary>
[DisallowConcurrentExecution]
public sealed class NightlyBackupJob(BackupService backups, DataPaths paths, CrmDbContext db, TimeProvider clock, ILogger<NightlyBackupJob> logger, StorageState storage)
    : RecordedJob(db, clock, logger, storage)
{
    protected override async Task<(JobOutcome Outcome, string Message)> RunAsync(IJobExecutionContext context, bool manual, CancellationToken ct)
    {
        if (!paths.IsSqlite)
        {
            return (JobOutcome.Skipped, Text.T("PostgreSQL：备份由数据库服务器负责（pg_dump 或基础备份），而非本服务"));
        }

        var result = await backups.BackupAsync(ct);
        return result.Succeeded
            ? (JobOutcome.Succeeded, Text.F("备份完成并通过完整性校验：{0}（{1} KB）", Path.GetFileName(result.File), result.SizeBytes / 1024))
            : (JobOutcome.Failed, Text.F("备份失败：{0}", result.Error));
    }
}
