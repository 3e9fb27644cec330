using Microsoft.Extensions.Logging;
using Shoal.Client;

namespace Shoal.Registry.Etcd;

/// <summary>Where etcd is and how the etcd registry behaves.</summary>
public sealed class EtcdRegistryOptions
{
    /// <summary>The default key prefix: instances live at <c>/shoal/services/{service}/{instanceId}</c>.</summary>
    public const string DefaultPrefix = "/shoal/services/";

    /// <summary>The client URLs of the etcd members, such as <c>http://127.0.0.1:2379</c>. At least one.</summary>
    public IList<Uri> Endpoints { get; set; } = [];

    /// <summary>The key prefix; must start and end with <c>/</c>. Default <see cref="DefaultPrefix"/>.</summary>
    public string Prefix { get; set; } = DefaultPrefix;

    /// <summary>
    /// TLS towards <c>https://</c> endpoints: <c>CaPath</c> (etcd's <c>--trusted-ca-file</c> issuer;
    /// the server is checked against it only, host name included) and, for an etcd started with
    /// <c>--client-cert-auth</c>, <c>CertificatePath</c>/<c>KeyPath</c>. Not configured: the
    /// machine's trust store for <c>https://</c>.
    /// </summary>
    public ShoalClientTlsOptions Tls { get; set; } = new();

    /// <summary>An etcd user (with <c>auth enable</c>): every call carries a token from <c>Authenticate</c>. None when null.</summary>
    public string? Username { get; set; }

    /// <summary>The password of <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The deadline of each unary call to etcd. Default 5 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first delay before reconnecting a broken watch or retrying a failed keepalive. Default 100 ms.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between reconnect attempts. Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for keepalive intervals and backoff; system time when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The jitter source for backoff; a new <see cref="Random"/> when null.</summary>
    public Random? Random { get; set; }

    /// <summary>Where log lines go; nowhere when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (Endpoints is null || Endpoints.Count == 0)
        {
            throw new ArgumentException("EtcdRegistryOptions: name at least one endpoint, such as http://127.0.0.1:2379.");
        }
        foreach (var endpoint in Endpoints)
        {
            if (endpoint is null || !endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"EtcdRegistryOptions: endpoint '{endpoint}' is not an absolute http:// or https:// URL.");
            }
        }
        if (string.IsNullOrEmpty(Prefix) || !Prefix.StartsWith('/') || !Prefix.EndsWith('/'))
        {
            throw new ArgumentException($"EtcdRegistryOptions: the prefix '{Prefix}' must start and end with '/'.");
        }
        if (Tls is { IsConfigured: true } && Endpoints.Any(e => e.Scheme != "https"))
        {
            throw new ArgumentException("EtcdRegistryOptions: Tls is set, so every endpoint must be https://.");
        }
        if ((Username is null) != (Password is null) || Username is "")
        {
            throw new ArgumentException("EtcdRegistryOptions: Username and Password go together.");
        }
        if (CallTimeout <= TimeSpan.Zero || ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
        {
            throw new ArgumentException("EtcdRegistryOptions: need CallTimeout > 0 and 0 < ReconnectDelay <= MaxReconnectDelay.");
        }
    }
}
