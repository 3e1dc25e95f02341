using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Requests;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Features.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Visits;

/// <summary>The use cases as the pages call them: one outcome, its messages in one language (the caller's).</summary>
public sealed class VisitUseCaseTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private static ClaimsPrincipal Admin() => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, "1"), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));

    [Theory]
    [InlineData("zh-CN", "跟进事项 999999 不存在", "走访记录 999999 不存在", "诉求 999999 不存在", "企业不存在或已归档")]
    [InlineData("en", "Task 999999 not found", "Visit 999999 not found", "Request 999999 not found", "Unknown or archived firm")]
    public async Task Refusals_come_back_as_outcomes_in_the_callers_language(string culture, string task, string visit, string request, string firm)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            await factory.WithDbAsync(async (db, services) =>
            {
                var clock = services.GetRequiredService<TimeProvider>();
                var visits = new VisitServices(db, services.GetRequiredService<ReferenceData>(), clock, services.GetRequiredService<IOptions<CrmOptions>>());

                var completed = await CompleteTask.HandleAsync(new(999999, null, null, null), Admin(), new TaskServices(db, clock), CancellationToken.None);
                Assert.Equal(OutcomeKind.NotFound, completed.Kind);
                Assert.Equal(task, completed.Message);

                var updated = await UpdateVisit.HandleAsync(new(999999, Empty() with { Version = 1 }), Admin(), visits, CancellationToken.None);
                Assert.Equal(OutcomeKind.NotFound, updated.Kind);
                Assert.Equal(visit, updated.Message);

                var closed = await CloseRequest.HandleAsync(
                    new(999999, new RequestClose(null, null, null, null, null)), Admin(), new RequestServices(db, visits.Reference, clock), CancellationToken.None);
                Assert.Equal(OutcomeKind.NotFound, closed.Kind);
                Assert.Equal(request, closed.Message);

                var logged = await LogVisit.HandleAsync(new(Empty()), Admin(), visits, CancellationToken.None);
                Assert.Equal(OutcomeKind.Invalid, logged.Kind);
                var errors = logged.Errors!.ToDictionary();
                Assert.Equal([firm], errors["firmId"]);
                Assert.True(errors.ContainsKey("kind"));
                Assert.True(errors.ContainsKey("on"));
                return true;
            });
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static VisitRequest Empty() => new(null, null, null, null, null, null, null, null, null, null, null, null, null);
}
