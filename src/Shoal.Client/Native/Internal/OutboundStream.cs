using Grpc.Core;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// The outgoing stream of one call: each write waits for the call's flow-control credit, for the
/// connection's credit (when the peer grants one) and for room in the connection's output buffer,
/// then encodes one Message frame, flushed with the read batch it was written in or else with the
/// messages written before the flush it scheduled runs (<see cref="FrameWriter.RequestStreamFlush"/>). Serves as the server's response stream and the client's request
/// stream (whose <see cref="CompleteAsync"/> sends HalfClose).
/// </summary>
/// <remarks>
/// The connection credit and the output room are checked and the frame encoded under the writer's
/// lock, so concurrent writers of many calls pass either bound by at most one message in total.
/// </remarks>
internal sealed class OutboundStream<T>(FrameWriter writer, uint callId, Marshaller<T> marshaller, int maxSize, SendWindow window, SendWindow? connectionWindow, IOutboundOwner owner)
    : IServerStreamWriter<T>, IClientStreamWriter<T>
    where T : class
{
    private int _writing;
    private bool _halfClosed;

    private enum Blocked
    {
        None,
        ConnectionWindow,
        OutputFull,
    }

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (owner.WriteError() is { } error)
        {
            return Task.FromException(error);
        }
        if (_halfClosed)
        {
            return Task.FromException(new InvalidOperationException("The request stream was already completed."));
        }
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            return Task.FromException(new InvalidOperationException("Only one write can be pending at a time."));
        }
        var wait = window.WaitAsync(owner.CallToken);
        if (wait.IsCompletedSuccessfully)
        {
            try
            {
                if (TryEncode(message) == Blocked.None)
                {
                    Volatile.Write(ref _writing, 0);
                    return Task.CompletedTask;
                }
            }
            catch (Exception e)
            {
                Volatile.Write(ref _writing, 0);
                return Task.FromException(e);
            }
        }
        return WriteSlowAsync(wait, message, cancellationToken);
    }

    private async Task WriteSlowAsync(ValueTask wait, T message, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await wait.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    var blocked = TryEncode(message);
                    if (blocked == Blocked.None)
                    {
                        return;
                    }
                    var next = blocked == Blocked.ConnectionWindow
                        ? connectionWindow!.WaitAsync(owner.CallToken).AsTask()
                        : writer.WaitForRoomAsync(owner.CallToken);
                    await next.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (owner.WriteError() is { } error)
            {
                throw error;
            }
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    /// <summary>Encodes the message when the connection has credit and room; otherwise says what to wait for.</summary>
    private Blocked TryEncode(T message)
    {
        lock (writer.SyncRoot)
        {
            if (writer.IsClosed)
            {
                throw owner.WriteError() ?? new RpcException(new Status(StatusCode.Unavailable, "The connection closed."));
            }
            if (connectionWindow is { Credit: <= 0 })
            {
                return Blocked.ConnectionWindow;
            }
            if (!writer.HasRoom)
            {
                return Blocked.OutputFull;
            }
            var output = writer.Buffer;
            var start = output.BeginFrame(FrameType.Message, FrameFlags.None, callId);
            int size;
            try
            {
                size = writer.Serializer.Serialize(output, marshaller, message, maxSize);
            }
            catch
            {
                output.Rollback(start);
                throw;
            }
            output.EndFrame(start);
            owner.OnMessageEncoded();
            window.Consume(size);
            connectionWindow?.Consume(size);
        }
        writer.RequestStreamFlush();
        return Blocked.None;
    }

    /// <summary>Client side: no more requests (one HalfClose frame).</summary>
    public Task CompleteAsync()
    {
        if (_halfClosed)
        {
            return Task.CompletedTask;
        }
        _halfClosed = true;
        if (owner.WriteError() is not null)
        {
            return Task.CompletedTask;
        }
        lock (writer.SyncRoot)
        {
            if (!writer.IsClosed)
            {
                writer.Buffer.WriteEmptyFrame(FrameType.HalfClose, FrameFlags.None, callId);
            }
        }
        writer.RequestFlush();
        return Task.CompletedTask;
    }
}
