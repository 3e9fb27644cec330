using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

public sealed class StreamingTests
{
    [Fact]
    public async Task ServerStreaming_ThroughGeneratedClient_ReturnsEveryMessageInOrder()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        using var call = connection.Streams().SayHelloMany(new ManyHellosRequest { Name = "Ada", Count = 50 });
        var messages = new List<string>();
        while (await call.ResponseStream.MoveNext().Within())
        {
            messages.Add(call.ResponseStream.Current.Message);
        }

        Assert.Equal(50, messages.Count);
        Assert.Equal("1:Ada", messages[0]);
        Assert.Equal("50:Ada", messages[49]);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_ThroughGeneratedClient_GreetsEveryone()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        using var call = connection.Streams().SayHelloToAll();
        foreach (var name in new[] { "Ada", "Bob", "Eve" })
        {
            await call.RequestStream.WriteAsync(new HelloRequest { Name = name }).Within();
        }
        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync.Within();

        Assert.Equal("Hello Ada, Bob, Eve", reply.Message);
    }

    [Fact]
    public async Task DuplexStreaming_ThroughGeneratedClient_AnswersEachMessageAsItArrives()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        using var call = connection.Streams().Chat();
        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(new HelloRequest { Name = "n" + i }).Within();
            Assert.True(await call.ResponseStream.MoveNext().Within());
            Assert.Equal("Hello n" + i, call.ResponseStream.Current.Message);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext().Within());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task SampleStreamsService_AllThreeKinds_Work()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Streams();

        using var many = client.SayHelloMany(new ManyHellosRequest { Name = "x", Count = 3 });
        var count = 0;
        while (await many.ResponseStream.MoveNext().Within())
        {
            count++;
        }
        using var duplex = client.Chat();
        await duplex.RequestStream.WriteAsync(new HelloRequest { Name = "a" });
        await duplex.RequestStream.CompleteAsync();
        var echoed = new List<string>();
        while (await duplex.ResponseStream.MoveNext().Within())
        {
            echoed.Add(duplex.ResponseStream.Current.Message);
        }

        Assert.Equal(3, count);
        Assert.Equal(["Hello a"], echoed);
    }

    [Fact]
    public async Task SlowReader_ServerWriterWaitsForCredit_BufferStaysBounded()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address, o => o.StreamWindowSize = 64 * 1024);

        // 200 messages of 8 KiB = 1.6 MB; the client's window is 64 KiB, so the writer must stop early.
        using var call = connection.Streams().SayHelloMany(new ManyHellosRequest { Name = "big", Count = 200 });
        await Wait.UntilAsync(() => server.Streams.Written >= 5, "the server started writing");
        await Task.Delay(500);
        var writtenWhileNotReading = server.Streams.Written;
        var received = 0;
        while (await call.ResponseStream.MoveNext().Within())
        {
            received++;
        }

        Assert.InRange(writtenWhileNotReading, 5, 12);
        Assert.Equal(200, received);
        Assert.Equal(200, server.Streams.Written);
    }

    [Fact]
    public async Task SlowServerReader_ClientWriterWaitsForCredit()
    {
        // 100 messages of 8 KiB; the server's window is 64 KiB, so the writer must stop early.
        await using var server = await TestServer.StartAsync(o => o.StreamWindowSize = 64 * 1024);
        await using var connection = TestClient.Connect(server.Address);

        using var call = connection.Streams().SayHelloToAll(new Metadata { { "x-hold", "1" } });
        var written = 0;
        var name = new string('w', 8 * 1024);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await call.RequestStream.WriteAsync(new HelloRequest { Name = name });
                Interlocked.Increment(ref written);
            }
            await call.RequestStream.CompleteAsync();
        });
        await Wait.UntilAsync(() => Volatile.Read(ref written) >= 5, "the client started writing");
        await Task.Delay(500);
        var writtenWhileServerHolds = Volatile.Read(ref written);
        server.Streams.ReleaseReads.TrySetResult();
        await writer.Within();
        var reply = await call.ResponseAsync.Within();

        Assert.InRange(writtenWhileServerHolds, 5, 12);
        Assert.Equal(100 * (name.Length + 2) + 4, reply.Message.Length);
    }

    [Fact]
    public async Task ServerCancelsClientStream_ClientSeesCancelledAndWritesFail()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        using var call = connection.Streams().SayHelloToAll();
        await call.RequestStream.WriteAsync(new HelloRequest { Name = "cancel" });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.Within());
        var writeError = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new HelloRequest { Name = "late" }));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.Equal(StatusCode.Cancelled, writeError.StatusCode);
    }
}
