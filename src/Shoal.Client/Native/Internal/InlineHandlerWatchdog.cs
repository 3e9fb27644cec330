namespace Shoal.Client.Native.Internal;

/// <summary>
/// One background thread per process that looks at every native connection's read loop (a
/// server's, which runs handlers inline, and a client's, which runs response continuations inline):
/// a handler (or continuation) that has run inline from one check to the next is blocking, so its
/// connection hands the rest of the read loop to a thread-pool thread and the other calls of that
/// connection go on. Handlers stay inline (no thread hop per call) in the common case where they finish or go
/// asynchronous quickly; the read loop pays one counter increment and one interlocked exchange per
/// handler for this. Checks come every <see cref="MinPeriod"/> while some handler is seen inline,
/// and back off to <see cref="MaxPeriod"/> while none is, so an idle or lightly loaded process is
/// woken rarely. The thread waits while no connection is registered.
/// </summary>
/// <remarks>
/// A dedicated thread rather than a timer: blocking handlers are exactly what starves the thread
/// pool, and the check must still run then. The check itself is a few field reads per connection,
/// made under the registry's lock (connections come and go far less often than it runs). A blocking
/// handler stalls its neighbours for at most one backed-off period plus one short one (about 0.1 s),
/// and for 10–20 ms once handlers are being seen.
/// </remarks>
internal sealed class InlineHandlerWatchdog
{
    /// <summary>The period while handlers are seen running inline.</summary>
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest period, reached by doubling while no handler is seen inline.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromMilliseconds(100);

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
        var period = MinPeriod;
        while (true)
        {
            bool any;
            var inline = false;
            lock (_lock)
            {
                foreach (var host in _hosts)
                {
                    inline |= host.CheckInlineHandler();
                }
                any = _hosts.Count > 0;
            }
            if (!any)
            {
                _wake.WaitOne();
                period = MinPeriod;
                continue;
            }
            period = inline ? MinPeriod : TimeSpan.FromTicks(Math.Min(period.Ticks * 2, MaxPeriod.Ticks));
            Thread.Sleep(period);
        }
    }
}
