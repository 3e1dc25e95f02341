using System.Buffers.Binary;
using System.Security.Cryptography;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>Everything written for one firm; the bulk writer streams these so memory stays flat at any scale.</summary>
public sealed record FirmBundle(
    Firm Firm,
    List<Contact> Contacts,
    List<Case> Cases,
    List<Visit> Visits,
    List<FollowUpTask> Tasks,
    List<FirmSearchGram> Grams);

/// <summary>
/// Deterministic synthetic data: the same options (seed, counts, today) give the same rows. Users and the per-firm
/// plan (tier, status, case stages, visit and task counts) are drawn up front from the seed so totals match the
/// requested counts; each firm's details come from its own generator seeded by (seed, index).
/// </summary>
public sealed partial class SyntheticData
{
    private static readonly (string Program, double Share)[] ProgramShares =
        [(ProgramCatalog.Hnte, 0.55), (ProgramCatalog.LittleGiant, 0.15), (ProgramCatalog.ForeignRdCenter, 0.10), (ProgramCatalog.PreIpo, 0.20)];

    private readonly SyntheticOptions _options;
    private readonly SyntheticWords _words;
    private readonly SyntheticIds _ids;
    private readonly SyntheticCases _cases;
    private readonly DateOnly _today;
    private readonly FirmPlan[] _plans;
    private readonly List<User> _officers = [];
    private readonly WeightedPicker _officerPicker;
    private readonly WeightedChoice<string> _industries;
    private readonly WeightedChoice<string> _zones;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _codes = new(StringComparer.Ordinal);
    private bool _enumerated;

    public SyntheticData(SyntheticOptions options, SyntheticWords words, SyntheticIds ids)
    {
        _options = options;
        _words = words;
        _ids = ids;
        _today = options.Today;
        _cases = new SyntheticCases(words, options.Today);
        _industries = new([.. words.IndustryWeights.Select(kv => (kv.Key, (double)kv.Value))]);
        _zones = new([.. words.ZoneWeights.Select(kv => (kv.Key, (double)kv.Value))]);
        var r = new Random(options.Seed);
        Users = BuildUsers(r);
        // A few officers look after many firms, most after a moderate portfolio.
        _officerPicker = WeightedPicker.Zipf(_officers.Count, 0.9);
        _plans = PlanFirms(r);
    }

    public IReadOnlyList<User> Users { get; }

    /// <summary>The firms with everything that hangs off them, in id order. Enumerate once.</summary>
    public IEnumerable<FirmBundle> Firms()
    {
        if (_enumerated)
        {
            throw new InvalidOperationException("The synthetic firms can be enumerated only once.");
        }

        _enumerated = true;
        for (var i = 0; i < _plans.Length; i++)
        {
            yield return BuildFirm(i, new Random(unchecked((_options.Seed * 1_000_003) + i)));
        }
    }

    private sealed class FirmPlan
    {
        public FirmTier Tier { get; set; }
        public FirmStatus Status { get; set; }
        public bool Prospect { get; set; }
        public Ownership Ownership { get; set; }
        public int Visits { get; set; }
        public int OpenTasks { get; set; }
        public int DoneTasks { get; set; }
        public List<(string Program, string Stage, string? EarlierStage)> Cases { get; } = [];

        public bool InDistrict => Status is FirmStatus.Active or FirmStatus.MovedIn;
    }

