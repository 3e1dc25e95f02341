using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Tasks;

/// <summary>The follow-up routes: each maps its query or use case to the typed results it always answered.</summary>
public static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tasks").WithTags("Tasks");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/complete", Complete).RequireAuthorization(Policies.Writer);
        return api;
    }

    private static async Task<Results<Ok<TaskPage>, ValidationProblem>> List(
        long? assigneeId, string? status, DateOnly? dueBefore, long? firmId, bool? overdue, int? page, int? pageSize,
        [AsParameters] TaskServices s, CancellationToken ct)
    {
        var filter = new TaskFilter(assigneeId, status, dueBefore, firmId, overdue, page, pageSize);
        var errors = filter.Validate();
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await TaskQueries.ListAsync(filter, s.Db, s.Clock, ct));
    }

    private static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> Get(long id, [AsParameters] TaskServices s, CancellationToken ct) =>
        await TaskQueries.GetAsync(id, s.Db, s.Clock, ct) is { } task ? TypedResults.Ok(task) : Problems.NotFound(TaskRules.TaskNotFound(id));

    private static async Task<Results<Created<TaskDto>, ValidationProblem, ProblemHttpResult>> Create(
        TaskRequest request, ClaimsPrincipal user, [AsParameters] TaskServices s, CancellationToken ct) =>
        (await CreateTask.HandleAsync(new(request), user, s, ct)).ToCreated();

    private static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, TaskRequest request, ClaimsPrincipal user, [AsParameters] TaskServices s, CancellationToken ct) =>
        (await UpdateTask.HandleAsync(new(id, request), user, s, ct)).ToOk();

    private static async Task<Results<Ok<TaskDto>, ValidationProblem, ProblemHttpResult>> Complete(
        long id, CompleteTaskRequest? request, ClaimsPrincipal user, [AsParameters] TaskServices s, CancellationToken ct) =>
        (await CompleteTask.HandleAsync(new(id, request?.Version, request?.CompletedOn, request?.Note), user, s, ct)).ToOk();
}
