using System.Buffers;
using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>
/// A unary method. The handler runs inline on the read loop; when it completes synchronously (the
/// common case) the response is encoded straight away and flushed with the rest of the batch. A
/// handler that blocks loses the read loop to another thread (see <see cref="Shoal.Client.Native.Internal.InlineHandlerWatchdog"/>).
/// </summary>
internal sealed class UnaryMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler) : ServerMethod(method)
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
        var call = new SimpleServerCall(connection, this, start);
        Shoal.Telemetry.RpcMetrics.ServerMessage(FullName, Shoal.Telemetry.RpcMetrics.Native, request: true, message.Length);
        call.HoldRequestReservation();
        Task<TResponse> task;
        var inline = connection.EnterHandler(call);
        try
        {
            task = handler(request, call);
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
        connection.Register(call);
        call.ArmDeadline();
        _ = call.AwaitCompletion(task, method.ResponseMarshaller);
    }
}
