using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>The client's receive paths: Shoal's receive engine (the default on Linux) and the runtime's asynchronous socket I/O, each with and without the poll for expected replies, and the dedicated receive thread.</summary>
public sealed class ReceiveModeTests
{
    [Theory]
    [InlineData("engine")]
    [InlineData("engine, no poll")]
    [InlineData("dedicated")]
    [InlineData("async")]
    [InlineData("async, no poll")]
    public async Task UnaryCalls_SequentialAndConcurrent_SucceedInEveryReceiveMode(string mode)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => Configure(o, mode));
        var client = connection.Greeter();

        for (var i = 0; i < 50; i++)
        {
            var reply = await client.SayHelloAsync(new HelloRequest { Name = "s" + i }).ResponseAsync.Within();
            Assert.Equal("Hello s" + i, reply.Message);
        }
        var replies = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => client.SayHelloAsync(new HelloRequest { Name = "c" + i }).ResponseAsync)).Within();

        Assert.Equal("Hello c199", replies[199].Message);
    }

    [Theory]
    [InlineData("engine")]
    [InlineData("engine, no poll")]
    [InlineData("dedicated")]
    [InlineData("async")]
    [InlineData("async, no poll")]
    public async Task LargeMessages_BothWaysAtOnce_AllArriveInEveryReceiveMode(string mode)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => Configure(o, mode));
        var name = new string('x', 256 * 1024);
        const int count = 16;

        using var call = connection.Streams().Chat();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await call.RequestStream.WriteAsync(new HelloRequest { Name = name + i });
            }
            await call.RequestStream.CompleteAsync();
        });
        var received = 0;
        while (await call.ResponseStream.MoveNext().Within())
        {
            Assert.Equal("Hello " + name + received, call.ResponseStream.Current.Message);
            received++;
        }
        await writing.Within();

        Assert.Equal(count, received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(0, false)]
    [InlineData(100, true)]
    [InlineData(0, true)]
    public async Task SequentialCalls_ReadTheirRepliesByPollingUnlessThePollIsOff(int pollMilliseconds, bool engine)
    {
        await using var server = await TestServer.StartAsync();
        var budget = new Shoal.Client.Native.Internal.Client.ReceivePoll(1);
        await using var connection = TestClient.Connect(server.Address, o =>
        {
            o.UseReceiveEngine = engine;
            o.ReceivePollTime = TimeSpan.FromMilliseconds(pollMilliseconds);
            o.ReceivePollBudget = budget;
        });
        var client = connection.Greeter();

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("Hello p" + i, (await client.SayHelloAsync(new HelloRequest { Name = "p" + i }).ResponseAsync.Within()).Message);
        }

        if (pollMilliseconds > 0)
        {
            Assert.True(budget.Found >= 50, $"{budget.Found} of 100 replies were found by polling");
        }
        else
        {
            Assert.Equal(0, budget.Found);
        }
    }

    private static void Configure(Shoal.Client.Native.NativeClientOptions options, string mode)
    {
        options.DedicatedReceiveThread = mode == "dedicated";
        options.UseReceiveEngine = mode.StartsWith("engine", StringComparison.Ordinal);
        if (mode.EndsWith("no poll", StringComparison.Ordinal))
        {
            options.ReceivePollTime = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Continuation_BlocksOnACallOfAnotherConnectionOnTheSameEngine_BothCallsComplete()
    {
        var engine = Shoal.Client.Native.Internal.Client.ReceiveEngine.CreateForTests();
        if (engine is null)
        {
            return;
        }
        try
        {
            await using var server = await TestServer.StartAsync();
            await using var first = TestClient.Connect(server.Address, o => o.ReceiveEngineOverride = engine);
            await using var second = TestClient.Connect(server.Address, o => o.ReceiveEngineOverride = engine);
            var secondClient = second.Greeter();
            Assert.Equal("Hello warm", (await secondClient.SayHelloAsync(new HelloRequest { Name = "warm" }).ResponseAsync.Within()).Message);

            // The first call's continuation runs on the engine's thread and blocks it until the second
            // connection's reply, which only that engine can read: another thread has to take the engine over.
            var chained = first.Greeter().SayHelloAsync(new HelloRequest { Name = "a" }).ResponseAsync
                .ContinueWith(t => t.Result.Message + ", " + secondClient.SayHello(new HelloRequest { Name = "b" }).Message, TaskContinuationOptions.ExecuteSynchronously);

            Assert.Equal("Hello a, Hello b", await chained.Within());
            Assert.True(engine.TakeOvers >= 1);
        }
        finally
        {
            engine.Dispose();
        }
    }

    [Fact]
    public async Task ServerStops_WithDedicatedReceiveThread_NextCallFailsUnavailable()
    {
        var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => o.DedicatedReceiveThread = true);
        var client = connection.Greeter();
        Assert.Equal("Hello a", (await client.SayHelloAsync(new HelloRequest { Name = "a" }).ResponseAsync.Within()).Message);

        await server.DisposeAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "b" }).ResponseAsync.Within());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
