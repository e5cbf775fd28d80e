using Marten;
using Marten.Services;
using Npgsql;

namespace Ssr2Ledger.Hosting;

/// <summary>
/// Marten's log as a person reading the console wants it: one Information line when the schema changes, the SQL
/// itself at Debug (<c>Logging__LogLevel__Marten=Debug</c>), failures at Error.
/// </summary>
public sealed class MartenLog(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql)
    {
        logger.LogInformation("Brought the ledger's database schema up to date (the SQL is logged at Debug)");
        logger.LogDebug("Executed schema update SQL:\n{Sql}", sql);
    }

    public void LogSuccess(NpgsqlCommand command) => logger.LogDebug("{Sql}", command.CommandText);

    public void LogSuccess(NpgsqlBatch batch) => logger.LogDebug("{Sql}", Text(batch));

    public void LogFailure(NpgsqlCommand command, Exception ex) =>
        logger.LogError(ex, "Marten command failed: {Sql}", command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => logger.LogError(ex, "Marten batch failed: {Sql}", Text(batch));

    public void LogFailure(Exception ex, string message) => logger.LogError(ex, "{Message}", message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private static string Text(NpgsqlBatch batch) =>
        string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText));
}
