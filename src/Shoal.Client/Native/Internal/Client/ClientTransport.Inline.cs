namespace Shoal.Client.Native.Internal.Client;

/// <summary>
/// Inline continuations without the deadlock: responses (and stream messages) a read batch completes
/// run their callers' continuations on the read loop (no thread hop, and the calls and messages they
/// send are flushed with the batch), after the batch is parsed and the input advanced; a continuation that blocks (on another
/// call of this connection, say) loses the read loop to a thread-pool thread, as a server's blocking
/// handler does (see <see cref="InlineHandlerWatchdog"/>).
/// </summary>
/// <remarks>
/// Ownership of the loop is a generation number in <see cref="_loopState"/> (the phase in its two low
/// bits). While a completion runs, the rest of the batch's completions wait in <see cref="_deferred"/>
/// and the input is already advanced, so that list is all a successor needs. When the watchdog finds
/// the same completion running on two checks, it moves the state to the next generation, takes the
/// completions not yet run, lets the writer flush what the blocked thread writes, and queues a new
/// read loop; the blocked thread, once its continuation returns, sees a newer generation and leaves.
/// </remarks>
internal sealed partial class ClientTransport : IInlineHandlerHost
{
    private const int Reading = 0;
    private const int InCompletion = 1;

    [ThreadStatic]
    private static ClientTransport? t_decoding;

    private bool _inlineCompletions;
    private List<(IDeferredCompletion Completion, object? State)> _deferred = [];
    private int _nextDeferred;
    private int _loopState;
    private int _completionEpoch;
    private int _sampledState = -1;
    private int _sampledEpoch;

    /// <summary>The host for inline stream-message completions: this transport, unless continuations run asynchronously.</summary>
    public IInlineHandlerHost? InlineHost => _inlineCompletions ? this : null;

    /// <summary>
    /// Called where a call's response task (or a stream's next message) would complete: on this
    /// transport's read loop, with inline continuations, the completion is put off until the batch is
    /// parsed (true); anywhere else, false.
    /// </summary>
    public bool TryCompleteInline(IDeferredCompletion completion, object? state)
    {
        if (t_decoding != this)
        {
            return false;
        }
        _deferred.Add((completion, state));
        return true;
    }

    /// <summary>Parses one read's frames; with inline continuations, completions found meanwhile wait for <see cref="RunDeferred"/>.</summary>
    private void DecodeBatch(ref System.Buffers.ReadOnlySequence<byte> buffer)
    {
        if (!_inlineCompletions)
        {
            _decoder.DecodeBatch(ref buffer, Writer, this);
            return;
        }
        t_decoding = this;
        try
        {
            _decoder.DecodeBatch(ref buffer, Writer, this);
        }
        finally
        {
            t_decoding = null;
        }
    }

    /// <summary>Runs the completions put off by the batch; false when the loop was handed over meanwhile (this thread must leave it).</summary>
    private bool RunDeferred(int generation)
    {
        var deferred = _deferred;
        if (deferred.Count == 0)
        {
            return true;
        }
        Writer.BeginBatch();
        var reading = generation << 2;
        var running = reading | InCompletion;
        for (var i = 0; i < deferred.Count; i++)
        {
            _nextDeferred = i + 1;
            Volatile.Write(ref _completionEpoch, _completionEpoch + 1);
            Volatile.Write(ref _loopState, running);
            var (completion, state) = deferred[i];
            completion.CompleteDeferred(state);
            if (Interlocked.CompareExchange(ref _loopState, reading, running) != running)
            {
                // Handed over while the continuation blocked: the successor owns the loop and the rest.
                Writer.EndBatch();
                return false;
            }
        }
        deferred.Clear();
        Writer.EndBatch();
        return true;
    }

    /// <inheritdoc/>
    public bool CheckInlineHandler()
    {
        var state = Volatile.Read(ref _loopState);
        var epoch = Volatile.Read(ref _completionEpoch);
        if ((state & 3) != InCompletion || state != _sampledState || epoch != _sampledEpoch)
        {
            _sampledState = state;
            _sampledEpoch = epoch;
            return (state & 3) == InCompletion;
        }
        // The same continuation has run for a whole period: give the loop to a new generation.
        var next = ((state >> 2) + 1) << 2;
        if (Interlocked.CompareExchange(ref _loopState, next, state) != state)
        {
            return false;
        }
        _sampledState = -1;
        var deferred = _deferred;
        var rest = deferred.GetRange(_nextDeferred, deferred.Count - _nextDeferred);
        _deferred = rest;
        Writer.AbandonBatches();
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.transport.RunReadLoopAsync(s.generation), (transport: this, generation: next >> 2), preferLocal: false);
        return false;
    }
}
