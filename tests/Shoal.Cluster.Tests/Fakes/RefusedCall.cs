using Grpc.Core;
using Shoal.Connections;

namespace Shoal.Cluster.Tests.Fakes;

/// <summary>A refused call held open by <see cref="ObservingTestCallInvoker"/> while its observer sends it elsewhere.</summary>
internal sealed class RefusedCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request,
    Status refusal, TaskCompletionSource<TResponse> completion) : IRefusedUnaryCall<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    public Method<TRequest, TResponse> Method => method;

    public string? Host => host;

    public CallOptions Options => options;

    public TRequest Request => request;

    public Status Refusal => refusal;

    public void Complete(TResponse response, Metadata? headers, Metadata? trailers) => completion.TrySetResult(response);

    public void Fail(Status status, Metadata? trailers) => completion.TrySetException(new RpcException(status, trailers ?? []));
}
