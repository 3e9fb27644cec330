namespace Shoal.Benchmarks.Registry;

/// <summary>Busy threads that stand for other work on the machine: they compute and allocate until stopped.</summary>
internal sealed class CpuLoad : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _threads;

    public CpuLoad(int threads)
    {
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(() => Burn(_stop.Token)) { IsBackground = true, Name = $"cpu-load-{i}" };
            _threads[i].Start();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
        _stop.Dispose();
    }

    private static void Burn(CancellationToken stop)
    {
        var sink = 0L;
        while (!stop.IsCancellationRequested)
        {
            // Short-lived garbage as well as arithmetic, like a busy service.
            var buffer = new byte[4096];
            for (var i = 0; i < buffer.Length; i++)
            {
                sink += buffer[i] + i;
            }
        }
        GC.KeepAlive(sink);
    }
}
