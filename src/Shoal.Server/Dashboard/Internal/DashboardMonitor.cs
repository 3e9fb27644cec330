using Grpc.Core;
using Shoal.Client;
using Shoal.Client.Autoscaling.Protocol;
using Shoal.Client.Discovery.Embedded.Protocol;

namespace Shoal.Server.Dashboard.Internal;

/// <summary>
/// What the dashboard shows, kept current: lists the embedded registry's leases every
/// <see cref="ShoalDashboardOptions.RefreshInterval"/>, and keeps one <c>LoadReporter/Watch</c> stream
/// open per registered instance, closed when the instance leaves.
/// </summary>
internal sealed partial class DashboardMonitor : IAsyncDisposable
{
    private readonly ShoalChannel _registry;
    private readonly ShoalDashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Watched> _instances = new(StringComparer.Ordinal);
    private readonly LinkedList<DashboardEvent> _events = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private string? _registryError;

    public DashboardMonitor(string registryAuthority, ShoalDashboardOptions options, TimeProvider time)
    {
        RegistryAddress = "registry://" + registryAuthority;
        _registry = ShoalChannel.ForTarget("shoal://" + registryAuthority);
        _options = options;
        _time = time;
    }

    /// <summary><c>registry://host:port</c>.</summary>
    public string RegistryAddress { get; }

    /// <summary>Starts the refresh loop.</summary>
    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>
    /// The instances now, sorted by id, the registered autoscalers, the latest joins and leaves, and the
    /// registry's error if the last refresh failed.
    /// </summary>
    public (IReadOnlyList<InstanceView> Instances, IReadOnlyList<AutoscalerView> Autoscalers, IReadOnlyList<DashboardEvent> Events, string? RegistryError) Snapshot()
    {
        lock (_gate)
        {
            var instances = _instances.Values.Select(w => w.View).OrderBy(v => v.Id, StringComparer.Ordinal).ToList();
            var autoscalers = _instances.Values.Select(w => w.Autoscaler).OfType<AutoscalerView>().OrderBy(v => v.Id, StringComparer.Ordinal).ToList();
            return (instances, autoscalers, _events.ToList(), _registryError);
        }
    }

    private Metadata? RegistryHeaders() =>
        _options.RegistryToken is { } token ? new Metadata { { "authorization", "Bearer " + token } } : null;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var client = new RegistryService.RegistryServiceClient(_registry);
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        do
        {
            try
            {
                var response = await client.ListLeasesAsync(new ListLeasesRequest(), RegistryHeaders(), deadline: _time.GetUtcNow().UtcDateTime + _options.CallTimeout, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                Apply(response);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The last known instances stay on the page, marked stale by the error; the next tick tries again.
                lock (_gate)
                {
                    _registryError = e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Takes one listing of the registry: new instances join (and get a load stream), missing ones leave.</summary>
    internal void Apply(ListLeasesResponse response)
    {
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            _registryError = null;
            foreach (var lease in response.Leases)
            {
                var instance = lease.Instance;
                if (!seen.Add(instance.InstanceId) || _instances.ContainsKey(instance.InstanceId))
                {
                    continue;
                }
                var native = instance.Addresses.TryGetValue("native", out var address) ? address : "";
                var view = new InstanceView(instance.InstanceId, instance.Services.ToList(), native, instance.Zone, lease.TtlMs);
                var watched = new Watched(view);
                _instances.Add(view.Id, watched);
                AddEvent(new DashboardEvent(now, "joined", view.Id, string.Join(",", view.Services)));
                if (native.Length > 0 && _instances.Count <= _options.MaxLoadStreams)
                {
                    watched.Loop = WatchLoadAsync(watched, watched.Stop.Token);
                }
                if (native.Length > 0 && view.Services.Contains(AutoscalerStatus.Descriptor.FullName, StringComparer.Ordinal))
                {
                    watched.Autoscaler = new AutoscalerView(view.Id, native);
                    watched.StatusLoop = PollStatusAsync(watched.Autoscaler, watched.Stop.Token);
                }
            }
            foreach (var gone in _instances.Keys.Where(id => !seen.Contains(id)).ToList())
            {
                var watched = _instances[gone];
                _instances.Remove(gone);
                watched.Stop.Cancel();
                _ = Task.WhenAll(watched.Loop, watched.StatusLoop).ContinueWith(_ => watched.Stop.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                AddEvent(new DashboardEvent(now, "left", gone, string.Join(",", watched.View.Services)));
            }
        }
    }

    private void AddEvent(DashboardEvent e)
    {
        _events.AddLast(e);
        while (_events.Count > _options.MaxEvents)
        {
            _events.RemoveFirst();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        List<Watched> watched;
        lock (_gate)
        {
            watched = [.. _instances.Values];
            _instances.Clear();
        }
        foreach (var w in watched)
        {
            await w.Stop.CancelAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(watched.SelectMany(w => new[] { w.Loop, w.StatusLoop }).Append(_loop)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        foreach (var w in watched)
        {
            w.Stop.Dispose();
        }
        await _registry.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class Watched(InstanceView view)
    {
        public InstanceView View { get; } = view;

        public CancellationTokenSource Stop { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        /// <summary>Set when the instance is an autoscaler's status service.</summary>
        public AutoscalerView? Autoscaler { get; set; }

        public Task StatusLoop { get; set; } = Task.CompletedTask;
    }
}
