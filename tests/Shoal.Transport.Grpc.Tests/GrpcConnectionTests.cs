using Hello;
using Shoal.Client.Grpc;
using Shoal.Connections;
using Shoal.Transport.Grpc.Tests.Infrastructure;

namespace Shoal.Transport.Grpc.Tests;

public sealed class GrpcConnectionTests
{
    [Fact]
    public async Task Connection_ServerUpThenGone_ReadyThenTransientFailure()
    {
        await using var host = await GreeterGrpcHost.StartAsync();
        await using var connection = new GrpcConnectionFactory().Create(new Uri(host.Target));
        var states = new ConnectionStateRecorder(connection);

        await connection.ConnectAsync().AsTask().WaitAsync(GreeterGrpcHost.Timeout);
        Assert.Equal(ConnectionState.Ready, connection.State);
        var reply = await new Greeter.GreeterClient(connection.Invoker).SayHelloAsync(new HelloRequest { Name = "c" }, deadline: DateTime.UtcNow.Add(GreeterGrpcHost.Timeout));
        Assert.Equal("Hello c", reply.Message);

        await host.DisposeAsync();

        await states.WaitForAsync(ConnectionState.TransientFailure, GreeterGrpcHost.Timeout);
    }

    [Fact]
    public async Task Connection_ServerComesBackOnTheSamePort_ReconnectsWithoutACall()
    {
        await using var host = await GreeterGrpcHost.StartAsync();
        var port = new Uri(host.Target).Port;
        await using var connection = new GrpcConnectionFactory().Create(new Uri(host.Target));
        var states = new ConnectionStateRecorder(connection);
        await connection.ConnectAsync().AsTask().WaitAsync(GreeterGrpcHost.Timeout);

        await host.DisposeAsync();
        await states.WaitForAsync(ConnectionState.TransientFailure, GreeterGrpcHost.Timeout);
        await using var restarted = await GreeterGrpcHost.StartAsync(port);
        states.Clear();

        // No call is made: the connection dials again by itself (grpc-dotnet's backoff starts at about 1 s).
        await states.WaitForAsync(ConnectionState.Ready, GreeterGrpcHost.Timeout);
        var reply = await new Greeter.GreeterClient(connection.Invoker).SayHelloAsync(new HelloRequest { Name = "back" }, deadline: DateTime.UtcNow.Add(GreeterGrpcHost.Timeout));
        Assert.Equal("Hello back", reply.Message);
    }

    [Fact]
    public async Task Connection_Disposed_IsShutdown()
    {
        await using var host = await GreeterGrpcHost.StartAsync();
        var connection = new GrpcConnectionFactory().Create(new Uri(host.Target));
        await connection.ConnectAsync().AsTask().WaitAsync(GreeterGrpcHost.Timeout);

        await connection.DisposeAsync();

        Assert.Equal(ConnectionState.Shutdown, connection.State);
    }

    [Fact]
    public async Task Connection_NothingListening_ConnectNeverReportsReady()
    {
        await using var connection = new GrpcConnectionFactory(new GrpcClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1) })
            .Create(new Uri($"http://127.0.0.1:{ClosedPort.Next()}"));
        var states = new ConnectionStateRecorder(connection);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await connection.ConnectAsync(cancel.Token));

        await states.WaitForAsync(ConnectionState.TransientFailure, GreeterGrpcHost.Timeout);
        Assert.NotEqual(ConnectionState.Ready, connection.State);
    }
}
