using Grpc.Core;
using Shoal.Client.Autoscaling.Protocol;

namespace Shoal.Autoscaling.Hosting;

/// <summary>
/// <c>shoal.autoscaler.v1.AutoscalerStatus</c>: serves a running autoscaler's <see cref="ShoalAutoscaler.History"/>
/// as it is, so a dashboard shows the autoscaler's own decisions rather than recomputing them. Host it
/// in a Shoal server registered with the cluster's registry: the dashboard finds it there under
/// <see cref="ServiceName"/>.
/// </summary>
public sealed class AutoscalerStatusService : AutoscalerStatus.AutoscalerStatusBase
{
    /// <summary>The service name the autoscaler registers under and the dashboard looks for.</summary>
    public const string ServiceName = "shoal.autoscaler.v1.AutoscalerStatus";

    private readonly ShoalAutoscaler _autoscaler;

    /// <summary>Serves <paramref name="autoscaler"/>'s status.</summary>
    /// <param name="autoscaler">The running autoscaler.</param>
    public AutoscalerStatusService(ShoalAutoscaler autoscaler)
    {
        ArgumentNullException.ThrowIfNull(autoscaler);
        _autoscaler = autoscaler;
    }

    /// <inheritdoc/>
    public override Task<StatusReply> Get(GetStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxTicks < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"max_ticks must be 0 or more; got {request.MaxTicks}."));
        }
        return Task.FromResult(ToReply(_autoscaler, _autoscaler.History.Latest(request.MaxTicks)));
    }

    internal static StatusReply ToReply(ShoalAutoscaler autoscaler, IReadOnlyList<AutoscaleDecision> ticks)
    {
        var options = autoscaler.Options;
        var reply = new StatusReply
        {
            Service = options.Service,
            Actuator = autoscaler.Actuator.Name,
            Quantile = autoscaler.Quantile,
            MinReplicas = options.MinReplicas,
            MaxReplicas = options.MaxReplicas,
            IntervalMs = (long)options.Interval.TotalMilliseconds,
        };
        foreach (var tick in ticks)
        {
            var d = tick.Decision;
            var message = new Tick
            {
                TimeUnixMs = d.Time.ToUnixTimeMilliseconds(),
                LoadRps = d.CurrentLoad,
                CompletedRps = tick.Load.RequestsPerSecond,
                ForecastRps = d.Forecast,
                CurrentReplicas = d.CurrentReplicas,
                DesiredReplicas = d.Desired,
                RecommendedReplicas = d.Recommended,
                ReadyReplicas = tick.Load.Instances,
                Reason = d.Reason.ToString(),
                CapacityRps = d.Capacity,
                P99Ms = tick.Load.P99.TotalMilliseconds,
            };
            if (d.Upper is { } upper)
            {
                message.UpperRps = upper;
            }
            reply.Ticks.Add(message);
        }
        return reply;
    }
}
