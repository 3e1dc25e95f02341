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
