using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// The service as a child process on the real clock, killed (SIGKILL, whole tree) at random points of a 500-message
/// batch. Kill points are random (the seed is logged); the assertions are counts: every message arrives, and the
/// duplicates are no more than the kills that landed after the server stored a message and before "sent" was recorded.
/// </summary>
/// <summary>Runs on the real clock in a child process, so tests/run.sh runs it in the first time zone only.</summary>
[Collection(RemindersCollection.Name)]
[Trait("Category", "Crash")]
// Child processes on the SQLite file, read directly; FailoverTests is the PostgreSQL counterpart.
[Trait("Provider", "SqliteOnly")]
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Count = 500;
    private const int MinKills = 20;

    private enum Landing
    {
        /// <summary>No message was "sending": before a claim or after a "sent" commit.</summary>
        BetweenMessages,

        /// <summary>A message was "sending" and the server had not stored it: resent, no duplicate.</summary>
        BeforeServerReply,

        /// <summary>A message was "sending" and the server had stored it (its 250 was due or on the way): resent, one duplicate.</summary>
        InsideWindow,
    }

    [Fact]
    public async Task Killed_at_random_points_of_a_500_message_batch_every_message_arrives_and_duplicates_stay_within_the_kills_inside_the_window()
    {
        var watch = Stopwatch.StartNew();
        var seed = Environment.GetEnvironmentVariable("XUHUI_CRASH_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        output.WriteLine($"seed {seed} (XUHUI_CRASH_SEED={seed} replays the kill points' choice, not their timing)");

        await using var smtp = new LoopbackSmtp();
        var data = CrmFactory.NewDataDirectory();

        // Migrate and queue through an in-process host on the same files, then hand the files to the child.
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var setup = CrmFactory.On(data, new FakeTimeProvider(now)))
        {
            Assert.Equal(Count, await OutboxSeed.QueueAsync(setup, Count, 4_000, DateOnly.FromDateTime(now.UtcDateTime)));
        }

        var messageIds = Query(data, "SELECT MessageId FROM OutboxMessages", r => r.GetString(0)).ToHashSet();
        Assert.Equal(Count, messageIds.Count);

        var landings = new List<Landing>();
        var lives = 0;
        while (true)
        {
            var remaining = Count - smtp.Accepted.Select(r => r.Message.MessageId).Distinct().Count();
            var killsLeft = MinKills - landings.Count;
            var acceptedBefore = smtp.Accepted.Count;
            lives++;
            var life = Stopwatch.StartNew();
            using var child = StartChild(data, smtp.Port);

            if (killsLeft <= 0)
            {
                // The last life runs to the end of the batch.
                await WaitUntilAsync(() => Query(data, "SELECT COUNT(*) FROM OutboxMessages WHERE Status <> 'Sent'", r => r.GetInt64(0)).Single() == 0, child, TimeSpan.FromSeconds(60));
                output.WriteLine($"life {lives}: ran to the end; {smtp.Accepted.Count - acceptedBefore} accepted");
                child.Process.Kill(entireProcessTree: true);
                await child.Process.WaitForExitAsync();
                break;
            }

            // Kill after a random number of further messages have reached the server (spread so that at least
            // MinKills kills fit in the batch), then after a random 0–6 ms, which moves the kill point across
            // the send cycle: the 250 on its way, the "sent" commit, the next claim, the next DATA…
            var step = random.Next(1, Math.Max(2, 2 * remaining / (killsLeft + 2)));
            var target = acceptedBefore + step;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            smtp.OnAccepted = _ =>
            {
                if (smtp.Accepted.Count >= target)
                {
                    reached.TrySetResult();
                }
            };
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * 6);
            await WaitOrFailAsync(reached.Task, child, TimeSpan.FromSeconds(60));
            var untilTarget = life.Elapsed;
            var spin = Stopwatch.StartNew();
            while (spin.Elapsed < delay)
            {
                Thread.SpinWait(20);
            }

            child.Process.Kill(entireProcessTree: true);
            await child.Process.WaitForExitAsync();
            smtp.OnAccepted = null;

            // The server stores a message before it answers 250; let it notice the dropped connection first.
            var killedAt = life.Elapsed;
            await WaitUntilAsync(() => smtp.OpenSessions == 0, null, TimeSpan.FromSeconds(10));
            var drained = life.Elapsed;
            var acceptedThisLife = smtp.Accepted.Skip(acceptedBefore).Select(r => r.Message.MessageId).ToHashSet();
            var sending = Query(data, "SELECT Id, MessageId FROM OutboxMessages WHERE Status = 'Sending'", r => (Id: r.GetInt64(0), MessageId: r.GetString(1))).ToList();
            Assert.True(sending.Count <= 1, "one connection sends one message at a time");
            var landing = sending.Count == 0 ? Landing.BetweenMessages
                : acceptedThisLife.Contains(sending[0].MessageId) ? Landing.InsideWindow
                : Landing.BeforeServerReply;
            landings.Add(landing);
            var sent = Query(data, "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Sent'", r => r.GetInt64(0)).Single();
            output.WriteLine($"life {lives}: aimed at {delay.TotalMilliseconds:F1} ms after the server's accept #{target}, killed at accept #{smtp.Accepted.Count}: {landing}" +
                (sending.Count == 1 ? $" (outbox #{sending[0].Id} 'sending')" : string.Empty) + $"; {sent} sent so far" +
                $" [start to target {untilTarget.TotalMilliseconds:F0} ms, killed {killedAt.TotalMilliseconds:F0} ms, server drained {drained.TotalMilliseconds:F0} ms]");
        }

        var accepted = smtp.Accepted.Select(r => r.Message.MessageId ?? string.Empty).ToList();
        var duplicates = accepted.Count - accepted.Distinct().Count();
        var inWindow = landings.Count(l => l == Landing.InsideWindow);
        var interrupted = landings.Count(l => l != Landing.BetweenMessages);
        var recorded = Query(data, "SELECT COALESCE(SUM(InterruptedSends), 0) FROM OutboxMessages", r => r.GetInt64(0)).Single();
        output.WriteLine($"{landings.Count} kills in {lives} lives: {landings.Count(l => l == Landing.BetweenMessages)} between messages, " +
            $"{landings.Count(l => l == Landing.BeforeServerReply)} during a send before the server stored it, {inWindow} inside the window; " +
            $"{accepted.Count} accepted, {duplicates} duplicates, {recorded} interrupted sends recorded; {watch.Elapsed.TotalSeconds:F1} s");

        Assert.True(landings.Count >= MinKills);
        Assert.True(messageIds.SetEquals(accepted), "every queued message reached the server, and nothing else did");
        Assert.Equal(Count, Query(data, "SELECT COUNT(*) FROM OutboxMessages WHERE Status = 'Sent'", r => r.GetInt64(0)).Single());
        Assert.True(duplicates <= inWindow, $"{duplicates} duplicates but only {inWindow} kills inside the window");
        Assert.Equal(interrupted, recorded); // every kill during a send is on record as a possible duplicate
        var recordedById = Query(data, "SELECT MessageId, InterruptedSends FROM OutboxMessages", r => (MessageId: r.GetString(0), Interrupted: r.GetInt64(1)))
            .ToDictionary(r => r.MessageId, r => r.Interrupted);
        foreach (var twice in accepted.GroupBy(m => m).Where(g => g.Count() > 1))
        {
            Assert.True(recordedById[twice.Key] >= twice.Count() - 1, $"{twice.Key} went {twice.Count()} times, unrecorded");
        }
    }

    private sealed class Child(Process process, Queue<string> log) : IDisposable
    {
        public Process Process { get; } = process;

        public string Log
        {
            get
            {
                lock (log)
                {
                    return string.Join('\n', log);
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }

    private static Child StartChild(string dataDirectory, int smtpPort)
    {
        var dll = WebDll();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Crm__DataDirectory"] = dataDirectory;
        info.Environment["Crm__Bootstrap__AdminPassword"] = CrmFactory.SharedAdminPassword;
        info.Environment["Crm__Seed__Demo"] = "false";
        info.Environment["Crm__Jobs__Enabled"] = "false";
        info.Environment["Crm__Smtp__Host"] = "127.0.0.1";
        info.Environment["Crm__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Crm__Smtp__Security"] = "None";
        info.Environment["Crm__Smtp__TimeoutSeconds"] = "10";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // Startup is most of each life's time: workstation GC and no tiered PGO start a loaded 2-core machine faster.
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0";
        var log = new Queue<string>();
        var process = new Process { StartInfo = info };
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.Enqueue(line);
                if (log.Count > 200)
                {
                    log.Dequeue();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process, log);
    }

    /// <summary>The built service: src/Xuhui.Crm.Web/bin/&lt;Configuration&gt;/net10.0/Xuhui.Crm.Web.dll, the configuration being the tests' own.</summary>
    private static string WebDll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = bin.Name;
        var configuration = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Xuhui.Crm.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "src", "Xuhui.Crm.Web", "bin", configuration, framework, "Xuhui.Crm.Web.dll");
        Assert.True(File.Exists(dll), $"build the service first: {dll}");
        return dll;
    }

    private static List<T> Query<T>(string dataDirectory, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "crm.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static async Task WaitOrFailAsync(Task task, Child child, TimeSpan timeout)
    {
        var exited = child.Process.WaitForExitAsync();
        var done = await Task.WhenAny(task, exited, Task.Delay(timeout));
        if (done != task)
        {
            Assert.Fail($"the child {(done == exited ? $"exited ({child.Process.ExitCode})" : "made no progress")}:\n{child.Log}");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Child? child, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout || child?.Process.HasExited == true)
            {
                Assert.Fail($"timed out waiting{(child is null ? string.Empty : $"; the child's log:\n{child.Log}")}");
            }

            await Task.Delay(20);
        }
    }
}
