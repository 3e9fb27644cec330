using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.Embedded.Protocol;
using Shoal.Client.Discovery.InMemory;
using Shoal.Client.Discovery.Internal;
using Shoal.Discovery;
using Shoal.Instances;
using Shoal.Server.Registry.Internal;

namespace Shoal.Server.Registry;

/// <summary>
/// The embedded registry server (<c>shoal.registry.v1.RegistryService</c>): leases in a
/// <see cref="RegistryStore"/> and a watch stream of versioned instance sets: full sets, or a full
/// set and then deltas for a client that asks for them. Bind it like any Shoal or grpc-dotnet
/// service (<c>RegistryService.BindService</c>, or
/// <c>MapGrpcService&lt;EmbeddedRegistryService&gt;</c> after
/// <see cref="RegistryServiceCollectionExtensions.AddShoalEmbeddedRegistry"/>). Bad requests fail
/// with <see cref="StatusCode.InvalidArgument"/> and a message; they never reach the store.
/// With <see cref="EmbeddedRegistryOptions.TokenFile"/> every call must carry the members' token
/// (else <see cref="StatusCode.Unauthenticated"/>); an instance id held by another live lease is
/// refused (<see cref="StatusCode.AlreadyExists"/>); each client connection holds at most
/// <see cref="EmbeddedRegistryOptions.MaxLeasesPerConnection"/> leases and
/// <see cref="EmbeddedRegistryOptions.MaxWatchesPerConnection"/> watches
/// (<see cref="StatusCode.ResourceExhausted"/>).
/// </summary>
public sealed partial class EmbeddedRegistryService : RegistryService.RegistryServiceBase
{
    private readonly RegistryStore _store;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<ServiceInstance, Instance> _messages = [];
    private readonly ConditionalWeakTable<InstanceSet, InstanceSetMessage> _setMessages = [];
    private int _watches;

    /// <summary>
    /// Creates the service over <paramref name="store"/> (shared by every call; register both as
    /// singletons). Without <paramref name="options"/> it takes no token and the default caps.
    /// </summary>
    public EmbeddedRegistryService(RegistryStore store, ILogger<EmbeddedRegistryService>? logger = null, IOptions<EmbeddedRegistryOptions>? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var settings = options?.Value ?? new EmbeddedRegistryOptions();
        _access = RegistryAccess.FromOptions(settings);
        _limits = new RegistryConnectionLimits(_store, settings);
    }

    /// <summary>The watch streams open right now.</summary>
    internal int ActiveWatches => Volatile.Read(ref _watches);

