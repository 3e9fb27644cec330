using Shoal.Client.Cluster.LoadBalancing.RoundRobin;

namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>Walks a precomputed smooth weighted schedule; see <see cref="RoundRobinLoadBalancer"/>.</summary>
internal sealed class RoundRobinPicker : PickerBase
{
    /// <summary>The longest schedule built before weights are scaled down (per endpoint, with a floor).</summary>
    private const int SchedulePerEndpoint = 16;
    private const int MinScheduleCap = 1024;

    private readonly RoundRobinPosition _position;
    private readonly int[]? _schedule;

    public RoundRobinPicker(WeightedEndpoints endpoints, Random random, RoundRobinPosition position)
        : base(endpoints, random)
    {
        _position = position;
        _schedule = endpoints.AllWeightsEqual ? null : BuildSchedule(endpoints);
    }

    protected override int PickIndex(in PickContext context)
    {
        var next = (ulong)Interlocked.Increment(ref _position.Value);
        var schedule = _schedule;
        return schedule is null
            ? (int)(next % (ulong)Endpoints.Count)
            : schedule[(int)(next % (ulong)schedule.Length)];
    }

    /// <summary>One cycle of an earliest-deadline-first schedule; deadlines start half a period in, so heavy endpoints do not cluster at the start.</summary>
    internal static int[] BuildSchedule(WeightedEndpoints endpoints)
    {
        var count = endpoints.Count;
        var weights = new long[count];
        long gcd = 0;
        for (var i = 0; i < count; i++)
        {
            weights[i] = endpoints.WeightAt(i);
            gcd = Gcd(gcd, weights[i]);
        }
        long length = 0;
        for (var i = 0; i < count; i++)
        {
            weights[i] /= gcd;
            length += weights[i];
        }
        var cap = Math.Max(MinScheduleCap, (long)SchedulePerEndpoint * count);
        if (length > cap)
        {
            length = 0;
            var total = (double)endpoints.TotalWeight;
            for (var i = 0; i < count; i++)
            {
                weights[i] = Math.Max(1, (long)Math.Round(endpoints.WeightAt(i) * cap / total));
                length += weights[i];
            }
        }

        var schedule = new int[length];
        var queue = new PriorityQueue<int, (double Deadline, int Index)>(count);
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(i, (0.5 / weights[i], i));
        }
        var picks = new long[count];
        for (var slot = 0; slot < schedule.Length; slot++)
        {
            var index = queue.Dequeue();
            schedule[slot] = index;
            picks[index]++;
            if (picks[index] < weights[index])
            {
                queue.Enqueue(index, ((picks[index] + 0.5) / weights[index], index));
            }
        }
        return schedule;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
