using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// Holds every value an endpoint binds (JSON bodies, [AsParameters] queries, lone query and route values) to
/// <see cref="InputRules"/> before the handler runs: a violation is a 400 naming the field, and the handler never starts.
/// </summary>
public static class InputFilter
{
    public static TBuilder ValidateInput<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices.GetService<IServiceProviderIsService>();
            var checks = new List<(int Index, string Name, bool Walk)>();
            var parameters = factory.MethodInfo.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                if (type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(string) || type == typeof(int))
                {
                    var name = p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.GetCustomAttribute<FromRouteAttribute>()?.Name ?? p.Name ?? $"arg{i}";
                    checks.Add((i, name, false));
                }
                else if (InputRules.IsOurs(type) && services?.IsService(p.ParameterType) != true)
                {
                    checks.Add((i, string.Empty, true));
                }
            }

            if (checks.Count == 0)
            {
                return next;
            }

            return async context =>
            {
                var errors = new Errors();
                foreach (var (index, name, walk) in checks)
                {
                    var argument = context.Arguments[index];
                    if (walk)
                    {
                        InputRules.Check(argument, context.HttpContext.RequestServices.GetRequiredService<CrmDbContext>().Model, errors);
                    }
                    else
                    {
                        InputRules.CheckValue(argument, name, errors);
                    }
                }

                if (!errors.Any)
                {
                    QueryRules.Check(context, checks, parameters, errors);
                }

                return errors.Any ? errors.ToProblem() : await next(context);
            };
        });
}

/// <summary>
/// List filters and paging, by the query parameter's name, for every endpoint that takes them: a filter naming no known
/// programme, stage, zone, industry, request category or department is a 400 listing the allowed codes (as tier and
/// status are), a page above <see cref="Paging.MaxPage"/> and a limit or take below 1 are 400s.
/// </summary>
internal static class QueryRules
{
    public static void Check(EndpointFilterInvocationContext context, List<(int Index, string Name, bool Walk)> checks, ParameterInfo[] parameters, Errors errors)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (index, name, walk) in checks)
        {
            var argument = context.Arguments[index];
            if (!walk)
            {
                values[name] = argument;
            }
            else if (argument is not null && parameters[index].GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in argument.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    values[InputRules.CamelCase(property.Name)] = property.GetValue(argument);
                }
            }
        }

        if (values.TryGetValue("page", out var page) && page is int p && p > Paging.MaxPage)
        {
            errors.Add("page", $"页码为 1–{Paging.MaxPage} (1 to {Paging.MaxPage})");
        }

        foreach (var name in (string[])["limit", "take"])
        {
            if (values.TryGetValue(name, out var limit) && limit is int and < 1)
            {
                errors.Add(name, "应为正整数 (at least 1)");
            }
        }

        if (!HttpMethods.IsGet(context.HttpContext.Request.Method))
        {
            return;
        }

        var reference = context.HttpContext.RequestServices.GetRequiredService<Features.Reference.ReferenceData>();
        var program = values.GetValueOrDefault("program") as string;
        Known(errors, values, "program", reference.Programs.Programs.Select(x => x.Code));
        var programme = reference.Programs.Find(program);
        Known(errors, values, "stage", (programme is null ? reference.Programs.Programs : [programme]).SelectMany(x => x.Stages).Select(x => x.Code).Distinct());
        Known(errors, values, "zone", reference.File.Zones.Select(z => z.Code));
        Known(errors, values, "industry", reference.File.Industries.Select(i => i.Code));
        Known(errors, values, "category", (reference.File.RequestCategories ?? []).Select(c => c.Code));
        Known(errors, values, "department", (reference.File.Departments ?? []).Select(d => d.Code));
    }

    private static void Known(Errors errors, Dictionary<string, object?> values, string name, IEnumerable<string> allowed)
    {
        if (values.TryGetValue(name, out var value) && value is string code)
        {
            var codes = allowed.ToList();
            if (!codes.Contains(code, StringComparer.Ordinal))
            {
                errors.Add(name, $"取值应为 (one of): {string.Join(", ", codes)}");
            }
        }
    }
}

/// <summary>The same rules for the pages' form posts: the bound form models are checked before the handler runs.</summary>
public sealed class PageInputFilter(CrmDbContext db) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) && context.HandlerInstance is { } page)
        {
            var errors = new Errors();
            foreach (var property in page.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<BindPropertyAttribute>() is null)
                {
                    continue;
                }

                var value = property.GetValue(page);
                var type = property.PropertyType;
                if (InputRules.IsOurs(Nullable.GetUnderlyingType(type) ?? type))
                {
                    InputRules.Check(value, db.Model, errors, property.Name + ".", camelCase: false);
                }
                else
                {
                    InputRules.CheckValue(value, property.Name, errors);
                }
            }

            foreach (var (name, value) in context.HandlerArguments)
            {
                if (value is not null && InputRules.IsOurs(value.GetType()))
                {
                    InputRules.Check(value, db.Model, errors, name + ".", camelCase: false);
                }
                else
                {
                    InputRules.CheckValue(value, name, errors);
                }
            }

            if (errors.Any)
            {
                context.Result = new BadRequestObjectResult(new ValidationProblemDetails(errors.ToDictionary())
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "请求数据有误 (invalid request)",
                });
                return;
            }
        }

        await next();
    }
}
