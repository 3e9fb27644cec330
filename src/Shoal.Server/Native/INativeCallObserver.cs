using Grpc.Core;

namespace Shoal.Server.Native;

/// <summary>
/// Sees every call the native server runs start and end, for load measurement. Both methods run on
/// the call path (the read loop or the handler's completion), so an implementation must be cheap:
/// no locks, no allocation. Set on <see cref="NativeServerOptions.CallObserver"/>; null costs nothing.
/// </summary>
public interface INativeCallObserver
{
    /// <summary>A call of <paramref name="method"/> (<c>/package.Service/Method</c>) started.</summary>
    /// <param name="method">The full method name.</param>
    /// <returns>A token handed back to <see cref="OnCallCompleted"/> (such as a timestamp); 0 means the observer ignores this call.</returns>
    long OnCallStarted(string method);

    /// <summary>The call ended: its status was sent, or it was cancelled (<see cref="StatusCode.Cancelled"/>).</summary>
    /// <param name="token">What <see cref="OnCallStarted"/> returned.</param>
    /// <param name="status">The final status.</param>
    void OnCallCompleted(long token, StatusCode status);
}
