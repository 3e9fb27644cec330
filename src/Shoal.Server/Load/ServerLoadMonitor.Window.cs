using Shoal.Server.Load.Internal;
using Shoal.Telemetry.Internal;

namespace Shoal.Server.Load;

public sealed partial class ServerLoadMonitor
{
    /// <summary>
    /// Ends the current window: diffs the cumulative counters against the previous window's,
    /// publishes the result as <see cref="Latest"/> and wakes the watchers. Runs on the window timer.
    /// </summary>
    /// <returns>The window just ended.</returns>
    internal ServerLoadWindow Roll()
    {
        ServerLoadWindow window;
        TaskCompletionSource<ServerLoadWindow> waiter;
        lock (_rollGate)
        {
            var nowTimestamp = _time.GetTimestamp();
            var now = _time.GetUtcNow();
            var length = _time.GetElapsedTime(_windowStartTimestamp, nowTimestamp);
            // Errors before completions (a call counts its error after its completion), then starts.
            var errors = Volatile.Read(ref _errors);
            var completed = _latency.CopyTo(_currentBuckets);
            var started = Volatile.Read(ref _started);
            var cpu = _cpuTime();

            var windowCompleted = completed - _previousCompleted;
            var seconds = length.TotalSeconds;
            var cpuShare = seconds > 0 ? (cpu - _previousCpu).TotalSeconds / (seconds * _cores) : 0;
            window = new ServerLoadWindow(
                InstanceId,
                _latest.Sequence + 1,
                _windowStart,
                length,
                windowCompleted,
                seconds > 0 ? windowCompleted / seconds : 0,
                Math.Max(0, started - completed),
                TimeSpan.FromMicroseconds(LatencyHistogram.Quantile(_currentBuckets, _previousBuckets, 0.50)),
                TimeSpan.FromMicroseconds(LatencyHistogram.Quantile(_currentBuckets, _previousBuckets, 0.99)),
                errors - _previousErrors,
                Math.Clamp(cpuShare, 0, 1),
                completed,
                errors);

            _previousCompleted = completed;
            _previousErrors = errors;
            Array.Copy(_currentBuckets, _previousBuckets, _currentBuckets.Length);
            _previousCpu = cpu;
            _windowStartTimestamp = nowTimestamp;
            _windowStart = now;

            // Publish the window before swapping the waiter, so a watcher that read the old waiter
            // either sees the new window in Latest or is woken by the old waiter.
            Volatile.Write(ref _latest, window);
            waiter = Interlocked.Exchange(ref _next, NewWaiter());
        }
        waiter.TrySetResult(window);
        return window;
    }
}
