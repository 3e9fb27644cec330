using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client.Native;
using Shoal.Server.Native.Internal;

namespace Shoal.Server.Native;

/// <summary>The native protocol's server: one instance serves every connection of a Kestrel endpoint.</summary>
/// <remarks>
/// It counts its connections: past <see cref="NativeServerOptions.MaxConnections"/> a new one gets
/// GoAway TooManyConnections and is closed before anything else is read from it. Every connection
/// assembles large frames within one <see cref="NativeFrameBudget"/>: the one in DI (a Shoal host
/// registers one for all its endpoints) or, without one, a budget of this handler's own.
/// </remarks>
public sealed class NativeConnectionHandler : ConnectionHandler
{
    private readonly NativeServiceTable _services;
    private readonly NativeServerOptions _options;
    private readonly NativeFrameBudget _budget;
    private readonly ILogger _logger;
    private int _connections;

    /// <summary>Created by Kestrel through DI.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="NativeServerOptionsValidator"/>).</exception>
    public NativeConnectionHandler(NativeServiceTable services, IOptions<NativeServerOptions> options, ILoggerFactory loggerFactory, NativeFrameBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var failures = NativeServerOptionsValidator.Failures(options.Value);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid native server options: " + string.Join(" ", failures), nameof(options));
        }
        _services = services;
        _options = options.Value;
        _budget = budget ?? new NativeFrameBudget(_options.FrameAssemblyBudget);
        _logger = loggerFactory.CreateLogger<NativeConnectionHandler>();
    }

    /// <summary>The native connections open right now.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>The budget this handler's connections assemble large frames within.</summary>
    public NativeFrameBudget FrameBudget => _budget;

    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Interlocked.Increment(ref _connections) > _options.MaxConnections)
        {
            try
            {
                await ConnectionRefusal.RefuseAsync(connection, _options, _logger).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _connections);
            }
            return;
        }
        try
        {
            var server = new ServerConnection(connection, _services.Freeze(), _options, _logger, _budget);
            await server.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }
}
