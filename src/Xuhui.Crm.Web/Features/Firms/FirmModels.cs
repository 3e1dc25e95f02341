using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Firms;

[WritesTo(typeof(FirmStatusChange))]
public sealed record StatusChangeRequest(FirmStatus? Status, DateOnly? EffectiveOn, string? Note);

public sealed record StatusChangeDto(long Id, FirmStatus Status, DateOnly EffectiveOn, string? Note, long? RecordedById, DateTime RecordedAt);

public sealed record MergeRequest(long? IntoId);
