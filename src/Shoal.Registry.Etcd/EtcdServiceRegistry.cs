using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Registry.Etcd.Internal;
using Shoal.Targets;

namespace Shoal.Registry.Etcd;

/// <summary>
/// A registry and resolver on etcd. An instance is a key
/// <c>{prefix}{service}/{instanceId}</c> per service it serves, holding the instance as JSON,
/// attached to one lease per registration that is kept alive every third of its TTL and granted
/// again (keys put again) when etcd says it is gone. A watcher lists the prefix at revision R,
/// watches from R+1, and after a broken stream resumes from the last revision it saw, on the next
/// member; only when that revision was compacted does it list again.
/// </summary>
public sealed partial class EtcdServiceRegistry : IServiceRegistry, IServiceResolver
{
    internal const string Kind = "etcd";

    private readonly EtcdRegistryOptions _options;
    private readonly EtcdConnection _connection;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly RemoteRegistryCore _core;

    /// <summary>Creates a registry on the etcd cluster that <paramref name="options"/> names.</summary>
    public EtcdServiceRegistry(EtcdRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _connection = new EtcdConnection(options);
        _time = options.TimeProvider ?? TimeProvider.System;
        _random = options.Random ?? new Random();
        _logger = options.LoggerFactory?.CreateLogger<EtcdServiceRegistry>() ?? (ILogger)NullLogger.Instance;
        _core = new RemoteRegistryCore(this, Kind, _time, _logger);
    }

    /// <summary>The registry for an <c>etcd://h1:p1,h2:p2/service</c> target (members reached over http, or https once <paramref name="configure"/> sets <see cref="EtcdRegistryOptions.Tls"/>).</summary>
    public static EtcdServiceRegistry FromTarget(ShoalTarget target, Action<EtcdRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Scheme != "etcd" || target.Hosts.IsEmpty)
        {
            throw new FormatException($"'{target}' is not an etcd://host:port/service target.");
        }
        var options = new EtcdRegistryOptions { Endpoints = [.. target.Hosts.Select(h => new Uri($"http://{h}"))] };
        if (target.Query.TryGetValue("prefix", out var prefix) && prefix.Length > 0)
        {
            options.Prefix = prefix;
        }
        configure?.Invoke(options);
        if (options.Tls.IsConfigured)
        {
            options.Endpoints = [.. options.Endpoints.Select(e => e.Scheme == "http" ? new UriBuilder(e) { Scheme = "https", Port = e.Port }.Uri : e)];
        }
        return new EtcdServiceRegistry(options);
    }

    // etcd refused this client's user or permissions (not a token that merely expired: that is fetched again).
    private static bool IsRefusal(RpcException ex)
        => ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied && !EtcdAuthenticator.IsTokenRefused(ex);

    /// <summary>
    /// The registry for a registry address as a server is given it (<c>--registry etcd://h1:p1,h2:p2</c>):
    /// like a target, but the service path is optional because a server registers every service it serves.
    /// </summary>
    public static EtcdServiceRegistry FromAddress(string address, Action<EtcdRegistryOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Trim();
        if (!text.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{address}' is not an etcd:// address.");
        }
        var rest = text["etcd://".Length..];
        var end = rest.IndexOfAny(['/', '?']);
        var suffix = end < 0 ? "" : rest[end..];
        var authority = end < 0 ? rest : rest[..end];
        // Give the parser a placeholder service when the address names none.
        var path = suffix.StartsWith('/') && suffix.Length > 1 && suffix[1] != '?' ? suffix : "/_" + suffix.TrimStart('/');
        return FromTarget(ShoalTarget.Parse($"etcd://{authority}{path}"), configure);
    }

    /// <summary>The key of <paramref name="instanceId"/> under <paramref name="service"/>.</summary>
    public string KeyFor(string service, string instanceId) => $"{_options.Prefix}{service}/{instanceId}";

    /// <summary>
    /// Registers <paramref name="instance"/> under a new lease. When etcd cannot be reached the
    /// registration is still returned (with <see cref="IRegistration.IsLeaseHeld"/> false) and keeps
    /// trying in the background.
    /// </summary>
    public async Task<IRegistration> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        InstanceValidation.Validate(instance);
        InstanceValidation.ValidateTtl(ttl);
        return await _core.RegisterAsync(new EtcdRegistration(this, instance, ttl), static ex => IsRefusal(ex), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        // One state and one backoff per enumeration: they live as long as this watch.
        var prefix = ServicePrefix(service);
        var state = new EtcdWatchState(service, prefix, RangeEnd(prefix));
        var sets = _core.WatchAsync(service, NewBackoff(), (sink, ct) => StreamAsync(state, sink, ct), cancellationToken, static ex => ex is RpcException rpc && IsRefusal(rpc));
        await foreach (var set in sets.ConfigureAwait(false))
        {
            yield return set;
        }
    }

    /// <summary>Stops every watch, revokes every lease still held and closes the channels.</summary>
    public async ValueTask DisposeAsync()
    {
        if (await _core.DisposeAsync().ConfigureAwait(false))
        {
            _connection.Dispose();
        }
    }

    internal EtcdConnection Connection => _connection;

    internal TimeProvider Time => _time;

    internal ILogger Logger => _logger;

    internal void Forget(EtcdRegistration registration) => _core.Forget(registration);

    internal Backoff NewBackoff(TimeSpan? max = null)
    {
        var cap = max is { } m && m < _options.MaxReconnectDelay ? m : _options.MaxReconnectDelay;
        return new Backoff(_options.ReconnectDelay, cap < _options.ReconnectDelay ? _options.ReconnectDelay : cap, _random);
    }

    internal ByteString ServicePrefix(string service) => ByteString.CopyFromUtf8($"{_options.Prefix}{service}/");

    /// <summary>The end of the range of keys that start with <paramref name="prefix"/> (etcd's prefix convention).</summary>
    internal static ByteString RangeEnd(ByteString prefix)
    {
        var bytes = prefix.ToByteArray();
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }
        return ByteString.CopyFrom(0);
    }
}
