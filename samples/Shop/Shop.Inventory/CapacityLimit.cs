using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Shop.Inventory;

/// <summary>
/// A fixed capacity per instance: every unary call holds one of four slots for a fixed service
/// time, so one instance serves at most <c>capacity</c> calls per second and excess calls queue.
/// </summary>
/// <remarks>
/// The service time is a timer, not CPU: on a 2-core machine N instances really serve N times as
/// many calls, which is what lets the demo show autoscaling. Streaming calls are not limited.
/// </remarks>
public sealed class CapacityLimit : Interceptor, IDisposable
{
    private const int Slots = 4;

    private readonly SemaphoreSlim _slots = new(Slots, Slots);
    private readonly TimeSpan _serviceTime;

    /// <summary>Creates a limit of <paramref name="callsPerSecond"/> unary calls per second.</summary>
    public CapacityLimit(double callsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(callsPerSecond, 0);
        _serviceTime = TimeSpan.FromSeconds(Slots / callsPerSecond);
    }

    /// <inheritdoc/>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await _slots.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(_serviceTime, context.CancellationToken).ConfigureAwait(false);
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
