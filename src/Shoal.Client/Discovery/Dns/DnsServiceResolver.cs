using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Targets;

namespace Shoal.Client.Discovery.Dns;

/// <summary>
/// Resolves <c>dns:///name:port</c> to one instance per A/AAAA address, or with
/// <c>?record=srv</c> to one instance per address of each SRV target (port and weight from the
/// record, lowest priority only) — how a Kubernetes headless Service is found. The name is
/// resolved again every <see cref="DnsResolverOptions.RefreshInterval"/>; a new set is yielded
/// only when the answer changes. When resolution fails the last set is yielded again marked stale
/// and resolution is retried every <see cref="DnsResolverOptions.RetryInterval"/>.
/// </summary>
public sealed class DnsServiceResolver : IServiceResolver
{
    private readonly string _host;
    private readonly int _port;
    private readonly bool _srv;
    private readonly TransportKind _transport;
    private readonly DnsResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Func<string, CancellationToken, Task<IReadOnlyList<SrvRecord>>> _resolveSrv;
    private readonly ILogger _logger;

    /// <summary>Creates a resolver for <paramref name="host"/>: its A/AAAA records with <paramref name="port"/>, or its SRV records when <paramref name="srv"/>.</summary>
    public DnsServiceResolver(string host, int port, DnsResolverOptions? options = null, TransportKind? transport = null, bool srv = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _host = host;
        _port = port;
        _srv = srv;
        _options = options ?? new DnsResolverOptions();
        _options.Validate();
        _transport = transport ?? _options.Transport;
        _time = _options.TimeProvider ?? TimeProvider.System;
        _resolve = _options.Resolve ?? System.Net.Dns.GetHostAddressesAsync;
        _resolveSrv = _options.ResolveSrv ?? QuerySrvAsync;
        _logger = _options.LoggerFactory?.CreateLogger<DnsServiceResolver>() ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// The resolver for <c>dns:///name:port</c>, <c>dns://server:53/name:port</c> (the server is
    /// used for SRV lookups) and <c>?record=srv</c> (the port is then a placeholder: records carry their own).
    /// </summary>
    public static DnsServiceResolver FromTarget(ShoalTarget target, DnsResolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Scheme != "dns" || !ShoalTarget.TrySplitHostPort(target.Path, out var host, out var port))
        {
            throw new FormatException($"'{target}' is not a dns:///name:port target.");
        }
        var srv = target.Query.TryGetValue("record", out var record) && record.Length > 0
            ? record.ToLowerInvariant() switch
            {
                "srv" => true,
                "a" or "aaaa" => false,
                _ => throw new FormatException($"Unknown DNS record type '{record}'; expected a (A/AAAA) or srv."),
            }
            : false;
        if (target.Authority.Length > 0)
        {
            if (!ShoalTarget.TrySplitHostPort(target.Authority, out var serverHost, out var serverPort) || !IPAddress.TryParse(serverHost, out var serverAddress))
            {
                throw new FormatException($"The DNS server '{target.Authority}' in '{target}' is not ip:port.");
            }
            var copy = options is null ? new DnsResolverOptions() : Clone(options);
            copy.NameServer = new IPEndPoint(serverAddress, serverPort);
            options = copy;
        }
        return new DnsServiceResolver(host, port, options, Addresses.ParseTransport(target.Query), srv);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        InstanceSet? last = null;
        var lastEndpoints = ImmutableArray<Endpoint>.Empty;
        var stale = false;
        while (true)
        {
            var (endpoints, error) = await TryResolveAsync(cancellationToken).ConfigureAwait(false);
            TimeSpan delay;
            if (error is null)
            {
                delay = _options.RefreshInterval;
                if (last is null || !endpoints.SequenceEqual(lastEndpoints))
                {
                    lastEndpoints = endpoints;
                    last = Build(service, (last?.Version ?? 0) + 1, endpoints);
                    stale = false;
                    yield return last;
                }
                else if (stale)
                {
                    stale = false;
                    yield return last;
                }
            }
            else
            {
                delay = _options.RetryInterval;
                if (!stale)
                {
                    stale = true;
                    RegistryLog.DnsResolveFailed(_logger, _host, error);
                    RegistryMetrics.WatchFailures.Add(1, RegistryMetrics.Kind("dns"));
                    yield return (last ?? InstanceSet.Empty(service)) with { IsStale = true };
                }
            }
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(ImmutableArray<Endpoint> Endpoints, Exception? Error)> TryResolveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var found = _srv ? await ResolveSrvEndpointsAsync(cancellationToken).ConfigureAwait(false) : await ResolveAddressesAsync(cancellationToken).ConfigureAwait(false);
            // Order does not matter to DNS; sort so an unchanged answer compares equal.
            var sorted = found.Distinct().OrderBy(e => e.Address.ToString(), StringComparer.Ordinal).ThenBy(e => e.Port).ToImmutableArray();
            return sorted.IsEmpty
                ? (sorted, new InvalidOperationException($"'{_host}' resolved to no address."))
                : (sorted, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (ImmutableArray<Endpoint>.Empty, ex);
        }
    }

    private async Task<IEnumerable<Endpoint>> ResolveAddressesAsync(CancellationToken cancellationToken)
        => (await _resolve(_host, cancellationToken).ConfigureAwait(false)).Select(a => new Endpoint(a, _port, 100));

    private async Task<IEnumerable<Endpoint>> ResolveSrvEndpointsAsync(CancellationToken cancellationToken)
    {
        var records = await _resolveSrv(_host, cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            return [];
        }
        // Higher priorities are backups: only the best one present is used.
        var best = records.Min(r => r.Priority);
        var chosen = records.Where(r => r.Priority == best).ToList();
        var allZero = chosen.All(r => r.Weight == 0);
        var endpoints = new List<Endpoint>();
        foreach (var record in chosen)
        {
            var addresses = record.Addresses.IsDefaultOrEmpty
                ? await _resolve(record.Target, cancellationToken).ConfigureAwait(false)
                : record.Addresses.AsEnumerable();
            var weight = allZero ? 100 : Math.Max(1, record.Weight);
            endpoints.AddRange(addresses.Select(a => new Endpoint(a, record.Port, weight)));
        }
        return endpoints;
    }

    private Task<IReadOnlyList<SrvRecord>> QuerySrvAsync(string name, CancellationToken cancellationToken)
    {
        var server = _options.NameServer ?? DnsSrvClient.SystemNameServer()
            ?? throw new InvalidOperationException("No DNS server for SRV lookups: set DnsResolverOptions.NameServer or name one in the target (dns://ip:53/name:port).");
        return DnsSrvClient.QueryAsync(server, name, _options.QueryTimeout, cancellationToken);
    }

    private InstanceSet Build(string service, long version, ImmutableArray<Endpoint> endpoints)
    {
        var instances = endpoints.Select(e => new ServiceInstance
        {
            Services = [service],
            InstanceId = $"{e.Address}:{e.Port}",
            Addresses = ImmutableDictionary<TransportKind, Uri>.Empty.Add(_transport, Addresses.For(_transport, e.Address.ToString(), e.Port)),
            Weight = e.Weight,
            StartTime = DateTimeOffset.UnixEpoch,
        });
        return new InstanceSet(service, version, [.. instances]);
    }

    private static DnsResolverOptions Clone(DnsResolverOptions o) => new()
    {
        RefreshInterval = o.RefreshInterval,
        RetryInterval = o.RetryInterval,
        Transport = o.Transport,
        TimeProvider = o.TimeProvider,
        Resolve = o.Resolve,
        ResolveSrv = o.ResolveSrv,
        NameServer = o.NameServer,
        QueryTimeout = o.QueryTimeout,
        LoggerFactory = o.LoggerFactory,
    };

    private readonly record struct Endpoint(IPAddress Address, int Port, int Weight);
}
