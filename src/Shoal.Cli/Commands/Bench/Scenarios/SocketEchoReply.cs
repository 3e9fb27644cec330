using System.Threading.Tasks.Sources;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>One caller's awaitable reply on a <see cref="SocketEchoConnection"/>, reused call after call so a call allocates nothing.</summary>
internal sealed class SocketEchoReply : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;

    /// <summary>With <paramref name="runContinuationsAsynchronously"/> false the caller's continuation runs on the connection's receive loop, as the native client's default does.</summary>
    public SocketEchoReply(bool runContinuationsAsynchronously) => _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;

    /// <summary>Completes when the reply has arrived.</summary>
    public ValueTask Task => new(this, _core.Version);

    /// <summary>Ready for the next call (after the previous one's result was read).</summary>
    public void Reset() => _core.Reset();

    /// <summary>The reply arrived.</summary>
    public void Complete() => _core.SetResult(true);

    /// <summary>The connection failed before the reply arrived.</summary>
    public void Fail(Exception error) => _core.SetException(error);

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
