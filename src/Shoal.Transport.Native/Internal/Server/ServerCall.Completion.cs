using Grpc.Core;
using Shoal.Status;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal.Server;

internal abstract partial class ServerCall
{
    /// <summary>Ends the call with <paramref name="status"/> and no message.</summary>
    public void Complete(Grpc.Core.Status status) => Complete<object>(status, null, null);

    /// <summary>Ends the call with what the handler threw.</summary>
    public void Fail(Exception exception)
    {
        var status = HandlerExceptions.ToStatus(exception, _deadlineExceeded, _cancelRequested, Connection.Options.EnableDetailedErrors);
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
    /// </summary>
    public void Complete<T>(Grpc.Core.Status status, T? message, Marshaller<T>? marshaller)
        where T : class
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }
        Connection.Options.CallObserver?.OnCallCompleted(_observerToken, status.StatusCode);
        var writer = Connection.Writer;
        lock (writer.SyncRoot)
        {
            if (!writer.IsClosed)
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
                WriteStatus(output, status);
                if (message is not null && marshaller is not null && status.StatusCode == StatusCode.OK)
                {
                    try
                    {
                        writer.Serializer.Serialize(output, marshaller, message, Connection.Options.MaxSendMessageSize);
                        output.SetFlags(start, flags | FrameFlags.HasMessage);
                    }
                    catch (Exception e)
                    {
                        output.Rollback(statusStart);
                        var failure = e is RpcException rpc ? rpc.Status : HandlerExceptions.ToStatus(e);
                        WriteStatus(output, failure);
                    }
                }
                output.EndFrame(start);
            }
        }
        writer.RequestFlush();
        Connection.Unregister(this);
        OnAborted();
        CancelToken();
    }

    private void WriteStatus(OutputBuffer output, Grpc.Core.Status status)
    {
        output.WriteVarint((uint)status.StatusCode);
        output.WriteString(status.Detail);
        MetadataCodec.Write(output, _responseTrailers);
    }

    /// <summary>Completes a unary or client-streaming call from its handler's finished task.</summary>
    public void CompleteFrom<TResponse>(Task<TResponse> task, Marshaller<TResponse> marshaller)
        where TResponse : class
    {
        if (task.IsCompletedSuccessfully)
        {
            var status = _status;
            Complete(status.StatusCode == StatusCode.OK ? Grpc.Core.Status.DefaultSuccess : status, task.Result, marshaller);
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
            Complete(status.StatusCode == StatusCode.OK ? Grpc.Core.Status.DefaultSuccess : status);
        }
        else
        {
            Fail(task.Exception?.InnerException ?? new TaskCanceledException(task));
        }
    }

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
        CompleteFrom(task, marshaller);
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
        CompleteFrom(task);
    }
}
