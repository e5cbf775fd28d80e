using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Ssr2Ledger.Access;

public static class Roles
{
    public const string Reader = "reader";
    public const string Recorder = "recorder";
    public const string Admin = "admin";
    public static readonly IReadOnlyList<string> All = [Reader, Recorder, Admin];
    public const string MayRecord = "may-record";
}

/// <summary>
/// An API key as stored: only the SHA-256 of the secret, with the name recorded on every entry it writes, and the reviews
/// it may record in (null: any; keys made by earlier versions have none).
/// </summary>
public sealed record ApiKey(string Id, string Name, string Role, DateTimeOffset CreatedAt, IReadOnlyList<string>? Reviews = null);

public static class ApiKeys
{
    public static string Fingerprint(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates a key and returns its secret, which is never stored and cannot be shown again.</summary>
    public static async Task<string> CreateAsync(IDocumentStore store, string name, string role,
        CancellationToken cancellation = default, IReadOnlyList<string>? reviews = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new ArgumentException("A key needs a name of 1 to 100 characters.");
        if (!Roles.All.Contains(role)) throw new ArgumentException($"Role must be one of: {string.Join(", ", Roles.All)}.");
        if (reviews?.FirstOrDefault(r => !Ledger.EventPayload.IsId(r)) is { } notAnId)
            throw new ArgumentException($"'{notAnId}' is not a review id (letters, digits, '.', '-', '_').");
        var secret = "ssr2_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var session = store.LightweightSession();
        session.Insert(new ApiKey(Fingerprint(secret), name, role, DateTimeOffset.UtcNow,
            reviews is { Count: > 0 } ? [.. reviews.Distinct()] : null));
        await session.SaveChangesAsync(cancellation);
        return secret;
    }

}

/// <summary>
/// Keys looked up by their hash (no secret is ever compared character by character), remembered for a minute
/// once found so that a busy recorder's key is not read on every request. Keys never change once made;
/// the minute bounds how long a key deleted from the database by hand goes on working. Unknown keys are
/// not remembered: a key made a moment ago works at once.
/// </summary>
public sealed class KnownApiKeys(IDocumentStore store)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _found = new();

    public async Task<ApiKey?> FindAsync(string secret, CancellationToken cancellation)
    {
        if (secret.Length is 0 or > 200) return null;
        var id = ApiKeys.Fingerprint(secret);
        if (_found.TryGetValue(id, out var known) && known.Until > DateTimeOffset.UtcNow) return known.Key;

        await using var session = store.QuerySession();
        var key = await session.LoadAsync<ApiKey>(id, cancellation);
        if (key is not null) _found[id] = (key, DateTimeOffset.UtcNow + Remembered);
        return key;
    }
}
