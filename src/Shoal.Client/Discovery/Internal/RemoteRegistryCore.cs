using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Shoal.Discovery;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// What every remote registry client (the embedded registry's, etcd's) does the same way: keep
/// its registrations and deregister them on dispose, return a registration even when the registry
/// cannot be reached, and run each watch as a loop that streams, keeps the last set (marked stale)
/// while the source is down, logs and counts the outage once, and reconnects with backoff. A client
/// supplies only its round trips and what one watch stream does.
/// </summary>
internal sealed class RemoteRegistryCore(object owner, string kind, TimeProvider time, ILogger logger)
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<LeasedRegistration, byte> _registrations = new();

    /// <summary>
    /// Registers through <paramref name="registration"/> and starts its keepalive loop. A failure
    /// that <paramref name="isRejection"/> calls a rejection throws; any other failure is logged and
    /// the registration is returned without a lease, still trying in the background.
    /// </summary>
    public async Task<IRegistration> RegisterAsync(LeasedRegistration registration, Func<RpcException, bool> isRejection, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, owner);
        try
        {
            await registration.RegisterOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (!isRejection(ex) && !cancellationToken.IsCancellationRequested)
        {
            RegistryLog.RegisterFailed(logger, kind, registration.Instance.InstanceId, ex);
        }
        _registrations.TryAdd(registration, 0);
        registration.Start();
        return registration;
    }

    /// <summary>Removes a disposed registration from the list.</summary>
    public void Forget(LeasedRegistration registration) => _registrations.TryRemove(registration, out _);

    /// <summary>
    /// Runs <paramref name="streamOnce"/> in a loop (see <see cref="PumpAsync"/>) and yields the
    /// newest set each time the consumer looks; ends when cancelled or when the client is disposed.
    /// </summary>
    public async IAsyncEnumerable<InstanceSet> WatchAsync(string service, Backoff backoff, Func<WatchSink, CancellationToken, Task> streamOnce, [EnumeratorCancellation] CancellationToken cancellationToken, Func<Exception, bool>? isRejection = null)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, owner);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var channel = LatestValueChannel.Create();
        var pump = PumpAsync(new WatchSink(service, kind, logger, channel.Writer, backoff), backoff, streamOnce, isRejection, stop.Token);
        try
        {
            await foreach (var set in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return set;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>Stops every watch and deregisters every registration still alive; false when already disposed.</summary>
    public async ValueTask<bool> DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return false;
        }
        await _disposed.CancelAsync().ConfigureAwait(false);
        foreach (var registration in _registrations.Keys)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
        _disposed.Dispose();
        return true;
    }

    /// <summary>
    /// One stream after another: a stream that returns is started again at once (the source asked
    /// for it, as etcd does after a compaction); one that throws marks the watch stale and is
    /// started again after the backoff. One that <paramref name="isRejection"/> calls a rejection
    /// (the source refused this client's credentials: retrying cannot help) ends the watch with it.
    /// </summary>
    private async Task PumpAsync(WatchSink sink, Backoff backoff, Func<WatchSink, CancellationToken, Task> streamOnce, Func<Exception, bool>? isRejection, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await streamOnce(sink, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (isRejection?.Invoke(ex) == true)
            {
                RegistryLog.WatchRejected(logger, kind, sink.Service, ex);
                sink.Complete(ex);
                return;
            }
            catch (Exception ex)
            {
                sink.Fail(ex);
            }
            try
            {
                await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        sink.Complete();
    }
}
