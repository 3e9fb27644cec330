using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Targets;

namespace Shoal.Client.Discovery.Static;

/// <summary>
/// A fixed list of instances (<c>static://h1:p1,h2:p2</c>): the set is yielded once, at version 1,
/// and never changes. Each entry serves whatever service is asked for, over one transport
/// (<c>?transport=grpc</c> for <c>http://</c> addresses; native <c>shoal://</c> by default).
/// </summary>
public sealed class StaticServiceResolver : IServiceResolver
{
    private readonly ImmutableArray<(string Host, int Port)> _endpoints;
    private readonly TransportKind _transport;

    /// <summary>Creates a resolver for <paramref name="hostPorts"/> (<c>host:port</c> each).</summary>
    public StaticServiceResolver(IEnumerable<string> hostPorts, TransportKind transport = TransportKind.Native)
    {
        ArgumentNullException.ThrowIfNull(hostPorts);
        var endpoints = ImmutableArray.CreateBuilder<(string, int)>();
        foreach (var entry in hostPorts)
        {
            if (!ShoalTarget.TrySplitHostPort(entry, out var host, out var port))
            {
                throw new FormatException($"'{entry}' is not host:port with a port from 1 to 65535.");
            }
            endpoints.Add((host, port));
        }
        if (endpoints.Count == 0)
        {
            throw new FormatException("A static list needs at least one host:port.");
        }
        _endpoints = endpoints.ToImmutable();
        _transport = transport;
    }

    /// <summary>The resolver for a <c>static://</c> target.</summary>
    public static StaticServiceResolver FromTarget(ShoalTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Scheme != "static")
        {
            throw new FormatException($"'{target}' is not a static:// target.");
        }
        return new StaticServiceResolver(target.Hosts, Addresses.ParseTransport(target.Query));
    }

    /// <summary>The set this resolver always yields for <paramref name="service"/>.</summary>
    public InstanceSet SetFor(string service)
    {
        var instances = _endpoints.Select(e => new ServiceInstance
        {
            Services = [service],
            InstanceId = $"{e.Host}:{e.Port}",
            Addresses = ImmutableDictionary<TransportKind, Uri>.Empty.Add(_transport, Addresses.For(_transport, e.Host, e.Port)),
            // Listed by hand, so long running: no warm-up ramp.
            StartTime = DateTimeOffset.UnixEpoch,
        });
        return new InstanceSet(service, 1, [.. instances]);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        yield return SetFor(service);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
