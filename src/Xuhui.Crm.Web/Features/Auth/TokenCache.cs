using System.Collections.Concurrent;

namespace Xuhui.Crm.Web.Features.Auth;

/// <summary>
/// The bearer-token lookup's answers, kept for a few seconds (Crm:Auth:TokenCacheSeconds, default 5; 0 turns it off).
/// The lookup (token hash → active user with the token's security stamp) is a large part of a small request's CPU. A
/// change through this instance to any user or token (login, logout, deactivation, role or password change) empties it
/// at once (<see cref="TokenCacheInvalidation"/>), so a single instance — every SQLite deployment — answers exactly as without
/// it. Another instance of a city deployment sees such a change after at most the cache's lifetime (README, "Running
/// for a city"). An entry never outlives its token's expiry.
/// </summary>
public sealed class TokenCache
{
    private const int MaxEntries = 10_000;
    private long _generation;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime;

    public TokenCache(Microsoft.Extensions.Options.IOptions<Shared.CrmOptions> crm)
    {
        _lifetime = TimeSpan.FromSeconds(Math.Max(0, crm.Value.Auth.TokenCacheSeconds));
    }

    /// <summary>Marks every cached answer stale: called after any write to users or access tokens through this instance.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>The generation to pass to <see cref="Set"/>: read before the lookup, so an answer read while a change commits is not kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool Enabled => _lifetime > TimeSpan.Zero;

    public bool TryGet(string hash, DateTime now, out TokenUser user)
    {
        user = null!;
        if (!Enabled || !_entries.TryGetValue(hash, out var entry))
        {
            return false;
        }

        if (entry.Generation != Generation || entry.Until <= now)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
            return false;
        }

        user = entry.User;
        return true;
    }

    public void Set(string hash, TokenUser user, DateTime tokenExpiresAt, long generation, DateTime now)
    {
        if (!Enabled)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var until = now + _lifetime;
        _entries[hash] = new Entry(user, until < tokenExpiresAt ? until : tokenExpiresAt, generation);
    }

    private sealed record Entry(TokenUser User, DateTime Until, long Generation);
}

/// <summary>The signed-in user behind a bearer token, as the token lookup reads it.</summary>
public sealed record TokenUser(long Id, string UserName, string Role, string DisplayName, string? DistrictCode);
