using System.Buffers;
using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>A bidirectional-streaming method: both directions are streams under flow control.</summary>
internal sealed class DuplexStreamingMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler) : ServerMethod(method)
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
        Task task;
        var inline = connection.EnterHandler(call);
        try
        {
            task = handler(call.Requests, call.Responses, call);
        }
        catch (Exception e)
        {
            connection.ExitHandler(inline);
            call.OnHandlerReturned();
            call.Fail(e);
            return;
        }
        connection.ExitHandler(inline);
        call.Finish(task);
    }
}
