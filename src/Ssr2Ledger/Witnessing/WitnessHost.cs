using Ssr2Ledger.Integrity;

namespace Ssr2Ledger.Witnessing;

/// <summary>
/// The <c>witness</c> command: a small server of its own (no database, no ledger), answering the C2SP tlog-witness
/// <c>POST /add-checkpoint</c>, with its key and state in files of its own.
/// </summary>
public static class WitnessHost
{
    /// <param name="logKeys">Note verifier keys of the ledgers watched, each given as the key or a file holding it.</param>
    public static WebApplication Build(string keyFile, string name, string stateDirectory, IReadOnlyList<string> logKeys, string[] args)
    {
        var keys = logKeys.Select(k => File.Exists(k) ? File.ReadAllText(k).Trim() : k.Trim()).ToList();
        if (keys.Count == 0) throw new ArgumentException("witness serve needs --log-key VKEY: the verifier key of each ledger it watches.");
        foreach (var key in keys)
            if (!SignedNote.IsVerifierKey(key)) throw new ArgumentException($"'{key}' is not a note verifier key (<name>+<hash>+<key>).");

        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            { InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" } });
        builder.Services.AddSingleton(_ => Cosigner.Open(keyFile, name));
        builder.Services.AddSingleton(_ => new WitnessState(stateDirectory));
        builder.Services.AddSingleton(services => new Witness(services.GetRequiredService<Cosigner>(), keys,
            services.GetRequiredService<WitnessState>(), TimeProvider.System));
        var app = builder.Build();
        app.MapWitness();
        return app;
    }

    public static void MapWitness(this IEndpointRouteBuilder app)
    {
        app.MapPost("/add-checkpoint", async (HttpRequest request, Witness witness, ILoggerFactory logs, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(ct);
            var answer = await witness.AddCheckpointAsync(body, ct);
            if (answer.Status != 200)
                logs.CreateLogger("Ssr2Ledger.Witness").LogWarning("Refused ({Status}): {Why}", answer.Status, answer.Body.Trim());
            return Results.Text(answer.Body, answer.ContentType, statusCode: answer.Status);
        });
        app.MapGet("/verifier-key", (Witness witness) => Results.Text(witness.Key.VerifierKey + "\n", "text/plain"));
    }

    /// <summary><c>witness key --key FILE --name NAME</c>: makes the key when absent and prints its verifier key.</summary>
    public static int PrintKey(string keyFile, string name)
    {
        using var cosigner = Cosigner.Open(keyFile, name);
        Console.WriteLine(cosigner.Key.VerifierKey);
        return 0;
    }

    public static async Task<int> ServeAsync(string keyFile, string name, string stateDirectory, IReadOnlyList<string> logKeys, string[] args)
    {
        await using var app = Build(keyFile, name, stateDirectory, logKeys, args);
        await app.StartAsync();
        Console.WriteLine($"Witness {app.Services.GetRequiredService<Witness>().Key.VerifierKey} at {string.Join(", ", app.Urls)} " +
                          $"(POST /add-checkpoint), state in {Path.GetFullPath(stateDirectory)}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
