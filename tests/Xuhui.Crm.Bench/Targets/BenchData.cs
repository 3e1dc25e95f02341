using Microsoft.Data.Sqlite;
using Xuhui.Crm.Web.Features.Reference;

/// <summary>Synthetic data at benchmark scale, written with prepared commands in one transaction (deterministic seed).</summary>
internal static class BenchData
{
    public const int Firms = 50_000;
    public const int Cases = 20_000;
    public const int Visits = 500_000;
    public const int Tasks = 60_000;
    public const int Officers = 40;

    private static readonly string[] Zones = ["xujiahui-hengfu-fenglin", "xuhui-riverside", "caohejing"];
    private static readonly DateOnly Today = new(2026, 11, 2);

    private static readonly Dictionary<string, (string[] Path, string Win, string Loss)> Paths = new()
    {
        ["hnte"] = (["lead", "nurturing", "preparing", "submitted"], "certified", "rejected"),
        ["little-giant"] = (["lead", "nurturing", "applied"], "approved", "failed"),
        ["foreign-rd-center"] = (["contact", "intent", "setting-up", "applied"], "recognized", "withdrawn"),
        ["pre-ipo"] = (["reserve", "restructuring", "tutoring", "accepted", "inquiry", "committee", "registration", "registered"], "listed", "terminated"),
    };

