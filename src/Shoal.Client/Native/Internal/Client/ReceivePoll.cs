using System.Diagnostics;
using System.Net.Sockets;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// The brief poll a connection's read loop makes before it waits for a reply it expects: a reply
/// that comes within the poll is read by the thread already running, instead of by a thread-pool
/// worker that the socket engine wakes for it. Polls are budgeted: at most <see cref="MaxPollers"/>
/// read loops poll at a time (<see cref="Shared"/>: half the cores, at least one, across the
/// process), so many busy connections do not spin together; a read loop over the budget waits at once.
/// </summary>
internal sealed class ReceivePoll(int maxPollers)
{
    private int _pollers;
    private long _found;

    /// <summary>The process's budget, which every connection uses.</summary>
    public static ReceivePoll Shared { get; } = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>Read loops that may poll at once.</summary>
    public int MaxPollers => maxPollers;

    /// <summary>Polls that found bytes (or the end) before their time ran out.</summary>
    public long Found => Volatile.Read(ref _found);

    /// <summary>Read loops polling now.</summary>
    public int Active => Volatile.Read(ref _pollers);

    /// <summary>Stopwatch ticks of <paramref name="time"/>; zero or less turns the poll off.</summary>
    public static long TicksOf(TimeSpan time) => time <= TimeSpan.Zero ? 0 : Math.Max(1, (long)(time.TotalSeconds * Stopwatch.Frequency));

    /// <summary>
    /// Polls <paramref name="socket"/> for readable bytes (or its end, or an error) for up to
    /// <paramref name="ticks"/>, yielding the core between polls. True when a read now completes at
    /// once; false when the time ran out, the poll is off, or the budget is taken.
    /// </summary>
    public bool WaitBriefly(Socket socket, long ticks)
    {
        if (ticks <= 0 || Volatile.Read(ref _pollers) >= maxPollers)
        {
            return false;
        }
        if (Interlocked.Increment(ref _pollers) > maxPollers)
        {
            Interlocked.Decrement(ref _pollers);
            return false;
        }
        try
        {
            var until = Stopwatch.GetTimestamp() + ticks;
            while (true)
            {
                if (socket.Poll(TimeSpan.Zero, SelectMode.SelectRead))
                {
                    Interlocked.Increment(ref _found);
                    return true;
                }
                if (Stopwatch.GetTimestamp() > until)
                {
                    return false;
                }
                Thread.Yield();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The read that follows reports what is wrong with the socket.
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _pollers);
        }
    }
}
