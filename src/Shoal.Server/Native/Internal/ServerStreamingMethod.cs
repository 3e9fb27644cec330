using System.Buffers;
using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>A server-streaming method: one inline request, a stream of responses under flow control.</summary>
internal sealed class ServerStreamingMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler) : ServerMethod(method)
    where TRequest : class
    where TResponse : class
{
    public override void Start(ServerConnection connection, in CallStartInfo start, in ReadOnlySequence<byte> message)
    {
        TRequest request;
        try
        {
            request = connection.Deserializer.Deserialize(method.RequestMarshaller, message);
        }
        catch (RpcException e)
        {
            connection.RefuseCall(start.Id, e.Status);
            return;
        }
        var call = new StreamingServerCall<TRequest, TResponse>(connection, this, start, method, hasRequestStream: false);
        call.HoldRequestReservation();
        connection.Register(call);
        Task task;
        var inline = connection.EnterHandler(call);
        try
        {
            task = handler(request, call.Responses, call);
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
