using System.Net.Sockets;
using Npgsql;

namespace Ssr2Ledger.Hosting;

/// <summary>Tells an unreachable database (refused, reset, timed out, shutting down) from a real error.</summary>
public static class DatabaseOutage
{
    public static bool Is(Exception error)
    {
        for (var e = (Exception?)error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "08001" or "08004" }:
                    return true;
            }
        }
        return false;
    }
}
