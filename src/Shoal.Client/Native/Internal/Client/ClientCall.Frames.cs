using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal.Client;

internal sealed partial class ClientCall<TRequest, TResponse>
{
    private InboundStream<TResponse>? _responses;
    private ReceiveWindow? _receive;
    private OutboundStream<TRequest>? _requests;
    private SendWindow? _send;
    private TaskCompletionSource? _started;

    public uint Id => Volatile.Read(ref _id);

    public void OnStarted(ClientTransport transport, uint id)
    {
        _id = id;
        if (_method.Type is MethodType.ServerStreaming or MethodType.DuplexStreaming)
        {
            _receive = new ReceiveWindow(transport.Options.StreamWindowSize, transport.Options.MaxReceiveMessageSize);
            _responses = new InboundStream<TResponse>(transport.Writer, id, _receive, transport.ConnectionReceiveWindow, transport.InlineHost);
        }
        if (_method.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming)
        {
            _send = new SendWindow(transport.PeerInitialWindow);
            _requests = new OutboundStream<TRequest>(transport.Writer, id, _method.RequestMarshaller, transport.Options.MaxSendMessageSize, _send, transport.ConnectionSendWindow, this);
        }
    }

    public void OnResponseHeaders(in ReadOnlySequence<byte> payload)
    {
        var reader = new PayloadReader(payload);
        Metadata? headers;
        try
        {
            headers = MetadataCodec.Read(ref reader);
        }
        catch (MetadataTooLargeException)
        {
            Cancel(StatusCode.ResourceExhausted, MetadataTooLargeException.ResponseDetail);
            return;
        }
        SetHeaders(headers);
    }

    private void SetHeaders(Metadata? headers)
    {
        TaskCompletionSource<Metadata>? waiter;
        lock (this)
        {
            if (_headersReceived)
            {
                return;
            }
            _headers = headers;
            _headersReceived = true;
            waiter = _headersTask;
        }
        waiter?.TrySetResult(headers ?? []);
    }

    public bool OnMessage(in ReadOnlySequence<byte> payload)
    {
        if (_responses is null || _receive is null)
        {
            Cancel(StatusCode.Internal, "The server sent a stream message on a call with a single response.");
            return false;
        }
        var size = (int)payload.Length;
        _receive.OnReceived(size);
        TResponse message;
        try
        {
            message = _transport!.Deserializer.Deserialize(_method.ResponseMarshaller, payload);
        }
        catch (RpcException e)
        {
            Cancel(e.StatusCode, e.Status.Detail);
            return false;
        }
        if (!Volatile.Read(ref _headersReceived))
        {
            SetHeaders(null);
        }
        return _responses.Enqueue(message, size);
    }

    public void OnOversizedMessage() => Cancel(StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge);

    public void OnTrailers(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        var reader = new PayloadReader(payload);
        Metadata? trailers;
        StatusCode code;
        string detail;
        try
        {
            if (header.Has(FrameFlags.HasHeaders))
            {
                SetHeaders(MetadataCodec.Read(ref reader));
            }
            code = (StatusCode)reader.ReadVarint();
            detail = reader.ReadString(ProtocolConstants.MaxMetadataSize);
            trailers = MetadataCodec.Read(ref reader);
        }
        catch (MetadataTooLargeException)
        {
            // One bad call fails one call: the server's oversized metadata ends this call only.
            TryFinish(new Status(StatusCode.ResourceExhausted, MetadataTooLargeException.ResponseDetail), null, null, dropQueued: true);
            return;
        }
        var status = new Status(code, detail);
        TResponse? response = null;
        if (header.Has(FrameFlags.HasMessage))
        {
            var message = reader.Rest;
            if (message.Length > _transport!.Options.MaxReceiveMessageSize)
            {
                status = new Status(StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge);
            }
            else
            {
                try
                {
                    response = _transport.Deserializer.Deserialize(_method.ResponseMarshaller, message);
                }
                catch (RpcException e)
                {
                    status = e.Status;
                }
            }
        }
        TryFinish(status, trailers, response, dropQueued: false);
    }

    public void OnWindowUpdate(uint credit) => _send?.Add(credit);

    private void OnFinished(Status status, Metadata? trailers, bool dropQueued)
    {
        if (status.StatusCode == StatusCode.OK)
        {
            _responses?.Complete();
        }
        else
        {
            _responses?.Fail(new RpcException(status, trailers ?? []), dropQueued);
        }
        _send?.Fail(WriteError() ?? new RpcException(status));
        _started?.TrySetResult();
    }
}