    public static async Task GenerateAsync(string file, ReferenceData reference)
    {
        _ = reference;
        var rng = new Random(20261031);
        await using var conn = new SqliteConnection($"Data Source={file}");
        await conn.OpenAsync();
        await Exec(conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync();
        const string now = "2026-11-01T00:00:00.0000000Z";

        var user = Prepare(conn, tx, """
            INSERT INTO "Users" ("Id","Version","UserName","DisplayName","Role","PasswordHash","IsActive","SecurityStamp","FailedLogins","CreatedAt","UpdatedAt")
            VALUES ($id,1,$u,$n,'officer','x',1,'s',0,$now,$now)
            """, "$id", "$u", "$n", "$now");
        for (var i = 1; i <= Officers; i++)
        {
            await Run(user, i, $"officer{i}", $"专员{i:00}", now);
        }

        var firm = Prepare(conn, tx, """
            INSERT INTO "Firms" ("Id","Version","Name","FormerNames","CreditCodeOverride","IsProspect","DistrictCode","DistrictName","Zone","Tier","Status","IsArchived","CreatedAt","UpdatedAt","SearchText","LeadOfficerId")
            VALUES ($id,1,$name,'[]',0,0,'310104','徐汇区',$zone,'Regular',$status,$arch,$now,$now,$name,$lead)
            """, "$id", "$name", "$zone", "$status", "$arch", "$now", "$lead");
        var status = Prepare(conn, tx, """
            INSERT INTO "FirmStatusChanges" ("FirmId","Status","EffectiveOn","RecordedAt") VALUES ($f,$s,$on,$now)
            """, "$f", "$s", "$on", "$now");
        for (var i = 1; i <= Firms; i++)
        {
            var movedOut = rng.NextDouble() < 0.02;
            await Run(firm, i, $"上海测试企业{i:00000}科技有限公司", i % 4 == 3 ? null : Zones[i % 4 % 3], movedOut ? "MovedOut" : "Active", rng.NextDouble() < 0.01 ? 1 : 0, now, 1 + (i % Officers));
            await Run(status, i, "Active", "2015-01-01", now);
            if (movedOut)
            {
                await Run(status, i, "MovedOut", Inv.D(new DateOnly(2024, 1, 1).AddDays(rng.Next(0, 1030))), now);
            }
        }

        var kase = Prepare(conn, tx, """
            INSERT INTO "Cases" ("Id","Version","FirmId","Program","Stage","IsOpen","StageSince","OpenedOn","ClosedOn","OwnerId","CertificateNumber","CertificateIssuedOn","CertificateExpiresOn","RdCenterType","RecognizedOn","CreatedAt","UpdatedAt")
            VALUES ($id,1,$f,$p,$s,$open,$since,$opened,$closed,$owner,$cn,$ci,$ce,$rt,$ro,$now,$now)
            """, "$id", "$f", "$p", "$s", "$open", "$since", "$opened", "$closed", "$owner", "$cn", "$ci", "$ce", "$rt", "$ro", "$now");
        var move = Prepare(conn, tx, """
            INSERT INTO "CaseTransitions" ("CaseId","FromStage","ToStage","On","At") VALUES ($c,$from,$to,$on,$now)
            """, "$c", "$from", "$to", "$on", "$now");
        for (var i = 1; i <= Cases; i++)
        {
            var program = (i % 20) switch { < 12 => "hnte", < 15 => "little-giant", < 16 => "foreign-rd-center", _ => "pre-ipo" };
            var (path, win, loss) = Paths[program];
            var on = new DateOnly(2022, 1, 1).AddDays(rng.Next(0, 1760));
            var steps = new List<(string? From, string To, DateOnly On)> { (null, path[0], on) };
            var stage = path[0];
            for (var k = 1; k <= path.Length; k++)
            {
                var next = on.AddDays(rng.Next(15, 120));
                if (next >= Today || rng.NextDouble() < 0.2)
                {
                    break;
                }

                var to = k < path.Length ? (rng.NextDouble() < 0.08 && k > 1 ? path[k - 2] : path[k]) : rng.NextDouble() < 0.65 ? win : loss;
                steps.Add((stage, to, next));
                (stage, on) = (to, next);
                if (to == win || to == loss)
                {
                    break;
                }

                if (Array.IndexOf(path, to) < k)
                {
                    k -= 2;
                }
            }

            string? cn = null, rt = null;
            DateOnly? ci = null, ce = null, ro = null;
            if (stage == "certified")
            {
                (cn, ci, ce) = ($"GR{i:000000}", on, on.AddYears(3).AddDays(-1));
                if (ce < Today)
                {
                    steps.Add(("certified", "expired", ce.Value.AddDays(1)));
                    (stage, on) = ("expired", ce.Value.AddDays(1));
                }
            }
            else if (stage == "recognized")
            {
                (rt, ro) = (i % 3 == 0 ? "open-innovation-platform" : "rd-center", on);
            }

            var open = reference.Programs.IsOpen(program, stage);
            await Run(kase, i, i, program, stage, open ? 1 : 0, Inv.D(on), Inv.D(steps[0].On), open ? null : Inv.D(on), 1 + (i % Officers),
                cn, ci is null ? null : Inv.D(ci.Value), ce is null ? null : Inv.D(ce.Value), rt, ro is null ? null : Inv.D(ro.Value), now);
            foreach (var (from, to, at) in steps)
            {
                await Run(move, i, from, to, Inv.D(at), now);
            }
        }

        var visit = Prepare(conn, tx, """
            INSERT INTO "Visits" ("Id","Version","FirmId","Status","Kind","On","CreatedById","CreatedAt","UpdatedAt") VALUES ($id,1,$f,$s,'OnSite',$on,$by,$now,$now)
            """, "$id", "$f", "$s", "$on", "$by", "$now");
        var officer = Prepare(conn, tx, """INSERT INTO "VisitOfficers" ("VisitId","UserId") VALUES ($v,$u)""", "$v", "$u");
        for (var i = 1; i <= Visits; i++)
        {
            var by = 1 + rng.Next(Officers);
            await Run(visit, i, 1 + rng.Next(Firms), rng.NextDouble() < 0.9 ? "Done" : "Cancelled", Inv.D(new DateOnly(2024, 11, 1).AddDays(rng.Next(0, 731))), by, now);
            await Run(officer, i, by);
        }

        var task = Prepare(conn, tx, """
            INSERT INTO "Tasks" ("Version","FirmId","AssigneeId","Title","Kind","DueOn","Status","CompletedOn","CreatedById","CreatedAt","UpdatedAt")
            VALUES (1,$f,$a,'跟进','follow-up',$due,$s,$done,$a,$now,$now)
            """, "$f", "$a", "$due", "$s", "$done", "$now");
        for (var i = 1; i <= Tasks; i++)
        {
            var due = new DateOnly(2024, 11, 1).AddDays(rng.Next(0, 760));
            var done = rng.NextDouble() < 0.7 ? due.AddDays(rng.Next(-10, 20)) : (DateOnly?)null;
            if (done > Today)
            {
                done = null;
            }

            await Run(task, 1 + rng.Next(Firms), 1 + rng.Next(Officers), Inv.D(due), done is null ? "Open" : "Done", done is null ? null : Inv.D(done.Value), now);
        }

        await tx.CommitAsync();
        await Exec(conn, "PRAGMA synchronous=NORMAL; ANALYZE;");
    }

    private static SqliteCommand Prepare(SqliteConnection conn, SqliteTransaction tx, string sql, params string[] names)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter(n, DBNull.Value));
        }

        cmd.Prepare();
        return cmd;
    }

    private static Task<int> Run(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return cmd.ExecuteNonQueryAsync();
    }

    private static async Task Exec(SqliteConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
