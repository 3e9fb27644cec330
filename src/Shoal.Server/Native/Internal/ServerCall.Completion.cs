using Grpc.Core;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Errors;

namespace Shoal.Server.Native.Internal;

internal abstract partial class ServerCall
{
    private const string DetailTooLong = "The status detail exceeds the 32 KiB limit of the native protocol.";

    /// <summary>Ends the call with <paramref name="status"/> and no message.</summary>
    public void Complete(Status status) => Complete<object>(status, null, null);

    /// <summary>Ends the call with what the handler threw.</summary>
    public void Fail(Exception exception)
    {
        // The deadline timer cancels the token before its own completion runs: a handler that stopped
        // on that token may get here first, and must still end with DeadlineExceeded. The timer counts
        // whole milliseconds and may fire a little before the wall clock reaches the deadline, so a
        // cancelled token that neither the client nor completion cancelled is the deadline's too.
        var tokenCancelled = Volatile.Read(ref _cts) is { IsCancellationRequested: true };
        var expired = _deadlineExceeded
            || (HandlerExceptions.IsCancellation(exception) && !_cancelRequested
                && (_deadline <= DateTime.UtcNow || (tokenCancelled && _deadline != DateTime.MaxValue)));
        var status = HandlerExceptions.ToStatus(exception, expired, _cancelRequested, Connection.Options.EnableDetailedErrors);
        if (exception is RpcException { Trailers.Count: > 0 } rpc)
        {
            foreach (var entry in rpc.Trailers)
            {
                ResponseTrailersCore.Add(entry);
            }
        }
        if (status.StatusCode == StatusCode.Unknown)
        {
            Connection.Log.HandlerFailed(Definition.FullName, exception);
        }
        Complete(status);
    }

    /// <summary>
    /// Ends the call: one Trailers frame with the status, the trailers, the headers when none went
    /// out yet, and <paramref name="message"/> when there is one. Only the first completion counts.
    /// With <paramref name="requireRoom"/>, does nothing and returns false while the connection's
    /// output is over its limit (the caller waits for room and tries again); otherwise returns true.
    /// </summary>
    public bool Complete<T>(Status status, T? message, Marshaller<T>? marshaller, bool requireRoom = false)
        where T : class
    {
        if (IsCompleted)
        {
            return true;
        }
        var writer = Connection.Writer;
        lock (writer.SyncRoot)
        {
            if (requireRoom && !writer.HasRoom && !writer.IsClosed)
            {
                return false;
            }
            if (!MarkCompleted())
            {
                return true;
            }
            if (!writer.IsClosed)
            {
                WriteTrailers(writer, status, message, marshaller);
            }
        }
        Connection.Options.CallObserver?.OnCallCompleted(_observerToken, status.StatusCode);
        StopActivity(status);
        writer.RequestFlush();
        Connection.Unregister(this);
        // The token first: a handler woken by its failed streams then already sees it cancelled.
        CancelToken();
        OnAborted();
        return true;
    }

    private void WriteTrailers<T>(FrameWriter writer, Status status, T? message, Marshaller<T>? marshaller)
        where T : class
    {
        var output = writer.Buffer;
        var flags = HeadersSent ? FrameFlags.None : FrameFlags.HasHeaders;
        var start = output.BeginFrame(FrameType.Trailers, flags, Id);
        if (!HeadersSent)
        {
            output.WriteByte(0);
            HeadersSent = true;
        }
        var statusStart = output.Length;
        if (WriteStatus(output, status, _responseTrailers) is { } replacement)
        {
            // A detail or trailers the client would take for a protocol error: this call fails instead.
            output.Rollback(statusStart);
            status = replacement;
            WriteStatus(output, status, null);
        }
        if (message is not null && marshaller is not null && status.StatusCode == StatusCode.OK)
        {
            try
            {
                var messageStart = output.Length;
                writer.Serializer.Serialize(output, marshaller, message, Connection.Options.MaxSendMessageSize);
                Shoal.Telemetry.RpcMetrics.ServerMessage(Definition.FullName, Shoal.Telemetry.RpcMetrics.Native, request: false, output.Length - messageStart);
                output.SetFlags(start, flags | FrameFlags.HasMessage);
            }
            catch (Exception e)
            {
                output.Rollback(statusStart);
                var failure = e is RpcException rpc ? rpc.Status : HandlerExceptions.ToStatus(e);
                WriteStatus(output, failure, _responseTrailers);
            }
        }
        output.EndFrame(start);
    }

    /// <summary>
    /// Writes status code, detail and trailers. Returns null, or the status the call must end with
    /// instead when the detail (Internal) or the trailers (ResourceExhausted) are over the protocol's limits.
    /// </summary>
    private static Status? WriteStatus(OutputBuffer output, Status status, Metadata? trailers)
    {
        output.WriteVarint((uint)status.StatusCode);
        var detailStart = output.Length;
        output.WriteString(status.Detail);
        if (output.Length - detailStart > ProtocolConstants.MaxMetadataSize + 3)
        {
            return new Status(StatusCode.Internal, DetailTooLong);
        }
        return MetadataCodec.Write(output, trailers) ? null : new Status(StatusCode.ResourceExhausted, MetadataTooLargeException.ResponseDetail);
    }

    /// <summary>Completes a unary or client-streaming call from its handler's finished task.</summary>
    public void CompleteFrom<TResponse>(Task<TResponse> task, Marshaller<TResponse> marshaller)
        where TResponse : class
    {
        if (task.IsCompletedSuccessfully)
        {
            var status = _status;
            Complete(status.StatusCode == StatusCode.OK ? Status.DefaultSuccess : status, task.Result, marshaller);
        }
        else
        {
            Fail(task.Exception?.InnerException ?? new TaskCanceledException(task));
        }
    }

    /// <summary>Completes a server-streaming or duplex call from its handler's finished task.</summary>
    public void CompleteFrom(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            var status = _status;
            Complete(status.StatusCode == StatusCode.OK ? Status.DefaultSuccess : status);
        }
        else
        {
            Fail(task.Exception?.InnerException ?? new TaskCanceledException(task));
        }
    }

    /// <summary>
    /// Completes a unary or client-streaming call whose handler went asynchronous. Its response waits
    /// for room in the connection's output like a streaming write (bounded by the call's deadline and
    /// cancellation, which end the call another way), so a client that sends calls but does not read
    /// the answers cannot make the server buffer them.
    /// </summary>
    public async Task AwaitCompletion<TResponse>(Task<TResponse> task, Marshaller<TResponse> marshaller)
        where TResponse : class
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            // Reported by CompleteFrom through the task.
        }
        OnHandlerReturned();
        if (!task.IsCompletedSuccessfully)
        {
            CompleteFrom(task, marshaller);
            return;
        }
        var status = _status.StatusCode == StatusCode.OK ? Status.DefaultSuccess : _status;
        while (!Complete(status, task.Result, marshaller, requireRoom: true))
        {
            try
            {
                await Connection.Writer.WaitForRoomAsync(CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Only the client (the call is already over) or the deadline cancel the token; the
                // deadline's own completion may not have run yet.
                _deadlineExceeded = true;
                Complete(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
            }
        }
    }

    public async Task AwaitCompletion(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            // Reported by CompleteFrom through the task.
        }
        OnHandlerReturned();
        CompleteFrom(task);
    }
}
