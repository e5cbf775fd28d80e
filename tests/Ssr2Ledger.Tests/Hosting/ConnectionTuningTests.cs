using Npgsql;
using Ssr2Ledger.Database;

namespace Ssr2Ledger.Tests.Hosting;

/// <summary>The ledger's connections skip the pool's reset and prepare repeated statements, unless the connection string says otherwise.</summary>
public sealed class ConnectionTuningTests
{
    [Fact]
    public void a_plain_connection_string_is_tuned_for_short_repeated_statements()
    {
        var tuned = new NpgsqlConnectionStringBuilder(LedgerDatabase.Tuned("Host=127.0.0.1;Port=5432;Username=ledger;Database=ledger"));
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(64, tuned.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=h;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=h;NoResetOnClose=false;maxautoprepare=0")]
    public void settings_given_in_the_connection_string_win(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(LedgerDatabase.Tuned(connectionString));
        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(0, tuned.MaxAutoPrepare);
    }
}
