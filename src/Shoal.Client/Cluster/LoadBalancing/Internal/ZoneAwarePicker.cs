using Shoal.Client.Cluster.Endpoints;

namespace Shoal.Client.Cluster.LoadBalancing.Internal;

/// <summary>
/// Sends calls to the caller's zone while it is not overloaded (its mean calls in flight per ready
/// endpoint at or below a limit, read from one shared counter), and to every zone otherwise, or
/// when every local endpoint was already tried by this call.
/// </summary>
internal sealed class ZoneAwarePicker : IPicker
{
    private readonly IPicker _local;
    private readonly IPicker _all;
    private readonly ZoneLoad? _localLoad;
    private readonly long _maxInFlight;

    public ZoneAwarePicker(IPicker local, IPicker all, ZoneLoad? localLoad, int localCount, int maxInFlightPerEndpoint)
    {
        _local = local;
        _all = all;
        _localLoad = localLoad;
        _maxInFlight = (long)localCount * maxInFlightPerEndpoint;
    }

    public PickResult Pick(in PickContext context)
    {
        if (_localLoad is not null && _localLoad.InFlight > _maxInFlight)
        {
            return _all.Pick(context);
        }
        var result = _local.Pick(context);
        if (context.Excluded is not null && result.Endpoint is not null && context.IsExcluded(result.Endpoint))
        {
            return _all.Pick(context);
        }
        return result;
    }
}
