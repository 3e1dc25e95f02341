using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Scaling;

/// <summary>
/// At a million firms PostgreSQL's default sample misjudged how many firms share a gram by 40× and planned a search
/// page as a parallel scan. The service raises that column's statistics target when it migrates.
/// </summary>
[Trait("Provider", "PostgresOnly")]
public sealed class PostgresStatisticsTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task The_gram_column_is_sampled_with_the_raised_statistics_target()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        _ = factory.Anonymous();

        var target = await factory.WithDbAsync(db => db.Database
            .SqlQueryRaw<int>("""SELECT attstattarget::int AS "Value" FROM pg_attribute WHERE attrelid = '"FirmSearchGrams"'::regclass AND attname = 'Gram'""")
            .SingleAsync());

        Assert.Equal(PostgresStatistics.GramStatisticsTarget, target);
    }
}
