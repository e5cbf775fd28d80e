using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// A private PostgreSQL started from the machine's own binaries, in a data folder this program owns.
/// It is reused when already running there (another ledger process started it) and stopped on
/// dispose only by the process that started it.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string Superuser = "ledger";
    private readonly string _binaries;
    private readonly bool _startedHere;
    private readonly bool _asPostgresUser;

    private EmbeddedPostgres(string binaries, string dataDirectory, int port, bool startedHere, bool asPostgresUser)
    {
        _binaries = binaries;
        DataDirectory = dataDirectory;
        Port = port;
        _startedHere = startedHere;
        _asPostgresUser = asPostgresUser;
    }

    public string DataDirectory { get; }
    /// <summary>The folder of the PostgreSQL programs (pg_dump, pg_restore … beside initdb).</summary>
    public string Binaries => _binaries;
    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Timeout=5;Command Timeout=60";

    /// <param name="port">A port to listen on; by default a free one is chosen.</param>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, Action<string> progress, int? port = null)
    {
        var binaries = FindBinaries() ?? throw new LedgerStartupException(
            "No database: ConnectionStrings:Ledger is not set (e.g. the environment variable ConnectionStrings__Ledger), " +
            "and no PostgreSQL server binaries (initdb, pg_ctl) were found on PATH, in `pg_config --bindir` or in " +
            "/usr/lib/postgresql/*/bin. Either set a connection string to a PostgreSQL 15+ database, or install PostgreSQL " +
            "(e.g. `apt-get install postgresql`) so that the ledger can start its own.");
        var asPostgresUser = Environment.UserName == "root";
        dataDirectory = Path.GetFullPath(dataDirectory);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            progress($"Creating the ledger's PostgreSQL data folder in {dataDirectory}");
            Directory.CreateDirectory(dataDirectory);
            // initdb refuses to run as root: the folder goes to the postgres user, who runs the server.
            if (asPostgresUser) await RunAsync("chown", ["postgres:postgres", dataDirectory], false);
            await RunAsync(Path.Combine(binaries, "initdb"),
                ["-D", dataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgresUser);
        }

        if (RunningPort(dataDirectory) is { } running && await ReachableAsync(running))
            return new EmbeddedPostgres(binaries, dataDirectory, running, false, asPostgresUser);

        var listen = port ?? FreePort();
        progress($"Starting PostgreSQL on 127.0.0.1:{listen} ({dataDirectory})");
        await RunAsync(Path.Combine(binaries, "pg_ctl"),
        [
            "start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(dataDirectory, "server.log"),
            "-o", $"-p {listen} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200",
        ], asPostgresUser);
        return new EmbeddedPostgres(binaries, dataDirectory, listen, true, asPostgresUser);
    }

    public async Task EnsureDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(Maintenance(Port));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync() is null)
            await new NpgsqlCommand($"create database \"{database}\"", connection).ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_startedHere) return;
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], _asPostgresUser);
    }

    /// <summary>Where initdb and pg_ctl live: PATH, then pg_config's bindir, then Debian's versioned folders.</summary>
    private static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).ToList();
        try
        {
            var pgConfig = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (pgConfig is not null) { candidates.Add(pgConfig.StandardOutput.ReadToEnd().Trim()); pgConfig.WaitForExit(); }
        }
        catch (System.ComponentModel.Win32Exception) { /* no pg_config on this machine */ }
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        var found = candidates.FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        // A folder of links (/usr/local/bin → /usr/lib/postgresql/15/bin) stands for the folder of the real programs.
        return found is null ? null : Path.GetDirectoryName(new FileInfo(Path.Combine(found, "initdb")).ResolveLinkTarget(true)?.FullName) ?? found;
    }

    /// <summary>The port of a server already running on this folder (line 4 of postmaster.pid).</summary>
    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static async Task<bool> ReachableAsync(int port)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Maintenance(port));
            await connection.OpenAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException) { return false; }
    }

    /// <summary>
    /// For the probe and the database check: one pooled connection for both, and no loading of the server's
    /// types (Npgsql's first query on a new connection string), which the ledger's own data source does once.
    /// </summary>
    private static string Maintenance(int port) =>
        $"Host=127.0.0.1;Port={port};Username={Superuser};Database=postgres;Timeout=3;Server Compatibility Mode=NoTypeLoading";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = asPostgresUser
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.WorkingDirectory = "/";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new LedgerStartupException(
                $"`{Path.GetFileName(program)} {string.Join(' ', arguments)}` failed ({process.ExitCode}): {await error}{await output}");
    }
}

public sealed class LedgerStartupException(string message) : Exception(message);
