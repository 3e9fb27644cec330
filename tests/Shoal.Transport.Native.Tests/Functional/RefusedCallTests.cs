using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Connections;
using Shoal.Errors;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// Unary calls the server never started, observed by an <see cref="IRefusedCallObserver"/>: the
/// connection offers them back before the caller sees the refusal, and the caller's own call
/// object ends with whatever the observer gives it. A hand-written server sends the go-away that
/// refuses a call; a dial to a closed port refuses one before it is written.
/// </summary>
public sealed class RefusedCallTests
{
    private static readonly Method<HelloRequest, HelloReply> SayHello = new(MethodType.Unary, "hello.Greeter", "SayHello",
        Marshallers.Create<HelloRequest>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), HelloRequest.Parser.ParseFrom),
        Marshallers.Create<HelloReply>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), HelloReply.Parser.ParseFrom));

    /// <summary>Takes refused calls over (when <see cref="Take"/>) and ends them from another thread with <see cref="Answer"/>.</summary>
    private sealed class Redirector : IRefusedCallObserver
    {
        public bool Take { get; init; } = true;

        public Func<IRefusedUnaryCall<HelloRequest, HelloReply>, Task>? Answer { get; init; }

        public List<StatusCode> Completed { get; } = [];

        public List<(string Name, Status Refusal)> Offered { get; } = [];

        public void OnUnaryCallCompleted(StatusCode status, TimeSpan elapsed, bool cancelledByCaller)
        {
            lock (Completed)
            {
                Completed.Add(status);
            }
        }

        public bool TryRedirect<TRequest, TResponse>(IRefusedUnaryCall<TRequest, TResponse> call)
            where TRequest : class
            where TResponse : class
        {
            var refused = (IRefusedUnaryCall<HelloRequest, HelloReply>)(object)call;
            lock (Offered)
            {
                Offered.Add((refused.Request.Name, refused.Refusal));
            }
            if (Take && Answer is { } answer)
            {
                _ = Task.Run(() => answer(refused));
            }
            return Take;
        }
    }

    [Fact]
    public async Task CallAboveTheGoAwaysLastId_ObserverTakesItOver_TheCallerGetsItsAnswer()
    {
        var redirector = new Redirector { Answer = c => { c.Complete(new HelloReply { Message = "from elsewhere" }, null, null); return Task.CompletedTask; } };
        await using var server = RefusingServer.Start(out var address);
        await using var connection = TestClient.Connect(address);

        using var call = Observed(connection).AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "Ann" }, redirector);
        var reply = await call.ResponseAsync.Within();

        Assert.Equal("from elsewhere", reply.Message);
        var (name, refusal) = Assert.Single(redirector.Offered);
        Assert.Equal("Ann", name);
        Assert.True(CallNotStarted.Is(refusal), refusal.ToString());
        Assert.Equal([StatusCode.Unavailable], redirector.Completed);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task CallAboveTheGoAwaysLastId_ObserverDeclines_TheCallerSeesTheNeverStartedRefusal()
    {
        var redirector = new Redirector { Take = false };
        await using var server = RefusingServer.Start(out var address);
        await using var connection = TestClient.Connect(address);

        using var call = Observed(connection).AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "Bo" }, redirector);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(CallNotStarted.Is(error.Status), error.Status.ToString());
        Assert.Single(redirector.Offered);
        Assert.Equal([StatusCode.Unavailable], redirector.Completed);
    }

    [Fact]
    public async Task ConnectionInTransientFailure_CallIsOfferedBeforeItIsWritten_AndTheObserverCanFailIt()
    {
        var redirector = new Redirector { Answer = c => { c.Fail(new Status(StatusCode.NotFound, "nowhere else either"), null); return Task.CompletedTask; } };
        await using var connection = TestClient.Connect(new Uri($"shoal://127.0.0.1:{ClosedPort()}"), o => o.ReconnectBackoffInitial = TimeSpan.FromSeconds(30));
        using var stopConnecting = new CancellationTokenSource();
        var connecting = connection.ConnectAsync(stopConnecting.Token).AsTask();
        await Wait.UntilAsync(() => connection.State == ConnectionState.TransientFailure, "the dial to fail");

        using var call = Observed(connection).AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "Cy" }, redirector);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());
        await stopConnecting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.Within());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.True(CallNotStarted.Is(Assert.Single(redirector.Offered).Refusal));
    }

    [Fact]
    public async Task TakenOver_CallerDisposesFirst_EndsCancelledAndTheLateAnswerIsIgnored()
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var redirector = new Redirector
        {
            Answer = async c =>
            {
                await release.Task;
                c.Complete(new HelloReply { Message = "too late" }, null, null);
                answered.SetResult();
            },
        };
        await using var server = RefusingServer.Start(out var address);
        await using var connection = TestClient.Connect(address);

        var call = Observed(connection).AsyncUnaryCall(SayHello, null, default, new HelloRequest { Name = "Di" }, redirector);
        await Wait.UntilAsync(() => redirector.Offered.Count == 1, "the refusal to be offered");
        call.Dispose();
        release.SetResult();
        await answered.Task.Within();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        Assert.Equal([StatusCode.Unavailable], redirector.Completed);
    }

    private static IObservingCallInvoker Observed(IConnection connection) => Assert.IsAssignableFrom<IObservingCallInvoker>(connection.Invoker);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A server that answers the preface, reads the first CallStart and sends a go-away whose last id is below it.</summary>
    private sealed class RefusingServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serving;

        private RefusingServer(TcpListener listener)
        {
            _listener = listener;
            _serving = Task.Run(ServeAsync);
        }

        public static RefusingServer Start(out Uri address)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            address = new Uri($"shoal://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
            return new RefusingServer(listener);
        }

        private async Task ServeAsync()
        {
            using var socket = await _listener.AcceptSocketAsync();
            await socket.SendAsync(RawPeer.Frame(FrameType.Settings, FrameFlags.None, 0, []).AsMemory());
            var callId = await RawPeer.ReadUntilCallStartAsync(socket);
            var payload = new OutputBuffer();
            payload.WriteUInt32(callId - 1);
            payload.WriteUInt32((uint)GoAwayCode.NoError);
            payload.WriteString("shutting down");
            await socket.SendAsync(RawPeer.Frame(FrameType.GoAway, FrameFlags.None, 0, payload.WrittenMemory.Span).AsMemory());
            // Stays open, as a draining server does, until the test ends.
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer.AsMemory()) > 0)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
