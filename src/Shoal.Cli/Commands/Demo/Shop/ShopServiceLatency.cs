using Grpc.Core;
using Shoal.Client;
using Shoal.Client.Load.Protocol;

namespace Shoal.Cli.Commands.Demo.Shop;

/// <summary>
/// Each service's latency as its instances measure it: every control interval the demo reads each
/// instance's last load window (<c>shoal.load.v1.LoadReporter/Get</c>, one-second windows) and
/// keeps the windows' p99 weighted by the calls they completed.
/// </summary>
/// <remarks>
/// A percentile cannot be merged exactly from per-window percentiles; the service's p99 reported
/// is the 99th percentile of the window p99s, each weighted by its calls: the latency that 99% of
/// the calls' windows stayed under. The autoscaler and the balancer read the same windows.
/// </remarks>
internal sealed class ShopServiceLatency : IAsyncDisposable
{
    private readonly Dictionary<int, ShoalChannel> _channels = [];
    private readonly Dictionary<string, List<(double P99Ms, ulong Calls)>> _windows = [];
    private readonly HashSet<(string Instance, ulong Sequence)> _seen = [];

    /// <summary>Reads the latest window of every instance of <paramref name="service"/> listening on <paramref name="ports"/>; an instance that does not answer within a second is skipped.</summary>
    public async Task ReadAsync(string service, IEnumerable<int> ports, CancellationToken cancellationToken)
    {
        foreach (var port in ports)
        {
            if (!_channels.TryGetValue(port, out var channel))
            {
                channel = ShoalChannel.ForTarget($"shoal://127.0.0.1:{port}");
                _channels[port] = channel;
            }
            try
            {
                var report = await new LoadReporter.LoadReporterClient(channel)
                    .GetAsync(new GetRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (report.Completed > 0 && _seen.Add((report.InstanceId, report.Sequence)))
                {
                    if (!_windows.TryGetValue(service, out var windows))
                    {
                        windows = [];
                        _windows[service] = windows;
                    }
                    windows.Add((report.LatencyP99.ToTimeSpan().TotalMilliseconds, report.Completed));
                }
            }
            catch (RpcException)
            {
                // Starting, draining or killed: its windows are read while it serves.
            }
        }
    }

    /// <summary>The p99 of each service (milliseconds, see the remarks); 0 for a service with no window read.</summary>
    public Dictionary<string, double> P99Ms(IEnumerable<string> services)
    {
        var result = new Dictionary<string, double>();
        foreach (var service in services)
        {
            result[service.ToLowerInvariant()] = _windows.TryGetValue(service, out var windows) ? Math.Round(WeightedP99(windows), 1) : 0;
        }
        return result;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static double WeightedP99(List<(double P99Ms, ulong Calls)> windows)
    {
        var sorted = windows.OrderBy(w => w.P99Ms).ToList();
        var total = sorted.Sum(w => (double)w.Calls);
        var running = 0.0;
        foreach (var (p99, calls) in sorted)
        {
            running += calls;
            if (running >= total * 0.99)
            {
                return p99;
            }
        }
        return sorted.Count == 0 ? 0 : sorted[^1].P99Ms;
    }
}
