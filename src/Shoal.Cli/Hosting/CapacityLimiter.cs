using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shoal.Cli.Hosting;

/// <summary>
/// Gives a Greeter instance a fixed capacity on any machine: every unary call holds one of a few
/// slots for a fixed service time, so the instance serves at most slots / service time calls per
/// second. Excess load waits for a slot (queueing latency), it is never rejected.
/// </summary>
/// <remarks>
/// The service time is a timer wait, not CPU work, so several instances on a 2-core machine really
/// add capacity: N instances serve N times the calls per second.
/// </remarks>
internal sealed class CapacityLimiter : Interceptor, IDisposable
{
    /// <summary>Slots per instance; the service time is derived from the capacity.</summary>
    public const int Slots = 4;

    private readonly SemaphoreSlim _slots = new(Slots, Slots);

    /// <summary>Creates a limiter serving at most <paramref name="requestsPerSecond"/> unary calls per second.</summary>
    public CapacityLimiter(double requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestsPerSecond, 0);
        RequestsPerSecond = requestsPerSecond;
        ServiceTime = TimeSpan.FromSeconds(Slots / requestsPerSecond);
    }

    /// <summary>The capacity: calls per second.</summary>
    public double RequestsPerSecond { get; }

    /// <summary>How long each call holds its slot.</summary>
    public TimeSpan ServiceTime { get; }

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await _slots.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(ServiceTime, context.CancellationToken).ConfigureAwait(false);
            return await continuation(request, context).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _slots.Dispose();
}
