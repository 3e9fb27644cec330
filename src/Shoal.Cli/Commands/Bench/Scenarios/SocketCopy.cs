using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// The reference row of the <c>large</c> scenario: the same bytes through plain loopback TCP, no
/// RPC at all. Per connection a writer thread sends the payload again and again, an echo thread on
/// the other end sends back whatever arrives, and a reader thread counts what comes back; blocking
/// sockets on dedicated threads, the cheapest way to move bytes over loopback from .NET.
/// Both ends live in this process, so client CPU is the whole copy's.
/// </summary>
internal static class SocketCopy
{
    /// <summary>The run's name in the results.</summary>
    public const string RunName = "socket-copy";

    /// <summary>Long enough for the sockets' buffers to fill; a socket copy needs no JIT warm-up beyond its first seconds.</summary>
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(2);

    /// <summary>Copies <paramref name="payload"/>-byte chunks both ways over <see cref="BenchSettings.Connections"/> connections for the measured window.</summary>
    public static async Task<BenchResult> RunAsync(int payload, BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(payload, 1);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(settings.Connections);
        var pairs = new List<(Socket Client, Socket Server)>();
        var threads = new List<Thread>();
        var received = new long[settings.Connections];
        var stop = 0;
        try
        {
            for (var i = 0; i < settings.Connections; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
                var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                server.NoDelay = true;
                pairs.Add((client, server));
                var index = i;
                threads.Add(Start(() => Echo(server, payload, () => Volatile.Read(ref stop) != 0)));
                threads.Add(Start(() => Write(client, payload, () => Volatile.Read(ref stop) != 0)));
                threads.Add(Start(() => Read(client, payload, ref received[index], () => Volatile.Read(ref stop) != 0)));
            }
            await Task.Delay(settings.Warmup < MaxWarmup ? settings.Warmup : MaxWarmup, cancellationToken).ConfigureAwait(false);
            var cpuStart = CpuMeter.Self();
            var startBytes = Total(received);
            var start = Stopwatch.GetTimestamp();
            await Task.Delay(settings.Duration, cancellationToken).ConfigureAwait(false);
            var endBytes = Total(received);
            var wall = Stopwatch.GetElapsedTime(start);
            var cpuEnd = CpuMeter.Self();
            var echoed = endBytes - startBytes;
            var seconds = wall.TotalSeconds;
            return new BenchResult
            {
                Name = RunName,
                Target = "tcp://" + listener.LocalEndPoint,
                Rps = Math.Round(echoed / (double)payload / seconds, 1),
                Requests = echoed / payload,
                MbPerSecond = Math.Round(2.0 * echoed / 1e6 / seconds, 1),
                ClientCpuPercent = CpuMeter.Percent(cpuStart, cpuEnd, wall),
                DurationSeconds = Math.Round(seconds, 3),
                WarmupSeconds = (settings.Warmup < MaxWarmup ? settings.Warmup : MaxWarmup).TotalSeconds,
            };
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var (client, server) in pairs)
            {
                client.Dispose();
                server.Dispose();
            }
            foreach (var thread in threads)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }
    }

    private static long Total(long[] counters)
    {
        long total = 0;
        for (var i = 0; i < counters.Length; i++)
        {
            total += Volatile.Read(ref counters[i]);
        }
        return total;
    }

    private static Thread Start(Action loop)
    {
        var thread = new Thread(() =>
        {
            try
            {
                loop();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The run ended and closed the socket under the blocked call.
            }
        })
        { IsBackground = true, Name = "socket-copy" };
        thread.Start();
        return thread;
    }

    private static void Echo(Socket socket, int payload, Func<bool> stopped)
    {
        var buffer = new byte[Math.Min(payload, 256 * 1024)];
        while (!stopped())
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return;
            }
            socket.Send(buffer.AsSpan(0, read));
        }
    }

    private static void Write(Socket socket, int payload, Func<bool> stopped)
    {
        var buffer = new byte[payload];
        while (!stopped())
        {
            socket.Send(buffer);
        }
    }

    private static void Read(Socket socket, int payload, ref long received, Func<bool> stopped)
    {
        var buffer = new byte[Math.Min(payload, 256 * 1024)];
        while (!stopped())
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return;
            }
            Volatile.Write(ref received, received + read);
        }
    }
}
