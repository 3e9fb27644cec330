using Grpc.Core;

namespace Shoal.Client.Cluster.Internal;

/// <summary>A fixed set of status codes with a lookup that costs an array read (on every call's completion).</summary>
internal sealed class StatusCodeSet
{
    private readonly bool[] _codes = new bool[32];

    public StatusCodeSet(IEnumerable<StatusCode> codes)
    {
        foreach (var code in codes)
        {
            if ((int)code is >= 0 and < 32)
            {
                _codes[(int)code] = true;
            }
        }
    }

    /// <summary>The codes that count against an endpoint unless configured otherwise (see <see cref="OutlierDetection.OutlierEjectionOptions.EffectiveFailureStatusCodes"/>).</summary>
    public static StatusCodeSet DefaultFailures { get; } = new(new OutlierDetection.OutlierEjectionOptions().EffectiveFailureStatusCodes);

    public bool Contains(StatusCode code) => (int)code is >= 0 and < 32 && _codes[(int)code];
}
