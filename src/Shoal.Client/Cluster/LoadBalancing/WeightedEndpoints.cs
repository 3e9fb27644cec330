using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>
/// The endpoints a picker chooses from, each with its effective weight (instance weight after
/// warm-up; always at least 1), and an alias table (Vose's method) that makes weighted sampling
/// O(1): one random number, two array reads. Immutable.
/// </summary>
public sealed class WeightedEndpoints
{
    private readonly ClusterEndpoint[] _endpoints;
    private readonly int[] _weights;
    private readonly double[]? _probability;
    private readonly int[]? _alias;

    /// <summary>Creates the set; <paramref name="weights"/> pairs with <paramref name="endpoints"/> and every weight must be positive.</summary>
    public WeightedEndpoints(ClusterEndpoint[] endpoints, int[] weights)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(weights);
        if (endpoints.Length == 0 || endpoints.Length != weights.Length)
        {
            throw new ArgumentException("Endpoints and weights must be non-empty and of the same length.", nameof(weights));
        }
        _endpoints = endpoints;
        _weights = weights;
        long total = 0;
        var equal = true;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                throw new ArgumentException($"Weight {weights[i]} at {i} is not positive.", nameof(weights));
            }
            equal &= weights[i] == weights[0];
            total += weights[i];
        }
        TotalWeight = total;
        AllWeightsEqual = equal;
        if (!equal)
        {
            (_probability, _alias) = BuildAliasTable(weights, total);
        }
    }

    /// <summary>Creates a set where every endpoint has weight 1.</summary>
    public static WeightedEndpoints Uniform(IReadOnlyList<ClusterEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var weights = new int[endpoints.Count];
        Array.Fill(weights, 1);
        return new WeightedEndpoints(endpoints.ToArray(), weights);
    }

    /// <summary>How many endpoints.</summary>
    public int Count => _endpoints.Length;

    /// <summary>The sum of the weights.</summary>
    public long TotalWeight { get; }

    /// <summary>Whether all weights are the same (sampling is then a plain uniform draw).</summary>
    public bool AllWeightsEqual { get; }

    /// <summary>The endpoints.</summary>
    public ReadOnlySpan<ClusterEndpoint> Endpoints => _endpoints;

    /// <summary>The endpoint at <paramref name="index"/>.</summary>
    public ClusterEndpoint this[int index] => _endpoints[index];

    /// <summary>The effective weight of the endpoint at <paramref name="index"/>.</summary>
    public int WeightAt(int index) => _weights[index];

    /// <summary>Draws an index with probability proportional to its weight: O(1).</summary>
    public int SampleIndex(Random random)
    {
        var count = _endpoints.Length;
        var probability = _probability;
        if (probability is null)
        {
            return random.Next(count);
        }
        // One draw: the integer part picks a column, the fraction decides between it and its alias.
        var u = random.NextDouble() * count;
        var column = (int)u;
        if (column >= count)
        {
            column = count - 1;
        }
        return u - column < probability[column] ? column : _alias![column];
    }

    /// <summary>Vose's alias method: column i keeps itself with probability[i], else goes to alias[i].</summary>
    private static (double[] Probability, int[] Alias) BuildAliasTable(int[] weights, long total)
    {
        var count = weights.Length;
        var probability = new double[count];
        var alias = new int[count];
        var scaled = new double[count];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < count; i++)
        {
            scaled[i] = (double)weights[i] * count / total;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            var less = small.Pop();
            var more = large.Pop();
            probability[less] = scaled[less];
            alias[less] = more;
            scaled[more] = scaled[more] + scaled[less] - 1.0;
            (scaled[more] < 1.0 ? small : large).Push(more);
        }
        // What is left is 1 up to rounding.
        while (large.Count > 0)
        {
            var i = large.Pop();
            probability[i] = 1.0;
            alias[i] = i;
        }
        while (small.Count > 0)
        {
            var i = small.Pop();
            probability[i] = 1.0;
            alias[i] = i;
        }
        return (probability, alias);
    }
}
