using Shoal.Autoscaling.Policy;
using Shoal.Autoscaling.Simulation.Internal;

namespace Shoal.Autoscaling.Simulation;

/// <summary>
/// Replays a trace through a simulated cluster driven by a scaling policy, deterministically.
/// </summary>
/// <remarks>
/// <para>
/// Time advances in control ticks. In each tick: replicas whose startup finished become ready and
/// drained ones go away; the tick's load (the trace's rate, spread evenly inside each trace interval)
/// meets the ready capacity, and whatever exceeds it is overload (minutes) and unserved requests;
/// every running replica (starting, ready, draining) costs replica-time. At the end of the tick the
/// policy sees that tick's load and the replica counts and decides; added replicas are ready after
/// the startup delay, removed ones stop serving at once and cost until their drain ends (a starting
/// replica is cancelled first, without drain).
/// </para>
/// <para>
/// The policy is the only thing that differs between runs, so Shoal and the HPA baseline are compared
/// on the same load and the same cluster.
/// </para>
/// </remarks>
public static class ClusterSimulator
{
    /// <summary>Runs one policy over one trace.</summary>
    /// <param name="trace">The load.</param>
    /// <param name="policy">The policy (fresh: policies keep state).</param>
    /// <param name="options">The cluster model.</param>
    /// <param name="target">The HPA target, recorded in the report.</param>
    /// <returns>The report.</returns>
    public static SimulationReport Run(LoadTrace trace, IScalingPolicy policy, SimulationOptions options, double? target = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var dt = options.ControlInterval;
        var ticks = (long)Math.Ceiling(trace.Duration / dt);
        var origin = trace.Start ?? DateTimeOffset.UnixEpoch;
        var cluster = new SimulatedCluster(options.Startup, options.Drain);
        var first = trace.RequestsPerSecond(0);
        var initial = options.InitialReplicas ?? (int)Math.Ceiling(first / (0.8 * options.CapacityPerInstance));
        cluster.StartReady(Math.Clamp(initial, options.MinReplicas, options.MaxReplicas));

        var timeline = new List<TimelinePoint>(trace.Counts.Count);
        double overloadedSeconds = 0, unserved = 0, replicaSeconds = 0, offered = 0;
        int ups = 0, downs = 0, peak = cluster.Running;
        var interval = new IntervalTracker();
        for (long i = 0; i < ticks; i++)
        {
            var now = dt * i;
            cluster.Advance(now);
            var load = AverageRate(trace, now, dt);
            var readyCapacity = cluster.Ready * options.CapacityPerInstance;
            if (load > readyCapacity + 1e-9)
            {
                overloadedSeconds += dt.TotalSeconds;
                unserved += (load - readyCapacity) * dt.TotalSeconds;
            }

            offered += load * dt.TotalSeconds;
            replicaSeconds += cluster.Running * dt.TotalSeconds;
            interval.Add(load, cluster.Ready);

            var decidedAt = now + dt;
            var decision = policy.Decide(new ScalingInput(origin + decidedAt, load, cluster.Current, cluster.Ready));
            if (decision.Desired != cluster.Current)
            {
                ups += decision.Desired > cluster.Current ? 1 : 0;
                downs += decision.Desired < cluster.Current ? 1 : 0;
                cluster.ScaleTo(decision.Desired, decidedAt);
                peak = Math.Max(peak, cluster.Running);
            }

            // One timeline point at the end of every trace interval (and at the very end).
            var intervalEnd = (long)(decidedAt.Ticks / trace.Interval.Ticks) != (long)(now.Ticks / trace.Interval.Ticks) || i == ticks - 1;
            if (intervalEnd)
            {
                timeline.Add(interval.Flush(trace.Interval * (now.Ticks / trace.Interval.Ticks), decision.Forecast, decision.Desired));
            }
        }

        return new SimulationReport
        {
            Policy = policy.Name,
            Trace = trace.Name,
            Target = target,
            OverloadedMinutes = overloadedSeconds / 60,
            UnservedRequests = Math.Round(unserved),
            TotalRequests = Math.Round(offered),
            ReplicaMinutes = replicaSeconds / 60,
            ScaleEvents = ups + downs,
            ScaleUps = ups,
            ScaleDowns = downs,
            PeakReplicas = peak,
            DurationMinutes = ticks * dt.TotalMinutes,
            CapacityPerInstance = options.CapacityPerInstance,
            Timeline = timeline,
        };
    }

    /// <summary>The mean rate over [from, from + length), the trace's counts spread evenly inside each interval.</summary>
    internal static double AverageRate(LoadTrace trace, TimeSpan from, TimeSpan length)
    {
        var to = from + length;
        var index = (int)(from.Ticks / trace.Interval.Ticks);
        var requests = 0.0;
        while (index < trace.Counts.Count)
        {
            var start = trace.Interval * index;
            if (start >= to)
            {
                break;
            }

            var end = start + trace.Interval;
            var overlap = (end < to ? end : to) - (start > from ? start : from);
            requests += trace.Counts[index] * (overlap / trace.Interval);
            index++;
        }

        return requests / length.TotalSeconds;
    }

    /// <summary>Accumulates the ticks of one trace interval into a timeline point.</summary>
    private sealed class IntervalTracker
    {
        private double _loadSum;
        private int _ticks;
        private int _minReady = int.MaxValue;

        public void Add(double load, int ready)
        {
            _loadSum += load;
            _ticks++;
            _minReady = Math.Min(_minReady, ready);
        }

        public TimelinePoint Flush(TimeSpan offset, double forecast, int desired)
        {
            var point = new TimelinePoint(offset, _loadSum / Math.Max(1, _ticks), forecast, _minReady == int.MaxValue ? 0 : _minReady, desired);
            _loadSum = 0;
            _ticks = 0;
            _minReady = int.MaxValue;
            return point;
        }
    }
}
