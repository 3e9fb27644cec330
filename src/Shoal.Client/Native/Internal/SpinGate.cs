using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Mutual exclusion for critical sections of a few instructions that never wait (a queue operation and a
/// field or two, on a path taken once per message): taking it when it is free costs one compare-and-swap
/// and leaving it one store, a third of what a <see cref="Lock"/> costs. A contender spins, then yields,
/// then sleeps (<see cref="SpinWait"/>), so a holder that lost its core gets it back. Not reentrant; never
/// held across a wait, a callback or the application's code. A field, never copied. Held as a
/// <c>lock</c> is: <c>using (_gate.Hold()) { … }</c>.
/// </summary>
internal struct SpinGate
{
    private int _held;

    /// <summary>Takes the gate, waiting while another thread holds it.</summary>
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }
    }

    /// <summary>Gives the gate back; only its holder calls this.</summary>
    public void Exit() => Volatile.Write(ref _held, 0);

    /// <summary>Takes the gate until the returned scope is disposed.</summary>
    [UnscopedRef]
    public Scope Hold()
    {
        Enter();
        return new Scope(ref this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended()
    {
        var spin = new SpinWait();
        do
        {
            spin.SpinOnce();
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    /// <summary>The gate held: disposing it gives the gate back.</summary>
    public readonly ref struct Scope
    {
        private readonly ref SpinGate _gate;

        internal Scope(ref SpinGate gate) => _gate = ref gate;

        public void Dispose() => _gate.Exit();
    }
}
