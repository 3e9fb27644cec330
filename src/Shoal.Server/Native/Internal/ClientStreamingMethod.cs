using System.Buffers;
using Grpc.Core;

namespace Shoal.Server.Native.Internal;

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
            connection.DeliverMessage(call, message, inline: true);
        }
        if (start.EndStream)
        {
            call.OnHalfClose();
        }
        Task<TResponse> task;
        var inline = connection.EnterHandler(call);
        try
        {
            task = handler(call.Requests, call);
        }
        catch (Exception e)
        {
            connection.ExitHandler(inline);
            call.OnHandlerReturned();
            call.Fail(e);
            return;
        }
        connection.ExitHandler(inline);
        if (task.IsCompleted)
        {
            call.OnHandlerReturned();
            call.CompleteFrom(task, method.ResponseMarshaller);
            return;
        }
        call.ArmDeadline();
        _ = call.AwaitCompletion(task, method.ResponseMarshaller);
    }
}
