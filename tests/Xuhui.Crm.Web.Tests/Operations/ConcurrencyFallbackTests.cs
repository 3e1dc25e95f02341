using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

/// <summary>A host with one extra terminal step behind the real pipeline that throws what an endpoint might let escape.</summary>
public sealed class ThrowingFactory : CrmFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddTransient<IStartupFilter, ThrowingStep>());
    }

    private sealed class ThrowingStep : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path.Value switch
            {
                "/api/test-throw/concurrency" => throw new DbUpdateConcurrencyException("expected 1 row, 0 affected"),
                "/api/test-throw/busy" => throw new DbUpdateException("save failed", new SqliteException("SQLite Error 5: 'database is locked'.", 5)),
                "/api/test-throw/locked-table" => throw new SqliteException("SQLite Error 6: 'database table is locked'.", 6),
                _ => Task.CompletedTask,
            });
        };
    }
}

/// <summary>The last line of defence: a concurrency failure escaping an endpoint is a 409, a busy database a 503; neither a 500.</summary>
public sealed class ConcurrencyFallbackTests(ThrowingFactory factory) : IClassFixture<ThrowingFactory>
{
    [Theory]
    [InlineData("/api/test-throw/concurrency", HttpStatusCode.Conflict)]
    [InlineData("/api/test-throw/busy", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/api/test-throw/locked-table", HttpStatusCode.ServiceUnavailable)]
    public async Task An_escaped_database_race_is_answered_as_a_problem_not_a_500(string path, HttpStatusCode expected)
    {
        using var client = await factory.AdminAsync();
        using var response = await client.PostAsync(path, null);
        var problem = (await response.ExpectAsync(expected))!;
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (expected == HttpStatusCode.ServiceUnavailable)
        {
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }
}
