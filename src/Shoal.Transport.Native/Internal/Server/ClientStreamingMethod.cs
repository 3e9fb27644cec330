using System.Buffers;
using Grpc.Core;

namespace Shoal.Transport.Native.Internal.Server;

/// <summary>A client-streaming method: a stream of requests under flow control, one response in the Trailers frame.</summary>
internal sealed class ClientStreamingMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler) : ServerMethod(method)
    where TRequest : class
    where TResponse : class
{
    public override void Start(ServerConnection connection, in CallStartInfo start, in ReadOnlySequence<byte> message)
    {
        var call = new StreamingServerCall<TRequest, TResponse>(connection, this, start, method, hasRequestStream: true);
        connection.Register(call);
        if (start.HasMessage)
        {
            call.OnMessage(message);
        }
        if (start.EndStream)
        {
            call.OnHalfClose();
        }
        Task<TResponse> task;
        try
        {
            task = handler(call.Requests, call);
        }
        catch (Exception e)
        {
            call.Fail(e);
            return;
        }
        if (task.IsCompleted)
        {
            call.CompleteFrom(task, method.ResponseMarshaller);
            return;
        }
        call.ArmDeadline();
        _ = call.AwaitCompletion(task, method.ResponseMarshaller);
    }
}
