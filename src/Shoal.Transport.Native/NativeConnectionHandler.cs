using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Transport.Native.Internal.Server;

namespace Shoal.Transport.Native;

/// <summary>The native protocol's server: one instance serves every connection of a Kestrel endpoint.</summary>
public sealed class NativeConnectionHandler : ConnectionHandler
{
    private readonly NativeServiceTable _services;
    private readonly NativeServerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Created by Kestrel through DI.</summary>
    public NativeConnectionHandler(NativeServiceTable services, IOptions<NativeServerOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _services = services;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<NativeConnectionHandler>();
    }

    /// <inheritdoc/>
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var server = new ServerConnection(connection, _services.Freeze(), _options, _logger);
        return server.RunAsync();
    }
}
