using Ssr2Ledger.Hosting;
using Npgsql;

namespace Ssr2Ledger.Database;

/// <summary>
/// The ledger's PostgreSQL: <c>ConnectionStrings:Ledger</c> when configured, otherwise the embedded
/// server in <c>Ledger:DataDirectory</c> (default: a folder of this user's). Owns the embedded server's
/// lifetime and the one data source every part of the program connects through.
/// </summary>
public sealed class LedgerDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private LedgerDatabase(NpgsqlDataSource dataSource, EmbeddedPostgres? embedded)
    {
        DataSource = dataSource;
        _embedded = embedded;
    }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<LedgerDatabase> OpenAsync(IConfiguration configuration, Action<string> progress)
    {
        var configured = configuration.GetConnectionString("Ledger");
        if (!string.IsNullOrWhiteSpace(configured)) return new LedgerDatabase(NpgsqlDataSource.Create(Tuned(configured)), null);

        var embedded = await EmbeddedPostgres.StartAsync(configuration["Ledger:DataDirectory"] ?? DefaultDataDirectory(), progress);
        await embedded.EnsureDatabaseAsync("ledger");
        return new LedgerDatabase(NpgsqlDataSource.Create(Tuned(embedded.ConnectionString("ledger"))), embedded);
    }

    /// <summary>
    /// A write is a handful of short statements: resetting each pooled connection (DISCARD ALL, a round trip
    /// that also throws away prepared statements) and planning every statement afresh cost more than the
    /// statements. The ledger leaves no session state behind, so it skips the reset and lets Npgsql prepare
    /// the statements it sees repeated. Settings given in the connection string win.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's builder says it contains every keyword it knows, set or not: what was given is read from the string itself.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "").ToLowerInvariant()).ToHashSet();
        if (!given.Contains("noresetonclose")) builder.NoResetOnClose = true;
        if (!given.Contains("maxautoprepare")) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    /// <summary>Root's home is closed to the postgres user that must run the server, so root keeps it under /var/lib.</summary>
    public static string DefaultDataDirectory() =>
        Environment.UserName == "root"
            ? "/var/lib/ssr2ledger/postgres"
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME")
                           ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
                "ssr2ledger", "postgres");

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_embedded is not null) await _embedded.DisposeAsync();
    }
}
