namespace Shoal.Client.Cluster.FaultTolerance;

/// <summary>
/// A token bucket over a sliding window: every call deposits <see cref="RetryBudgetOptions.Ratio"/>
/// of a token, every retry withdraws one, and <see cref="RetryBudgetOptions.MinRetriesPerSecond"/>
/// tokens per second are always there. Deposits older than the window expire, so a burst of
/// traffic long ago does not pay for a retry storm now. When the cluster fails, calls keep coming
/// but retries stop at the ratio: a failing cluster sees at most (1 + ratio) × the offered load.
/// </summary>
/// <remarks>
/// Lock-free: one slot per second in a ring, each with its own counters and the second it
/// belongs to. A slot is reset by whichever thread first sees that its second has passed; a
/// deposit racing with that reset may be lost, which only makes the budget slightly stricter.
/// </remarks>
public sealed class RetryBudget
{
    private readonly RetryBudgetOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly int _slots;
    private readonly long[] _slotSecond;
    private readonly long[] _deposits;
    private readonly long[] _withdrawals;
    private long _cachedSecond = long.MinValue;
    private int _cachedSlot;

    /// <summary>Creates the budget.</summary>
    public RetryBudget(RetryBudgetOptions options, TimeProvider? timeProvider = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _slots = (int)Math.Clamp(Math.Ceiling(options.Window.TotalSeconds), 1, 60);
        _slotSecond = new long[_slots];
        Array.Fill(_slotSecond, long.MinValue);
        _deposits = new long[_slots];
        _withdrawals = new long[_slots];
    }

    /// <summary>Records one call (not a retry).</summary>
    public void Deposit()
    {
        if (!_options.Enabled)
        {
            return;
        }
        Interlocked.Increment(ref _deposits[CurrentSlot()]);
    }

    /// <summary>Takes one retry from the budget; false when it is spent (do not retry).</summary>
    public bool TryWithdraw()
    {
        if (!_options.Enabled)
        {
            return true;
        }
        var slot = CurrentSlot();
        if (Balance() < 1.0)
        {
            return false;
        }
        Interlocked.Increment(ref _withdrawals[slot]);
        return true;
    }

    /// <summary>The retries available now.</summary>
    public double Balance()
    {
        var now = CurrentSecond();
        long deposits = 0, withdrawals = 0;
        for (var i = 0; i < _slots; i++)
        {
            var second = Volatile.Read(ref _slotSecond[i]);
            if (second > now - _slots && second <= now)
            {
                deposits += Volatile.Read(ref _deposits[i]);
                withdrawals += Volatile.Read(ref _withdrawals[i]);
            }
        }
        return ((double)_options.MinRetriesPerSecond * _slots) + (_options.Ratio * deposits) - withdrawals;
    }

    /// <summary>The current second of a monotonic clock (the tick counter for the system clock: a few nanoseconds on every call).</summary>
    private long CurrentSecond() => ReferenceEquals(_timeProvider, TimeProvider.System)
        ? Environment.TickCount64 / 1000
        : _timeProvider.GetTimestamp() / _timeProvider.TimestampFrequency;

    private int CurrentSlot()
    {
        var second = CurrentSecond();
        // Every call deposits, so the slot of the current second is remembered: no division on the
        // call path. The pair is read racily; a deposit that straddles a second's edge may land in
        // the next second's slot, which changes nothing that matters.
        if (second == Volatile.Read(ref _cachedSecond))
        {
            return Volatile.Read(ref _cachedSlot);
        }
        var index = (int)(((second % _slots) + _slots) % _slots);
        var seen = Volatile.Read(ref _slotSecond[index]);
        if (seen != second && Interlocked.CompareExchange(ref _slotSecond[index], second, seen) == seen)
        {
            Volatile.Write(ref _deposits[index], 0);
            Volatile.Write(ref _withdrawals[index], 0);
        }
        Volatile.Write(ref _cachedSlot, index);
        Volatile.Write(ref _cachedSecond, second);
        return index;
    }
}
