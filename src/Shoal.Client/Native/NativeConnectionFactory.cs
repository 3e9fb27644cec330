using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Connections;

namespace Shoal.Client.Native;

/// <summary>Dials <c>shoal://host:port</c> addresses.</summary>
public sealed class NativeConnectionFactory : IConnectionFactory
{
    private readonly NativeClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates a factory whose connections use <paramref name="options"/> (defaults when null).</summary>
    public NativeConnectionFactory(NativeClientOptions? options = null)
        : this(options, null)
    {
    }

    /// <summary>Creates a factory whose connections use <paramref name="options"/> and log through <paramref name="loggerFactory"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="NativeClientOptionsValidator"/>).</exception>
    public NativeConnectionFactory(NativeClientOptions? options, ILoggerFactory? loggerFactory)
    {
        _options = options ?? new NativeClientOptions();
        var failures = NativeClientOptionsValidator.Failures(_options);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid native client options: " + string.Join(" ", failures), nameof(options));
        }
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc/>
    public bool Supports(string scheme) => scheme == "shoal";

    /// <inheritdoc/>
    public IConnection Create(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Supports(address.Scheme))
        {
            throw new ArgumentException($"The native transport dials shoal://host:port addresses, not '{address}'.", nameof(address));
        }
        if (address.Port <= 0)
        {
            throw new ArgumentException($"The address '{address}' names no port.", nameof(address));
        }
        return new NativeClientConnection(address, _options, _loggerFactory.CreateLogger<NativeClientConnection>());
    }
}
