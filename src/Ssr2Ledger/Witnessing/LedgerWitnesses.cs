using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Marten;
using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Witnessing;

/// <summary>A witness's cosignature of a review's checkpoint, as the ledger keeps it: the note signature line and its time.</summary>
public sealed record Cosignature(string Id, string ReviewId, long TreeSize, string Witness, DateTimeOffset Time, string Line)
{
    public static string IdOf(string reviewId, long treeSize, string witness) => $"{reviewId}/{treeSize}/{witness}";
}

/// <summary>A witness the ledger's operator trusts (<c>Ledger:Witnesses</c>): its cosignature verifier key and its URL.</summary>
public sealed record TrustedWitness(CosignatureV1.WitnessKey Key, Uri Url);

/// <summary>
/// The ledger's side of witnessing: it sends each review's latest checkpoint to the witnesses it is configured to trust
/// (C2SP tlog-witness add-checkpoint, with a consistency proof from the last size each cosigned), checks each answer, and
/// keeps only valid cosignatures by those keys. A witness that is down or refuses is logged and asked again at the next
/// round; recording never waits for one.
/// </summary>
public sealed class LedgerWitnesses : IDisposable
{
    private readonly IDocumentStore _store;
    private readonly TreeProofs _proofs;
    private readonly ILogger<LedgerWitnesses> _log;
    private readonly HttpClient _http;
    private readonly Channel<bool> _nudges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public LedgerWitnesses(IConfiguration configuration, IDocumentStore store, TreeProofs proofs, ILogger<LedgerWitnesses> log)
    {
        (_store, _proofs, _log) = (store, proofs, log);
        Trusted = [.. configuration.GetSection("Ledger:Witnesses").GetChildren().Select(Trust)];
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(configuration.GetValue("Ledger:WitnessTimeoutSeconds", 10.0)) };
        RoundEvery = TimeSpan.FromSeconds(configuration.GetValue("Ledger:WitnessRoundSeconds", 60.0));
    }

    public IReadOnlyList<TrustedWitness> Trusted { get; }

    /// <summary>How often every review's latest checkpoint is offered to the witnesses that have not cosigned it.</summary>
    public TimeSpan RoundEvery { get; }

    private static TrustedWitness Trust(IConfigurationSection witness)
    {
        var key = CosignatureV1.ParseKey(witness["VerifierKey"] ?? "")
                  ?? throw new InvalidOperationException($"Ledger:Witnesses:{witness.Key}:VerifierKey is not a cosignature verifier key " +
                                                         "(<name>+<hash>+base64(0x04 || Ed25519 key)), as `witness key` prints it.");
        // The submission prefix: add-checkpoint is resolved under it, so it ends with a slash.
        return Uri.TryCreate(witness["Url"]?.TrimEnd('/') + "/", UriKind.Absolute, out var url) ? new(key, url)
            : throw new InvalidOperationException($"Ledger:Witnesses:{witness.Key}:Url is not an absolute URL.");
    }

    /// <summary>Asks for a round now (a checkpoint was sealed); a round already asked for is enough.</summary>
    public void Nudge() => _nudges.Writer.TryWrite(true);

    internal ChannelReader<bool> Nudges => _nudges.Reader;

    /// <summary>Offers every review's latest checkpoint to each witness that has not cosigned it yet.</summary>
    public async Task RoundAsync(CancellationToken ct)
    {
        if (Trusted.Count == 0) return;
        List<string> reviews;
        await using (var session = _store.QuerySession())
            reviews = [.. await session.Query<Checkpoint>().Where(c => c.Note != null).Select(c => c.ReviewId).Distinct().ToListAsync(ct)];
        foreach (var reviewId in reviews)
            if (await _proofs.LatestAsync(reviewId, ct) is { } latest) await CosignAsync(latest, ct);
    }

    /// <returns>How many trusted witnesses have cosigned the checkpoint's tree size (before or now).</returns>
    public async Task<int> CosignAsync(Checkpoint checkpoint, CancellationToken ct)
    {
        if (checkpoint.Note is not { } note) return 0;
        var have = (await OfAsync(checkpoint.ReviewId, checkpoint.Version, ct)).Select(c => c.Witness).ToHashSet();
        foreach (var witness in Trusted.Where(w => !have.Contains(w.Key.Name)))
        {
            try
            {
                if (await AskAsync(witness, checkpoint.ReviewId, checkpoint.Version, note, ct)) have.Add(witness.Key.Name);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                _log.LogWarning("Witness {Witness} at {Url} did not answer ({Error}); it is asked again at the next round.",
                    witness.Key.Name, witness.Url, ex.Message);
            }
        }
        return Trusted.Count(w => have.Contains(w.Key.Name));
    }

    private async Task<bool> AskAsync(TrustedWitness witness, string reviewId, long size, string note, CancellationToken ct)
    {
        long old;
        await using (var session = _store.QuerySession())
            old = (await session.Query<Cosignature>().Where(c => c.ReviewId == reviewId && c.Witness == witness.Key.Name && c.TreeSize <= size)
                .OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct))?.TreeSize ?? 0;
        for (var attempt = 0; ; attempt++)
        {
            var request = new StringBuilder($"old {old}\n");
            if (old > 0 && old < size)
                foreach (var hash in (await _proofs.ConsistencyAsync(reviewId, old, size, ct)).Hashes!)
                    request.Append(Convert.ToBase64String(hash)).Append('\n');
            request.Append('\n').Append(note);
            using var response = await _http.PostAsync(new Uri(witness.Url, "add-checkpoint"),
                new StringContent(request.ToString(), Encoding.UTF8, "text/plain"), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            // The witness's last size is not the one this ledger kept (its state or ours is older): start from its size, once.
            if ((int)response.StatusCode == 409 && response.Content.Headers.ContentType?.MediaType == Witness.SizeContentType && attempt == 0
                && long.TryParse(body.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var theirs) && theirs <= size)
            {
                old = theirs;
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                _log.LogWarning("Witness {Witness} refused the checkpoint of {Review} at {Size} ({Status}): {Why}",
                    witness.Key.Name, reviewId, size, (int)response.StatusCode, body.Trim());
                return false;
            }
            if (CosignatureV1.Find(note + body, witness.Key) is not var (signature, time))
            {
                _log.LogWarning("Witness {Witness} answered no valid cosignature by its key for {Review} at {Size}.", witness.Key.Name, reviewId, size);
                return false;
            }
            await using var session = _store.LightweightSession();
            session.Store(new Cosignature(Cosignature.IdOf(reviewId, size, witness.Key.Name), reviewId, size, witness.Key.Name, time,
                CosignatureV1.Line(signature)));
            await session.SaveChangesAsync(ct);
            return true;
        }
    }

    /// <summary>The cosignatures kept for a review, at one tree size or all, in size then witness order.</summary>
    public async Task<IReadOnlyList<Cosignature>> OfAsync(string reviewId, long? treeSize, CancellationToken ct)
    {
        await using var session = _store.QuerySession();
        var query = session.Query<Cosignature>().Where(c => c.ReviewId == reviewId);
        if (treeSize is { } size) query = query.Where(c => c.TreeSize == size);
        return await query.OrderBy(c => c.TreeSize).ThenBy(c => c.Witness).ToListAsync(ct);
    }

    /// <summary>The note with the cosignature lines kept for its tree size after its own signature (C2SP: one note, many signatures).</summary>
    public async Task<string> WithCosignaturesAsync(string reviewId, string note, CancellationToken ct) =>
        SignedNote.Checkpoint(note) is { } body
            ? note + string.Concat((await OfAsync(reviewId, body.TreeSize, ct)).Select(c => c.Line))
            : note;

    public void Dispose() => _http.Dispose();
}

/// <summary>Runs the witness rounds in the background: when a checkpoint is sealed on demand, and every <c>Ledger:WitnessRoundSeconds</c>.</summary>
public sealed class WitnessRounds(LedgerWitnesses witnesses, ILogger<WitnessRounds> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (witnesses.Trusted.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await witnesses.RoundAsync(stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(ex, "A witness round failed; the next one tries again.");
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(witnesses.RoundEvery);
            try { await witnesses.Nudges.ReadAsync(wait.Token); }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
        }
    }
}

public static class WitnessSetup
{
    /// <summary>The ledger's trusted witnesses and the cosignatures it keeps (the rounds run only in the server).</summary>
    public static void AddLedgerWitnesses(this IServiceCollection services)
    {
        services.AddSingleton<LedgerWitnesses>();
        services.ConfigureMarten(options => options.Schema.For<Cosignature>().Identity(c => c.Id).Index(c => c.ReviewId));
    }
}
