using Microsoft.AspNetCore.Connections;

namespace Shoal.Server.Internal;

/// <summary>
/// Counts one endpoint's open connections and closes a new one past <paramref name="max"/> before anything
/// is read from it; the connections already in are served, and once some leave new ones are let in again.
/// </summary>
internal sealed class ConnectionLimit(int max)
{
    private int _open;

    /// <summary>Connection middleware for the endpoint (<c>ListenOptions.Use</c>).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > max)
        {
            Interlocked.Decrement(ref _open);
            connection.Abort(new ConnectionAbortedException($"The endpoint has its {max} connections."));
            return;
        }
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
