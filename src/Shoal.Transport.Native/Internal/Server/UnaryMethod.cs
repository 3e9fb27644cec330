using System.Buffers;
using Grpc.Core;

namespace Shoal.Transport.Native.Internal.Server;

/// <summary>
/// A unary method. The handler runs inline on the read loop; when it completes synchronously (the
/// common case) the response is encoded straight away and flushed with the rest of the batch.
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
        Task<TResponse> task;
        try
        {
            task = handler(request, call);
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
        connection.Register(call);
        call.ArmDeadline();
        _ = call.AwaitCompletion(task, method.ResponseMarshaller);
    }
}