    private List<User> BuildUsers(Random r)
    {
        var users = new List<User>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        User Make(string role, long? supervisorId)
        {
            var surname = r.Pick(_words.Surnames);
            var given = r.Chance(0.6) ? [r.Pick(_words.GivenNames), r.Pick(_words.GivenNames)] : new[] { r.Pick(_words.GivenNames) };
            var userName = surname.Py + string.Concat(given.Select(g => g.Py));
            for (var n = 2; !taken.Add(userName); n++)
            {
                userName = surname.Py + string.Concat(given.Select(g => g.Py)) + n;
            }

            var created = ShanghaiTime.StartOfDayUtc(_today.AddDays(-r.Days(400, 2000)));
            var user = new User
            {
                Id = _ids.NextUser(),
                Version = 1,
                UserName = userName,
                DisplayName = surname.Zh + string.Concat(given.Select(g => g.Zh)),
                Email = $"{userName}@xuhui.example.com",
                Role = role,
                SupervisorId = supervisorId,
                DistrictCode = Firm.DefaultDistrictCode,
                PasswordHash = UnusablePasswordHash(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = created,
                UpdatedAt = created,
            };
            users.Add(user);
            return user;
        }

        var supervisors = Enumerable.Range(0, _options.Supervisors).Select(_ => Make(Roles.Supervisor, null)).ToList();
        for (var i = 0; i < _options.Officers; i++)
        {
            _officers.Add(Make(Roles.Officer, supervisors.Count == 0 ? null : supervisors[i % supervisors.Count].Id));
        }

        for (var i = 0; i < _options.Viewers; i++)
        {
            Make(Roles.Viewer, null);
        }

        return users;
    }

    /// <summary>
    /// A well-formed PBKDF2 (ASP.NET Identity v3) hash of random bytes: no password verifies against it, and
    /// login answers "invalid credentials" instead of failing on a malformed hash. Admins set real passwords.
    /// </summary>
    private static string UnusablePasswordHash()
    {
        var bytes = new byte[13 + 16 + 32];
        bytes[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), 2); // HMACSHA512
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(9), 16);
        RandomNumberGenerator.Fill(bytes.AsSpan(13));
        return Convert.ToBase64String(bytes);
    }

    private FirmPlan[] PlanFirms(Random r)
    {
        var plans = new FirmPlan[_options.Firms];
        for (var i = 0; i < plans.Length; i++)
        {
            var status = r.NextDouble() switch { < 0.85 => FirmStatus.Active, < 0.95 => FirmStatus.MovedIn, < 0.98 => FirmStatus.MovedOut, _ => FirmStatus.Deregistered };
            plans[i] = new FirmPlan
            {
                Tier = r.Chance(0.15) ? FirmTier.Key : FirmTier.Regular,
                Status = status,
                Prospect = status == FirmStatus.Active && r.Chance(0.005),
                Ownership = r.NextDouble() switch
                {
                    < 0.72 => Ownership.DomesticPrivate,
                    < 0.80 => Ownership.StateOwned,
                    < 0.94 => Ownership.ForeignInvested,
                    _ => Ownership.HongKongMacaoTaiwan,
                },
            };
        }

        PlanCases(r, plans);

        // Most firms get few visits and some many (Pareto); key firms are visited more; ~8% never.
        var visitWeights = plans.Select(p => r.Chance(0.08) ? 0
            : Math.Min(40, r.Pareto(1.5)) * (p.Tier == FirmTier.Key ? 3 : 1) * (p.InDistrict ? 1 : 0.3) * (p.Prospect ? 0.3 : 1)).ToArray();
        var visits = Allocate(r, _options.Visits, visitWeights);
        var taskWeights = visitWeights.Select((w, i) => plans[i].InDistrict ? Math.Sqrt(w) + (0.5 * r.NextDouble()) : 0).ToArray();
        var openTasks = Allocate(r, _options.OpenTasks, taskWeights);
        var doneTasks = Allocate(r, (int)(_options.OpenTasks * 0.6), visitWeights.Select(w => Math.Sqrt(w)).ToArray());
        for (var i = 0; i < plans.Length; i++)
        {
            plans[i].Visits = visits[i];
            plans[i].OpenTasks = openTasks[i];
            plans[i].DoneTasks = doneTasks[i];
        }

        return plans;
    }

    /// <summary>Cases per programme go to firms by weighted sampling without replacement; ~12% also get an earlier, closed case.</summary>
    private void PlanCases(Random r, FirmPlan[] plans)
    {
        var remaining = _options.Cases;
        for (var p = 0; p < ProgramShares.Length; p++)
        {
            var (program, share) = ProgramShares[p];
            var count = p == ProgramShares.Length - 1 ? remaining : (int)Math.Round(_options.Cases * share);
            remaining -= count;
            var prospectsAllowed = program is ProgramCatalog.ForeignRdCenter or ProgramCatalog.PreIpo;
            var candidates = Enumerable.Range(0, plans.Length)
                .Where(i => plans[i].InDistrict && (prospectsAllowed || !plans[i].Prospect))
                .Select(i => (Index: i, Key: Math.Log(1.0 - r.NextDouble()) / CaseWeight(program, plans[i])))
                .OrderByDescending(x => x.Key)
                .ToList();
            var firms = Math.Min(candidates.Count, (int)Math.Ceiling(count / 1.12));
            var earlier = Math.Min(firms, count - firms);
            var stages = SyntheticCases.Stages(program);
            for (var j = 0; j < firms; j++)
            {
                var plan = plans[candidates[j].Index];
                // The first few cover every stage, so even the demo shows each one.
                var stage = j < stages.Count ? stages[j] : SyntheticCases.StageMix[program].Next(r);
                if (plan.Prospect && !SyntheticCases.IsInitial(program, stage))
                {
                    stage = stages[0];
                }

                var earlierStage = j >= stages.Count && j < stages.Count + earlier && !plan.Prospect
                    ? SyntheticCases.EarlierEnding[program].Next(r)
                    : null;
                plan.Cases.Add((program, stage, earlierStage));
                if (program == ProgramCatalog.ForeignRdCenter && !plan.Prospect)
                {
                    plan.Ownership = Ownership.ForeignInvested;
                }
            }
        }
    }

    private static double CaseWeight(string program, FirmPlan plan) =>
        (plan.Tier == FirmTier.Key ? 4 : 1) * program switch
        {
            ProgramCatalog.ForeignRdCenter => plan.Prospect ? 20 : plan.Ownership switch
            {
                Ownership.ForeignInvested => 10,
                Ownership.HongKongMacaoTaiwan => 3,
                _ => 0.2,
            },
            ProgramCatalog.PreIpo => plan.Tier == FirmTier.Key ? 3 : 1,
            _ => 1,
        };

    /// <summary>Splits a total over weights: floor of the share plus a random rounding, so the sum lands close to the total.</summary>
    private static int[] Allocate(Random r, int total, double[] weights)
    {
        var sum = weights.Sum();
        return weights.Select(w => sum <= 0 ? 0 : (int)Math.Floor((total * w / sum) + r.NextDouble())).ToArray();
    }
}
