using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

/// <summary>Turns away a connection past the server's limit: one GoAway TooManyConnections, then close.</summary>
internal static class ConnectionRefusal
{
    /// <summary>How long the refused peer gets to read the go-away and close its side.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    public static async Task RefuseAsync(ConnectionContext connection, NativeServerOptions options, ILogger logger)
    {
        logger.ConnectionRefused(connection.ConnectionId, connection.RemoteEndPoint?.ToString() ?? "unknown", options.MaxConnections);
        var output = new OutputBuffer();
        try
        {
            var start = output.BeginFrame(FrameType.GoAway, FrameFlags.None, 0);
            output.WriteUInt32(0);
            output.WriteUInt32((uint)GoAwayCode.TooManyConnections);
            output.WriteString($"The server already has {options.MaxConnections} native connections; try again later or another instance.");
            output.EndFrame(start);
            await connection.Transport.Output.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            // Read (and drop) what the peer sent until it closes, briefly: closing a socket with unread
            // input resets it, and the reset could reach the peer before the go-away does.
            using var linger = new CancellationTokenSource(Linger, options.TimeProvider);
            while (true)
            {
                var result = await connection.Transport.Input.ReadAsync(linger.Token).ConfigureAwait(false);
                connection.Transport.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            // The peer left, or lingered too long: either way the connection ends here.
        }
        finally
        {
            output.Release();
            await connection.Transport.Input.CompleteAsync().ConfigureAwait(false);
        }
    }
}
