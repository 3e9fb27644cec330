using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.LoadBalancing;

/// <summary>
/// A base for pickers over <see cref="WeightedEndpoints"/>: a policy implements
/// <see cref="PickIndex"/>, and the base steers clear of endpoints the call already tried.
/// </summary>
/// <remarks>
/// Excluded endpoints only matter on a retry, which is rare, so the steering is simple: a few
/// fresh picks, then a scan from a random start for the first endpoint not tried. When every
/// endpoint was tried, the policy's own choice stands (retrying the same instance beats failing
/// when it is the only one).
/// </remarks>
public abstract class PickerBase : IPicker
{
    private const int RepickAttempts = 3;

    /// <summary>Creates the picker over <paramref name="endpoints"/>.</summary>
    protected PickerBase(WeightedEndpoints endpoints, Random random)
    {
        Endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
        Random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>The endpoints this picker chooses from.</summary>
    protected WeightedEndpoints Endpoints { get; }

    /// <summary>The random source.</summary>
    protected Random Random { get; }

    /// <inheritdoc/>
    public PickResult Pick(in PickContext context)
    {
        var endpoint = Endpoints[PickIndex(context)];
        if (context.Excluded is null || !context.IsExcluded(endpoint))
        {
            return PickResult.ForEndpoint(endpoint);
        }
        return PickResult.ForEndpoint(PickAvoiding(context, endpoint));
    }

    /// <summary>The index of the endpoint the policy chooses for <paramref name="context"/>.</summary>
    protected abstract int PickIndex(in PickContext context);

    private ClusterEndpoint PickAvoiding(in PickContext context, ClusterEndpoint first)
    {
        for (var i = 0; i < RepickAttempts; i++)
        {
            var candidate = Endpoints[PickIndex(context)];
            if (!context.IsExcluded(candidate))
            {
                return candidate;
            }
        }
        var count = Endpoints.Count;
        var start = Random.Next(count);
        for (var i = 0; i < count; i++)
        {
            var candidate = Endpoints[(start + i) % count];
            if (!context.IsExcluded(candidate))
            {
                return candidate;
            }
        }
        return first;
    }
}
