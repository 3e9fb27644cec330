using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shoal.Transport.Native;

/// <summary>The native protocol's server: one instance serves every connection of a Kestrel endpoint.</summary>
public sealed class NativeConnectionHandler : ConnectionHandler
{
    /// <summary>Created by Kestrel through DI.</summary>
    public NativeConnectionHandler(NativeServiceTable services, IOptions<NativeServerOptions> options, ILoggerFactory loggerFactory)
        => throw new NotImplementedException();

    /// <inheritdoc/>
    public override Task OnConnectedAsync(ConnectionContext connection) => throw new NotImplementedException();
}
