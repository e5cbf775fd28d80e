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

/// <summary>An API key as stored: only the SHA-256 of the secret, with the name recorded on every entry it writes.</summary>
public sealed record ApiKey(string Id, string Name, string Role, DateTimeOffset CreatedAt);

public static class ApiKeys
{
    public static string Fingerprint(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates a key and returns its secret, which is never stored and cannot be shown again.</summary>
    public static async Task<string> CreateAsync(IDocumentStore store, string name, string role, CancellationToken cancellation = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new ArgumentException("A key needs a name of 1 to 100 characters.");
        if (!Roles.All.Contains(role)) throw new ArgumentException($"Role must be one of: {string.Join(", ", Roles.All)}.");
        var secret = "ssr2_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var session = store.LightweightSession();
        session.Insert(new ApiKey(Fingerprint(secret), name, role, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync(cancellation);
        return secret;
    }

    /// <summary>Looks a key up by its hash, so no secret is ever compared character by character.</summary>
    public static async Task<ApiKey?> FindAsync(IQuerySession session, string secret, CancellationToken cancellation) =>
        secret.Length is > 0 and <= 200 ? await session.LoadAsync<ApiKey>(Fingerprint(secret), cancellation) : null;
}
