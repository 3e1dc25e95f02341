using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared.Localisation;

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

            // Read once per endpoint: which arguments carry the list filters and paging, by query name.
            var queries = QueryRules.For(checks, parameters);
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
                    queries?.Check(context, errors);
                }

                return errors.Any ? errors.ToProblem() : await next(context);
            };
        });
}

/// <summary>
/// List filters and paging, by the query parameter's name, for every endpoint that takes them: a filter naming no known
/// programme, stage, zone, industry, request category or department is a 400 listing the allowed codes (as tier and
/// status are), a page above <see cref="Paging.MaxPage"/> and a limit or take below 1 are 400s. Where each named value
/// comes from (a lone argument or a property of an [AsParameters] one) is found once per endpoint.
/// </summary>
internal sealed class QueryRules
{
    private static readonly string[] Names = ["page", "limit", "take", "program", "stage", "zone", "industry", "category", "department"];

    private readonly Dictionary<string, Func<IList<object?>, object?>> _values;

    private QueryRules(Dictionary<string, Func<IList<object?>, object?>> values) => _values = values;

    /// <summary>The rules of one endpoint, or null when it takes none of the names.</summary>
    public static QueryRules? For(List<(int Index, string Name, bool Walk)> checks, ParameterInfo[] parameters)
    {
        // Later arguments win, as query names are matched without regard to case.
        var values = new Dictionary<string, Func<IList<object?>, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (index, name, walk) in checks)
        {
            if (!walk)
            {
                values[name] = args => args[index];
            }
            else if (parameters[index].GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var type = Nullable.GetUnderlyingType(parameters[index].ParameterType) ?? parameters[index].ParameterType;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    values[InputRules.CamelCase(property.Name)] = args => args[index] is { } argument ? property.GetValue(argument) : null;
                }
            }
        }

        var known = values.Where(v => Names.Contains(v.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase);
        return known.Count == 0 ? null : new QueryRules(known);
    }

    private object? Value(IList<object?> args, string name) => _values.TryGetValue(name, out var read) ? read(args) : null;

    public void Check(EndpointFilterInvocationContext context, Errors errors)
    {
        var args = context.Arguments;
        if (Value(args, "page") is int p && p > Paging.MaxPage)
        {
            errors.Add("page", Text.F("页码为 1–{0}", Paging.MaxPage));
        }

        foreach (var name in (string[])["limit", "take"])
        {
            if (Value(args, name) is int and < 1)
            {
                errors.Add(name, Text.T("应为正整数"));
            }
        }

        if (!HttpMethods.IsGet(context.HttpContext.Request.Method))
        {
            return;
        }

        var reference = context.HttpContext.RequestServices.GetRequiredService<Features.Reference.ReferenceData>();
        var program = Value(args, "program") as string;
        Known(errors, args, "program", reference.Programs.Programs.Select(x => x.Code));
        var programme = reference.Programs.Find(program);
        Known(errors, args, "stage", (programme is null ? reference.Programs.Programs : [programme]).SelectMany(x => x.Stages).Select(x => x.Code).Distinct());
        Known(errors, args, "zone", reference.File.Zones.Select(z => z.Code));
        Known(errors, args, "industry", reference.File.Industries.Select(i => i.Code));
        Known(errors, args, "category", (reference.File.RequestCategories ?? []).Select(c => c.Code));
        Known(errors, args, "department", (reference.File.Departments ?? []).Select(d => d.Code));
    }

    private void Known(Errors errors, IList<object?> args, string name, IEnumerable<string> allowed)
    {
        if (Value(args, name) is string code)
        {
            var codes = allowed.ToList();
            if (!codes.Contains(code, StringComparer.Ordinal))
            {
                errors.Add(name, Messages.OneOf(string.Join(", ", codes)));
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
                    Title = Text.T("请求数据有误"),
                });
                return;
            }
        }

        await next();
    }
}
