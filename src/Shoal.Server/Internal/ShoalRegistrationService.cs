using System.Collections.Immutable;
using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shoal.Client.Discovery.InMemory;
using Shoal.Discovery;
using Shoal.Instances;

namespace Shoal.Server.Internal;

/// <summary>
/// Registers the host in <see cref="ShoalServerOptions.Registry"/> once it listens, keeps the
/// lease alive (the registry client does), and on a graceful stop deregisters first, then keeps
/// serving for <see cref="ShoalServerOptions.DeregisterDelay"/> so clients see it gone before
/// Kestrel drains the connections (go-away on both transports) and the calls in flight finish.
/// </summary>
/// <remarks>
/// A lifecycle service: <see cref="StartedAsync"/> runs once Kestrel has bound its ports (the
/// addresses are known), and <see cref="StoppingAsync"/> runs before any hosted service stops,
/// Kestrel included, so the delay happens while both transports still take calls.
/// </remarks>
internal sealed class ShoalRegistrationService(
    IServiceProvider services,
    ShoalServiceRegistry serviceRegistry,
    ShoalEndpoints endpoints,
    IOptions<ShoalServerOptions> options,
    ILogger<ShoalRegistrationService> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan DeregisterTimeout = TimeSpan.FromSeconds(3);

    private IServiceRegistry? _registry;
    private IAsyncDisposable? _owned;
    private IRegistration? _registration;

    /// <summary>The live registration, once the host has started with a registry.</summary>
    public IRegistration? Registration => Volatile.Read(ref _registration);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var server = options.Value;
        if (string.IsNullOrWhiteSpace(server.Registry))
        {
            return;
        }
        var instance = BuildInstance(server);
        (_registry, _owned) = RegistryAddress.Create(server.Registry, services, server);
        try
        {
            var registration = await _registry.RegisterAsync(instance, server.RegistrationTtl, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _registration, registration);
            ShoalServerLog.Registered(logger, instance.InstanceId, server.Registry, registration.IsLeaseHeld);
        }
        catch (Exception ex) when (ex is RpcException or ArgumentException)
        {
            throw new InvalidOperationException($"Registering with {server.Registry} failed: {ex.Message}", ex);
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var registration = Interlocked.Exchange(ref _registration, null);
        if (registration is null)
        {
            return;
        }
        var delay = options.Value.DeregisterDelay;
        try
        {
            await registration.DisposeAsync().AsTask().WaitAsync(DeregisterTimeout, cancellationToken).ConfigureAwait(false);
            ShoalServerLog.Deregistered(logger, registration.Instance.InstanceId, delay);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The lease expires by itself; the delay still gives watchers time.
            ShoalServerLog.DeregisterSlow(logger, registration.Instance.InstanceId);
        }
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The shutdown timeout ran out: drain now.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var owned = Interlocked.Exchange(ref _owned, null);
        var registry = Interlocked.Exchange(ref _registry, null);
        if (registry is not null && !ReferenceEquals(registry, services.GetService(typeof(InMemoryServiceRegistry))))
        {
            await registry.DisposeAsync().ConfigureAwait(false);
        }
        if (owned is not null)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ServiceInstance BuildInstance(ShoalServerOptions server)
    {
        var addresses = endpoints.GetAddresses();
        var byTransport = ImmutableDictionary<TransportKind, Uri>.Empty;
        if (addresses.Native is { } native)
        {
            byTransport = byTransport.Add(TransportKind.Native, Advertised(native));
        }
        if (addresses.Grpc is { } grpc)
        {
            byTransport = byTransport.Add(TransportKind.Grpc, Advertised(grpc));
        }
        return new ServiceInstance
        {
            Services = [.. serviceRegistry.Services.Select(s => s.ServiceName)],
            InstanceId = server.InstanceId!,
            Addresses = byTransport,
            Zone = server.Zone ?? "",
            Version = server.Version ?? "",
            Weight = server.Weight,
            StartTime = DateTimeOffset.UtcNow,
            Metadata = (server.Metadata ?? new Dictionary<string, string>()).ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>A host listening on every interface is advertised by its machine name, which peers can dial.</summary>
    private static Uri Advertised(Uri address)
    {
        if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
        {
            return new UriBuilder(address) { Host = Dns.GetHostName() }.Uri;
        }
        return address;
    }
}
