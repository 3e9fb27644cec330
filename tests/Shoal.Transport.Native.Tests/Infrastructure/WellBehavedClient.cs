using Grpc.Core;
using Hello;
using Grpc.Net.Client;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// A client (native, or grpc-dotnet's on the gRPC port) calling SayHello in a loop (one call at a time, each with a generous deadline)
/// while a test attacks the server, counting answers and keeping every failure.
/// </summary>
public sealed class WellBehavedClient : IAsyncDisposable
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);

    private readonly IAsyncDisposable _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private Task _loop = Task.CompletedTask;
    private int _answers;

    private WellBehavedClient(IAsyncDisposable connection) => _connection = connection;

    /// <summary>Answers received so far.</summary>
    public int Answers => Volatile.Read(ref _answers);

    /// <summary>Connects, makes one call, then keeps calling until disposed.</summary>
    public static Task<WellBehavedClient> StartAsync(Uri address)
    {
        var connection = TestClient.Connect(address);
        return StartAsync(connection, connection.Greeter());
    }

    /// <summary>The same over HTTP/2 cleartext with grpc-dotnet's client, on a server's gRPC port.</summary>
    public static Task<WellBehavedClient> StartGrpcAsync(int port)
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        return StartAsync(new DisposeChannel(channel), new Greeter.GreeterClient(channel));
    }

    private static async Task<WellBehavedClient> StartAsync(IAsyncDisposable connection, Greeter.GreeterClient greeter)
    {
        var client = new WellBehavedClient(connection);
        await greeter.SayHelloAsync(new HelloRequest { Name = "first" }, deadline: DateTime.UtcNow + CallDeadline).ResponseAsync.Within(CallDeadline);
        client._loop = Task.Run(() => client.RunAsync(greeter));
        return client;
    }

    /// <summary>Waits until <paramref name="more"/> further answers arrived (the client keeps being served).</summary>
    public Task WaitForMoreAnswersAsync(int more = 5)
    {
        var target = Answers + more;
        return Wait.UntilAsync(() => Answers >= target || Failures.Count > 0, $"the well-behaved client got {more} more answers", TimeSpan.FromSeconds(30));
    }

    /// <summary>Every failed call, with its status.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(CallDeadline + TimeSpan.FromSeconds(5));
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(Greeter.GreeterClient greeter)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await greeter.SayHelloAsync(new HelloRequest { Name = "good" }, deadline: DateTime.UtcNow + CallDeadline);
                Interlocked.Increment(ref _answers);
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                lock (_failures)
                {
                    _failures.Add($"{e.StatusCode}: {e.Status.Detail}");
                }
            }
        }
    }

    private sealed class DisposeChannel(GrpcChannel channel) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            channel.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
