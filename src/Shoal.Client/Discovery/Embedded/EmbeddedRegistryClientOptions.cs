using Microsoft.Extensions.Logging;

namespace Shoal.Client.Discovery.Embedded;

/// <summary>Timings and injected services of an <see cref="EmbeddedRegistryClient"/>.</summary>
public sealed class EmbeddedRegistryClientOptions
{
    /// <summary>The deadline of each unary call to the registry. Default 5 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first delay before reconnecting a broken watch or retrying a failed keepalive. Default 100 ms.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between reconnect attempts (the delay doubles up to it, with jitter). Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for keepalive intervals and backoff; system time when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The jitter source for backoff; a new <see cref="Random"/> when null.</summary>
    public Random? Random { get; set; }

    /// <summary>Where log lines go; nowhere when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        if (CallTimeout <= TimeSpan.Zero || ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
        {
            throw new ArgumentException("EmbeddedRegistryClientOptions: need CallTimeout > 0 and 0 < ReconnectDelay <= MaxReconnectDelay.");
        }
    }
}
