namespace Shoal.Autoscaling.Signals;

/// <summary>
/// Keeps the latest report of every instance and aggregates them into the cluster load.
/// </summary>
/// <remarks>
/// A report older than <c>staleAfter</c> (an instance that stopped reporting: crashed or drained) no
/// longer counts. The offered load of an instance is estimated from two consecutive windows: calls that
/// arrived = calls completed + (in flight now − in flight at the end of the previous window), so a
/// saturated instance whose queue grows reports what its clients asked for, not only what it served; an
/// instance's first window (or one after a gap) counts as completed calls only. Thread-safe: reports arrive
/// from server threads while the controller reads.
/// </remarks>
public sealed class LoadAggregator : ILoadSignalSource
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _staleAfter;
    private readonly Dictionary<string, (LoadReport Report, double Offered)> _latest = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Creates the aggregator.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="staleAfter">How long after its window ended a report stops counting (default 30 s).</param>
    public LoadAggregator(TimeProvider time, TimeSpan? staleAfter = null)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _staleAfter = staleAfter ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Records one instance's report, replacing its previous one if this is newer.</summary>
    /// <param name="report">The report.</param>
    public void Report(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            if (!_latest.TryGetValue(report.InstanceId, out var previous))
            {
                _latest[report.InstanceId] = (report, report.RequestsPerSecond);
            }
            else if (previous.Report.WindowStart < report.WindowStart)
            {
                _latest[report.InstanceId] = (report, Offered(previous.Report, report));
            }
            else if (previous.Report.WindowStart == report.WindowStart)
            {
                _latest[report.InstanceId] = (report, previous.Offered);
            }
        }
    }

    /// <summary>Forgets an instance (it deregistered).</summary>
    /// <param name="instanceId">The instance.</param>
    public void Remove(string instanceId)
    {
        lock (_gate)
        {
            _latest.Remove(instanceId);
        }
    }

    /// <summary>Calls that arrived per second over <paramref name="current"/>'s window, when it follows <paramref name="previous"/>'s.</summary>
    private static double Offered(LoadReport previous, LoadReport current)
    {
        var seconds = current.WindowLength.TotalSeconds;
        var adjacent = seconds > 0 && Math.Abs((current.WindowStart - previous.WindowEnd).TotalSeconds) <= seconds / 2;
        return adjacent ? Math.Max(0, current.RequestsPerSecond + ((current.InFlight - previous.InFlight) / seconds)) : current.RequestsPerSecond;
    }

    /// <inheritdoc/>
    public ClusterLoad Read()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var instances = 0;
            double rps = 0, cpu = 0, weightedP50 = 0;
            var inFlight = 0;
            long errors = 0;
            var p99 = TimeSpan.Zero;
            double offered = 0;
            foreach (var (report, arrivals) in _latest.Values)
            {
                if (now - report.WindowEnd > _staleAfter)
                {
                    continue;
                }

                instances++;
                rps += report.RequestsPerSecond;
                offered += arrivals;
                inFlight += report.InFlight;
                errors += report.Errors;
                cpu += report.CpuUtilisation;
                weightedP50 += report.P50.TotalMilliseconds * report.RequestsPerSecond;
                p99 = report.P99 > p99 ? report.P99 : p99;
            }

            if (instances == 0)
            {
                return ClusterLoad.Empty(now);
            }

            var p50 = rps > 0 ? TimeSpan.FromMilliseconds(weightedP50 / rps) : TimeSpan.Zero;
            return new ClusterLoad(now, instances, rps, inFlight, p50, p99, errors, cpu / instances) { Offered = offered };
        }
    }
}
