using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Internal;

namespace Shoal.Server.Native.Internal;

/// <summary>A call with a response stream, a request stream, or both.</summary>
internal sealed class StreamingServerCall<TRequest, TResponse> : ServerCall, IOutboundOwner
    where TRequest : class
    where TResponse : class
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly ReceiveWindow _receive;
    private readonly SendWindow _send;
    private readonly InboundStream<TRequest>? _requests;

    public StreamingServerCall(ServerConnection connection, ServerMethod definition, in CallStartInfo start, Method<TRequest, TResponse> method, bool hasRequestStream)
        : base(connection, definition, start.Id, start.Host, start.Deadline, start.Headers)
    {
        _method = method;
        _send = new SendWindow(connection.PeerInitialWindow);
        _receive = new ReceiveWindow(connection.Options.StreamWindowSize, connection.Options.MaxReceiveMessageSize);
        if (hasRequestStream)
        {
            _requests = new InboundStream<TRequest>(connection.Writer, start.Id, _receive, connection.ConnectionReceiveWindow, connection);
        }
        Responses = new OutboundStream<TResponse>(connection.Writer, start.Id, method.ResponseMarshaller, connection.Options.MaxSendMessageSize, _send, connection.ConnectionSendWindow, this);
    }

    public IAsyncStreamReader<TRequest> Requests => _requests ?? throw new InvalidOperationException("This call has no request stream.");

    public OutboundStream<TResponse> Responses { get; }

    public CancellationToken CallToken => CancellationToken;

    public Exception? WriteError() => IsCompleted
        ? new InvalidOperationException("The call is already finished; no more responses can be written.")
        : null;

    public void OnMessageEncoded() => HeadersSent = true;

    public override bool OnMessage(in ReadOnlySequence<byte> payload, bool inline)
    {
        if (_requests is null)
        {
            return base.OnMessage(payload, inline);
        }
        var size = (int)payload.Length;
        _receive.OnReceived(size);
        TRequest request;
        try
        {
            request = Connection.Deserializer.Deserialize(_method.RequestMarshaller, payload);
        }
        catch (RpcException e)
        {
            Complete(e.Status);
            return false;
        }
        // The sender spent no credit on a message inside its CallStart: reading it grants none back.
        return _requests.Enqueue(request, size, grant: !inline);
    }

    public override void OnHalfClose() => _requests?.Complete();

    public override void OnWindowUpdate(uint credit) => _send.Add(credit);

    protected override void OnAborted()
    {
        var error = new OperationCanceledException("The call was cancelled or has finished.");
        _requests?.Fail(error, dropQueued: true);
        _send.Fail(error);
    }

    /// <summary>Completes the call when a streaming handler's task ends.</summary>
    public void Finish(Task task)
    {
        if (task.IsCompleted)
        {
            OnHandlerReturned();
            CompleteFrom(task);
            return;
        }
        ArmDeadline();
        _ = AwaitCompletion(task);
    }
}
