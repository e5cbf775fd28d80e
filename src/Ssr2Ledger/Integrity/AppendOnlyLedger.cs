using Marten;
using Npgsql;

namespace Ssr2Ledger.Integrity;

/// <summary>
/// The event table refuses UPDATE, DELETE and TRUNCATE, whoever asks: a trigger fires for every role, the
/// application's and a superuser's alike. Only a deliberate act of a superuser gets past it
/// (<c>session_replication_role = replica</c>, or dropping the trigger), and <c>verify</c> then shows what was done.
/// </summary>
public static class AppendOnlyLedger
{
    public static async Task EnsureAsync(IDocumentStore store, CancellationToken cancellation = default)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var schema = store.Options.Events.DatabaseSchemaName;
        var sql = $"""
            create or replace function {schema}.ssr2_refuse_change() returns trigger language plpgsql as $${RefusalBody}$$;
            drop trigger if exists ssr2_append_only on {schema}.mt_events;
            create trigger ssr2_append_only before update or delete on {schema}.mt_events
              for each row execute function {schema}.ssr2_refuse_change();
            drop trigger if exists ssr2_no_truncate on {schema}.mt_events;
            create trigger ssr2_no_truncate before truncate on {schema}.mt_events
              for each statement execute function {schema}.ssr2_refuse_change();
            {Database.ReviewTrees.GuardSql(schema)}
            """;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        // Recreating the triggers locks mt_events against writers: only when they are missing or differ.
        if (await GuardInPlaceAsync(connection, schema, cancellation)) return;
        // One schema change at a time when several ledger processes start together.
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await new NpgsqlCommand("select pg_advisory_xact_lock(2020110503)", connection, transaction).ExecuteNonQueryAsync(cancellation);
        await new NpgsqlCommand(sql, connection, transaction).ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
    }

    /// <summary>The function's body as PostgreSQL keeps it (prosrc), to compare with what is installed.</summary>
    private const string RefusalBody = """
        begin
          raise exception 'The ledger is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
            using errcode = 'insufficient_privilege';
        end
        """;

    /// <summary>Both triggers on mt_events and the tree's, enabled, calling the function with today's body.</summary>
    private static async Task<bool> GuardInPlaceAsync(NpgsqlConnection connection, string schema, CancellationToken cancellation)
    {
        await using var check = new NpgsqlCommand("""
            select count(*) from pg_trigger t join pg_proc p on p.oid = t.tgfoid
            where t.tgrelid in (to_regclass($1), to_regclass($3)) and t.tgname in ('ssr2_append_only', 'ssr2_no_truncate')
              and t.tgenabled = 'O' and p.proname = 'ssr2_refuse_change' and p.prosrc = $2
            """, connection)
        {
            Parameters =
            {
                new() { Value = $"{schema}.mt_events" }, new() { Value = RefusalBody },
                new() { Value = $"{schema}.{Database.ReviewTrees.Table}" },
            },
        };
        return (long)(await check.ExecuteScalarAsync(cancellation))! == 3;
    }
}

/// <summary>Applies the store's schema and the append-only guard when the server starts.</summary>
public sealed class LedgerSchemaSetup(IDocumentStore store, Database.LedgerDatabase database) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await AppendOnlyLedger.EnsureAsync(store, cancellationToken);
        await Database.ReviewTrees.FillMissingAsync(database.DataSource,
            store.Options.Events.DatabaseSchemaName, cancellationToken);
        await Ledger.ReviewSummaryProjection.FillMissingAsync(store, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
