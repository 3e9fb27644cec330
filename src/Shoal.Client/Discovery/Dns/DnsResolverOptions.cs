using System.Net;
using Microsoft.Extensions.Logging;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Dns;

/// <summary>Timings and injected services of a <see cref="DnsServiceResolver"/>.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>How often the name is resolved again. Default 30 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a failed resolution is retried. Default 5 s.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The transport of the addresses built (a target's <c>?transport=</c> overrides it). Default native.</summary>
    public TransportKind Transport { get; set; } = TransportKind.Native;

    /// <summary>The clock for re-resolution; system time when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Resolves a host name to its A and AAAA addresses; <see cref="System.Net.Dns.GetHostAddressesAsync(string, CancellationToken)"/> when null.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>>? Resolve { get; set; }

    /// <summary>
    /// Looks up SRV records for a name (targets with <c>?record=srv</c>); a one-query UDP DNS
    /// client asking <see cref="NameServer"/> when null.
    /// </summary>
    public Func<string, CancellationToken, Task<IReadOnlyList<SrvRecord>>>? ResolveSrv { get; set; }

    /// <summary>The DNS server for SRV lookups; the target's authority, else the first nameserver in /etc/resolv.conf, when null.</summary>
    public IPEndPoint? NameServer { get; set; }

    /// <summary>How long an SRV query waits for its answer. Default 2 s.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where log lines go; nowhere when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        if (RefreshInterval <= TimeSpan.Zero || RetryInterval <= TimeSpan.Zero || QueryTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("DnsResolverOptions: RefreshInterval, RetryInterval and QueryTimeout must be positive.");
        }
    }
}
