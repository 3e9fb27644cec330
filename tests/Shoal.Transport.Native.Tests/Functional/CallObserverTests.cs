using System.Collections.Concurrent;
using Grpc.Core;
using Hello;
using Shoal.Connections;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>Unary calls started through <see cref="IObservingCallInvoker"/> report their end once, before the caller sees it.</summary>
public sealed class CallObserverTests
{
    private sealed class RecordingObserver : IUnaryCallObserver
    {
        public ConcurrentQueue<(StatusCode Status, TimeSpan Elapsed)> Calls { get; } = new();

        public ConcurrentQueue<bool> ByCaller { get; } = new();

        public void OnUnaryCallCompleted(StatusCode status, TimeSpan elapsed, bool cancelledByCaller)
        {
            ByCaller.Enqueue(cancelledByCaller);
            Calls.Enqueue((status, elapsed));
        }
    }

    private static readonly Method<HelloRequest, HelloReply> SayHello = new(MethodType.Unary, "hello.Greeter", "SayHello",
        Marshallers.Create<HelloRequest>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), HelloRequest.Parser.ParseFrom),
        Marshallers.Create<HelloReply>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), HelloReply.Parser.ParseFrom));

    [Fact]
    public async Task ObservedCall_Succeeds_ReportedOnceWithOkBeforeTheCallerContinues()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var observing = Assert.IsAssignableFrom<IObservingCallInvoker>(connection.Invoker);
        var observer = new RecordingObserver();

        using var call = observing.AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "slow:30" }, observer);
        var reply = await call.ResponseAsync.Within();
        var seenAtContinuation = observer.Calls.Count;

        Assert.Equal("slow", reply.Message);
        Assert.Equal(1, seenAtContinuation);
        var (status, elapsed) = Assert.Single(observer.Calls);
        Assert.Equal(StatusCode.OK, status);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(25), $"elapsed {elapsed}");
    }

    [Fact]
    public async Task ObservedCall_DeadlinePasses_ReportedOnceWithDeadlineExceeded()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var observer = new RecordingObserver();

        using var call = ((IObservingCallInvoker)connection.Invoker).AsyncUnaryCall(SayHello, null,
            new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(50)), new HelloRequest { Name = "slow:5000" }, observer);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());
        call.Dispose();

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, Assert.Single(observer.Calls).Status);
    }

    [Fact]
    public async Task ObservedCall_ServerSendsCancelled_ReportedAsTheServers()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var observer = new RecordingObserver();

        using var call = ((IObservingCallInvoker)connection.Invoker).AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "cancelled" }, observer);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(StatusCode.Cancelled, Assert.Single(observer.Calls).Status);
        Assert.False(Assert.Single(observer.ByCaller));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ObservedCall_CallerCancelsOrDisposes_ReportedAsTheCallers(bool dispose)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var observer = new RecordingObserver();
        using var cancellation = new CancellationTokenSource();

        using var call = ((IObservingCallInvoker)connection.Invoker).AsyncUnaryCall(SayHello, null, new CallOptions(cancellationToken: cancellation.Token),
            new HelloRequest { Name = "slow:5000" }, observer);
        if (dispose)
        {
            call.Dispose();
        }
        else
        {
            await cancellation.CancelAsync();
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(StatusCode.Cancelled, Assert.Single(observer.Calls).Status);
        Assert.True(Assert.Single(observer.ByCaller));
    }

    [Fact]
    public async Task ObservedCall_NotTimed_ReportedWithANegativeElapsedTime()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        await connection.ConnectAsync().AsTask().Within();
        var observer = new RecordingObserver();

        using var call = ((IObservingCallInvoker)connection.Invoker).AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "Ann" }, observer, timed: false);
        var reply = await call.ResponseAsync.Within();

        Assert.Equal("Hello Ann", reply.Message);
        var (status, elapsed) = Assert.Single(observer.Calls);
        Assert.Equal(StatusCode.OK, status);
        Assert.True(elapsed < TimeSpan.Zero);
    }
}
