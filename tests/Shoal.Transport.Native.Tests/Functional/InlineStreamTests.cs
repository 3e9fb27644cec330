using Grpc.Core;
using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// Stream messages complete a waiting reader inline on the read loop (the client's and the server's),
/// as unary responses do: a reader that blocks there must not deadlock the connection, and order,
/// cancellation and flow control stay as they were.
/// </summary>
public sealed class InlineStreamTests
{
    [Fact]
    public async Task ClientStreamReader_BlocksOnAnotherCallOfTheConnection_StreamsAndCallsGoOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);

        // Several at once, so that blocked readers and their successors overlap.
        var chats = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ChatAndCallAsync(connection, i))).Within(TimeSpan.FromSeconds(30));

        Assert.Equal(["Hello s3m0", "Hello u3n0", "Hello s3m1", "Hello u3n1", "Hello s3m2", "Hello u3n2"], chats[3]);
        Assert.Equal("Hello after", (await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "after" }).ResponseAsync.Within()).Message);
    }

    [Fact]
    public async Task ServerStreamReader_BlocksOnItsThread_OtherCallsOfTheConnectionGoOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        using var chat = connection.Streams().Chat();
        await chat.RequestStream.WriteAsync(new HelloRequest { Name = "first" }).Within();
        Assert.True(await chat.ResponseStream.MoveNext().Within());

        // The handler waits in MoveNext now: "block" reaches it on the server's read loop and blocks there.
        await chat.RequestStream.WriteAsync(new HelloRequest { Name = "block" }).Within();
        await Wait.UntilAsync(() => server.Streams.Blocked == 1, "the handler blocked");
        var reply = await connection.Greeter().SayHelloAsync(new HelloRequest { Name = "meanwhile" }).ResponseAsync.Within();
        server.Streams.Unblock.SetResult();

        Assert.Equal("Hello meanwhile", reply.Message);
        Assert.True(await chat.ResponseStream.MoveNext().Within());
        Assert.Equal("Hello block", chat.ResponseStream.Current.Message);
    }

    [Fact]
    public async Task PipelinedDuplexStreams_ManyMessagesPerRead_EachStreamInOrder()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        const int Messages = 300;

        var streams = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            using var chat = connection.Streams().Chat();
            // Every request is written before the replies are read, so reads carry many messages of each stream.
            var writes = Task.Run(async () =>
            {
                for (var n = 0; n < Messages; n++)
                {
                    await chat.RequestStream.WriteAsync(new HelloRequest { Name = $"{i}:{n}" }).ConfigureAwait(false);
                }
                await chat.RequestStream.CompleteAsync().ConfigureAwait(false);
            });
            var replies = new List<string>();
            while (replies.Count <= Messages && await chat.ResponseStream.MoveNext().ConfigureAwait(false))
            {
                replies.Add(chat.ResponseStream.Current.Message);
            }
            await writes.ConfigureAwait(false);
            return (Index: i, Replies: replies);
        })).Within(TimeSpan.FromSeconds(30));

        Assert.All(streams, s => Assert.Equal(Enumerable.Range(0, Messages).Select(n => $"Hello {s.Index}:{n}"), s.Replies));
    }

    [Fact]
    public async Task MoveNext_Cancelled_ThrowsAndTheStreamGoesOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = TestClient.Connect(server.Address);
        using var chat = connection.Streams().Chat();
        using var cts = new CancellationTokenSource();

        var waiting = chat.ResponseStream.MoveNext(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
        await chat.RequestStream.WriteAsync(new HelloRequest { Name = "again" }).Within();

        Assert.True(await chat.ResponseStream.MoveNext().Within());
        Assert.Equal("Hello again", chat.ResponseStream.Current.Message);
        await chat.RequestStream.CompleteAsync().Within();
        Assert.False(await chat.ResponseStream.MoveNext().Within());
        Assert.Equal(StatusCode.OK, chat.GetStatus().StatusCode);
    }

    private static async Task<List<string>> ChatAndCallAsync(Shoal.Client.Native.NativeClientConnection connection, int i)
    {
        using var chat = connection.Streams().Chat();
        var greeter = connection.Greeter();
        var replies = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            // Waiting before the request goes out, so the reply completes a pending MoveNext on the read loop.
            var next = chat.ResponseStream.MoveNext();
            await chat.RequestStream.WriteAsync(new HelloRequest { Name = $"s{i}m{n}" }).ConfigureAwait(false);
            Assert.True(await next.ConfigureAwait(false));
            replies.Add(chat.ResponseStream.Current.Message);
            // Runs on the read loop that delivered the reply, and blocks it until this call's answer arrives.
            replies.Add(greeter.SayHello(new HelloRequest { Name = $"u{i}n{n}" }, deadline: DateTime.UtcNow.AddSeconds(20)).Message);
        }
        await chat.RequestStream.CompleteAsync().ConfigureAwait(false);
        Assert.False(await chat.ResponseStream.MoveNext().ConfigureAwait(false));
        return replies;
    }
}
