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

    /// <summary>
    /// The registry members' token, sent as <c>authorization: Bearer &lt;token&gt;</c> on every call
    /// (read it with <see cref="RegistryToken.ReadFile"/>); none when null. It is request metadata,
    /// not <c>CallCredentials</c>, so it is sent on plaintext connections too: serve the registry
    /// with TLS where the network between its members is not trusted.
    /// </summary>
    public string? Token { get; set; }

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
        if (Token is not null && (Token.Length == 0 || Token.Length > RegistryToken.MaxLength || Token.Any(c => c is <= ' ' or > '~')))
        {
            throw new ArgumentException($"EmbeddedRegistryClientOptions: Token must be 1-{RegistryToken.MaxLength} printable ASCII characters without spaces.");
        }
    }
}
