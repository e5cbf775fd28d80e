using Npgsql;

namespace Ssr2Ledger.Hosting;

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
        if (!string.IsNullOrWhiteSpace(configured)) return new LedgerDatabase(NpgsqlDataSource.Create(configured), null);

        var embedded = await EmbeddedPostgres.StartAsync(configuration["Ledger:DataDirectory"] ?? DefaultDataDirectory(), progress);
        await embedded.EnsureDatabaseAsync("ledger");
        return new LedgerDatabase(NpgsqlDataSource.Create(embedded.ConnectionString("ledger")), embedded);
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
