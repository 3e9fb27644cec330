using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Client.Discovery.Embedded;

/// <summary>
/// The client of the embedded registry, over any <see cref="CallInvoker"/> (Shoal's native
/// transport or a gRPC channel). As a registry it keeps each lease alive every third of its TTL
/// and registers again when the registry no longer knows the lease (it restarted). As a resolver
/// it takes a full set and then deltas from the registry (watch protocol 2; an older registry sends
/// full sets), hands out a full set on every change, reconnects with backoff, and keeps serving
/// the last set (marked stale) while the registry is down.
/// </summary>
public sealed partial class EmbeddedRegistryClient : IServiceRegistry, IServiceResolver
{
    internal const string Kind = "embedded";

    private readonly RegistryService.RegistryServiceClient _client;
    private readonly EmbeddedRegistryClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly RemoteRegistryCore _core;

    /// <summary>Creates a client that calls the registry through <paramref name="invoker"/>.</summary>
    public EmbeddedRegistryClient(CallInvoker invoker, EmbeddedRegistryClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        _options = options ?? new EmbeddedRegistryClientOptions();
        _options.Validate();
        _client = new RegistryService.RegistryServiceClient(_options.Token is { } token ? WithToken(invoker, token) : invoker);
        _time = _options.TimeProvider ?? TimeProvider.System;
        _random = _options.Random ?? new Random();
        _logger = _options.LoggerFactory?.CreateLogger<EmbeddedRegistryClient>() ?? (ILogger)NullLogger.Instance;
        _core = new RemoteRegistryCore(this, Kind, _time, _logger);
    }

    /// <summary>
    /// Registers <paramref name="instance"/>. When the registry cannot be reached the registration
    /// is still returned (with <see cref="IRegistration.IsLeaseHeld"/> false) and keeps trying in
    /// the background, so a server may start before its registry. A request the registry rejects
    /// (<see cref="StatusCode.InvalidArgument"/>) or a credential it refuses
    /// (<see cref="StatusCode.Unauthenticated"/>, <see cref="StatusCode.PermissionDenied"/>) throws.
    /// An instance id still held by a live lease (<see cref="StatusCode.AlreadyExists"/>: the
    /// previous run of this instance, until its lease expires) is retried in the background.
    /// </summary>
    public async Task<IRegistration> RegisterAsync(ServiceInstance instance, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        InstanceValidation.Validate(instance);
        InstanceValidation.ValidateTtl(ttl);
        return await _core.RegisterAsync(new EmbeddedRegistration(this, instance, ttl), static ex => ex.StatusCode is StatusCode.InvalidArgument or StatusCode.Unauthenticated or StatusCode.PermissionDenied, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        // One state and one backoff per enumeration: they live as long as this watch.
        var state = new WatchState(service);
        var sets = _core.WatchAsync(service, NewBackoff(), (sink, ct) => StreamAsync(service, state, sink, ct), cancellationToken, IsRefusal);
        await foreach (var set in sets.ConfigureAwait(false))
        {
            yield return set;
        }
    }

    /// <summary>Stops every watch and deregisters every registration still alive.</summary>
    public async ValueTask DisposeAsync() => await _core.DisposeAsync().ConfigureAwait(false);

    internal RegistryService.RegistryServiceClient Client => _client;

    internal TimeProvider Time => _time;

    internal ILogger Logger => _logger;

    internal void Forget(EmbeddedRegistration registration) => _core.Forget(registration);

    // Deadlines are for the transport, so they are on the real clock, not the injected one.
    internal CallOptions Call(CancellationToken cancellationToken, TimeSpan? timeout = null)
        => new(deadline: DateTime.UtcNow + (timeout is { } t && t < _options.CallTimeout ? t : _options.CallTimeout), cancellationToken: cancellationToken);

    // Credentials the registry refuses will not become right by retrying.
    private static bool IsRefusal(Exception ex) => ex is RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied };

    private static CallInvoker WithToken(CallInvoker invoker, string token)
    {
        var value = "Bearer " + token;
        return invoker.Intercept(metadata =>
        {
            metadata.Add("authorization", value);
            return metadata;
        });
    }

    internal Backoff NewBackoff(TimeSpan? max = null)
    {
        var cap = max is { } m && m < _options.MaxReconnectDelay ? m : _options.MaxReconnectDelay;
        return new Backoff(_options.ReconnectDelay, cap < _options.ReconnectDelay ? _options.ReconnectDelay : cap, _random);
    }
}