    /// <inheritdoc/>
    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        Authenticate(context, "Register");
        if (request.Instance is null)
        {
            throw Reject(context, "Register", "the request has no instance.");
        }
        if (request.TtlMs <= 0)
        {
            throw Reject(context, "Register", $"ttl_ms must be positive (was {request.TtlMs}).");
        }
        try
        {
            var instance = InstanceMessages.FromMessage(request.Instance);
            var ttl = TimeSpan.FromMilliseconds(Math.Min(request.TtlMs, (long)TimeSpan.MaxValue.TotalMilliseconds / 2));
            if (!_limits.TryRegister(PeerOf(context), () => _store.Register(instance, ttl), out var granted))
            {
                throw Refuse(context, "Register", StatusCode.ResourceExhausted, "this connection holds its maximum number of leases.");
            }
            return Task.FromResult(new RegisterResponse { LeaseId = granted.LeaseId, TtlMs = (long)granted.Ttl.TotalMilliseconds });
        }
        catch (InstanceIdInUseException ex)
        {
            throw Refuse(context, "Register", StatusCode.AlreadyExists, ex.Message);
        }
        catch (ObjectDisposedException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The registry is shutting down."));
        }
        catch (ArgumentException ex)
        {
            throw Reject(context, "Register", ex.Message);
        }
    }

    /// <inheritdoc/>
    public override Task<KeepAliveResponse> KeepAlive(KeepAliveRequest request, ServerCallContext context)
    {
        Authenticate(context, "KeepAlive");
        var ttl = _store.KeepAlive(request.LeaseId);
        return Task.FromResult(new KeepAliveResponse { Found = ttl is not null, TtlMs = (long)(ttl?.TotalMilliseconds ?? 0) });
    }

    /// <inheritdoc/>
    public override Task<DeregisterResponse> Deregister(DeregisterRequest request, ServerCallContext context)
    {
        Authenticate(context, "Deregister");
        return Task.FromResult(new DeregisterResponse { Found = _store.Deregister(request.LeaseId) });
    }

    /// <inheritdoc/>
    public override Task<InstanceSetMessage> List(ListRequest request, ServerCallContext context)
    {
        Authenticate(context, "List");
        if (string.IsNullOrWhiteSpace(request.Service))
        {
            throw Reject(context, "List", "the request names no service.");
        }
        return Task.FromResult(ToMessage(_store.Snapshot(request.Service), _store.IsRecovering));
    }

    /// <inheritdoc/>
    public override Task<ListLeasesResponse> ListLeases(ListLeasesRequest request, ServerCallContext context)
    {
        Authenticate(context, "ListLeases");
        var response = new ListLeasesResponse();
        foreach (var (instance, ttl, remaining) in _store.Leases(request.Service))
        {
            response.Leases.Add(new LeaseMessage
            {
                Instance = _messages.GetValue(instance, InstanceMessages.ToMessage),
                TtlMs = (long)ttl.TotalMilliseconds,
                RemainingMs = (long)remaining.TotalMilliseconds,
            });
        }
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public override async Task Watch(WatchRequest request, IServerStreamWriter<InstanceSetMessage> responseStream, ServerCallContext context)
    {
        Authenticate(context, "Watch");
        if (string.IsNullOrWhiteSpace(request.Service))
        {
            throw Reject(context, "Watch", "the request names no service.");
        }
        var peer = PeerOf(context);
        if (!_limits.TryOpenWatch(peer))
        {
            throw Refuse(context, "Watch", StatusCode.ResourceExhausted, "this connection holds its maximum number of watches.");
        }

        Interlocked.Increment(ref _watches);
        try
        {
            // The overload of WriteAsync without a token: not every transport's writer supports
            // cancelling a write, and the call's token already ends the wait between changes.
            if (request.Deltas)
            {
                await foreach (var change in _store.WatchChangesAsync(request.Service, context.CancellationToken).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(ToMessage(request.Service, change)).ConfigureAwait(false);
                }
            }
            else
            {
                await foreach (var set in _store.WatchAsync(request.Service, context.CancellationToken).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(ToMessage(set, _store.IsRecovering)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the stream just ends.
        }
        catch (ObjectDisposedException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The registry is shutting down."));
        }
        finally
        {
            Interlocked.Decrement(ref _watches);
            _limits.CloseWatch(peer);
        }
    }

    private InstanceSetMessage ToMessage(string service, InstanceSetChange change)
    {
        if (change.Full is { } full)
        {
            return ToMessage(full, change.Recovering);
        }
        // A delta is small and meant for one watcher: built for it, not cached.
        var message = new InstanceSetMessage
        {
            Service = service,
            Version = change.Version,
            RegistryId = _store.Id,
            Recovering = change.Recovering,
            Delta = true,
            BaseVersion = change.BaseVersion,
        };
        foreach (var instance in change.Upserted)
        {
            message.Instances.Add(InstanceMessages.ToMessage(instance));
        }
        message.RemovedIds.AddRange(change.Removed);
        return message;
    }

    private InstanceSetMessage ToMessage(InstanceSet set, bool recovering)
    {
        // Every watcher of a service shares one message per version; it is built once.
        var message = _setMessages.GetValue(set, s =>
        {
            var m = new InstanceSetMessage { Service = s.Service, Version = s.Version, RegistryId = _store.Id };
            foreach (var instance in s.Instances)
            {
                m.Instances.Add(_messages.GetValue(instance, InstanceMessages.ToMessage));
            }
            return m;
        });
        if (!recovering)
        {
            return message;
        }
        var copy = message.Clone();
        copy.Recovering = true;
        return copy;
    }

    private RpcException Reject(ServerCallContext context, string method, string reason)
        => Refuse(context, method, StatusCode.InvalidArgument, reason);
}
