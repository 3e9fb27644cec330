using Grpc.Core;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal;

/// <summary>
/// The outgoing stream of one call: each write waits for flow-control credit, then encodes one
/// Message frame into the connection's buffer. Serves as the server's response stream and the
/// client's request stream (whose <see cref="CompleteAsync"/> sends HalfClose).
/// </summary>
internal sealed class OutboundStream<T>(FrameWriter writer, uint callId, Marshaller<T> marshaller, int maxSize, SendWindow window, IOutboundOwner owner)
    : IServerStreamWriter<T>, IClientStreamWriter<T>
    where T : class
{
    private int _writing;
    private bool _halfClosed;

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
                Encode(message);
                return Task.CompletedTask;
            }
            catch (Exception e)
            {
                return Task.FromException(e);
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
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
            }
            catch (OperationCanceledException) when (owner.WriteError() is { } error)
            {
                throw error;
            }
            Encode(message);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    private void Encode(T message)
    {
        int size;
        lock (writer.SyncRoot)
        {
            if (writer.IsClosed)
            {
                throw owner.WriteError() ?? new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "The connection closed."));
            }
            var output = writer.Buffer;
            var start = output.BeginFrame(FrameType.Message, FrameFlags.None, callId);
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
        }
        window.Consume(size);
        writer.RequestFlush();
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
