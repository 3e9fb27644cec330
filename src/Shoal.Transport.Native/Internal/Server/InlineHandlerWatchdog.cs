namespace Shoal.Transport.Native.Internal.Server;

/// <summary>
/// One background thread per process that looks at every server connection's read loop each
/// <see cref="Period"/>: a handler that has run inline (on the read loop) across a whole period is
/// blocking, so its connection hands the rest of the read loop to a thread-pool thread and the other
/// calls of that connection go on. Handlers stay inline (no thread hop per call) in the common case
/// where they finish or go asynchronous quickly; the read loop pays one counter increment and one
/// interlocked exchange per handler for this. The thread waits while no connection is registered.
/// </summary>
/// <remarks>
/// A dedicated thread rather than a timer: blocking handlers are exactly what starves the thread
/// pool, and the check must still run then. The check itself is a few field reads per connection,
/// made under the registry's lock (connections come and go far less often than it runs).
/// </remarks>
internal sealed class InlineHandlerWatchdog
{
    /// <summary>How often read loops are checked: a blocking handler stalls its connection for one to two periods.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private readonly Lock _lock = new();
    private readonly HashSet<IInlineHandlerHost> _hosts = [];
    private readonly AutoResetEvent _wake = new(false);
    private Thread? _thread;

    public static InlineHandlerWatchdog Shared { get; } = new();

    public void Add(IInlineHandlerHost host)
    {
        lock (_lock)
        {
            _hosts.Add(host);
            if (_thread is null)
            {
                _thread = new Thread(static s => ((InlineHandlerWatchdog)s!).Run())
                {
                    IsBackground = true,
                    Name = "shoal-native-inline-watchdog",
                };
                _thread.UnsafeStart(this);
            }
        }
        _wake.Set();
    }

    public void Remove(IInlineHandlerHost host)
    {
        lock (_lock)
        {
            _hosts.Remove(host);
        }
    }

    private void Run()
    {
        while (true)
        {
            bool any;
            lock (_lock)
            {
                foreach (var host in _hosts)
                {
                    host.CheckInlineHandler();
                }
                any = _hosts.Count > 0;
            }
            if (any)
            {
                Thread.Sleep(Period);
            }
            else
            {
                _wake.WaitOne();
            }
        }
    }
}
