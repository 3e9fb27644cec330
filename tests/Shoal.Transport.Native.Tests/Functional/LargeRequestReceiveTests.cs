using Hello;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// The server receives a large request through Kestrel's socket transport, which either waits for
/// data before it takes a receive buffer (Kestrel's default) or receives straight into one (Shoal's
/// default, <c>ShoalServerOptions.WaitForDataBeforeReceiveBuffer</c> false); these pin that every
/// byte of a large request, and of the calls around it, arrives intact either way.
/// </summary>
public sealed class LargeRequestReceiveTests
{
    private const int KiB = 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LargeRequestsOfSeveralSizes_ArriveIntact(bool waitForData)
    {
        await using var server = await TestServer.StartAsync(
            o =>
            {
                o.MaxReceiveMessageSize = 8 * 1024 * KiB;
                o.MaxSendMessageSize = 8 * 1024 * KiB;
            },
            waitForDataBeforeReceiveBuffer: waitForData);
        await using var connection = TestClient.Connect(server.Address, o =>
        {
            o.MaxReceiveMessageSize = 8 * 1024 * KiB;
            o.MaxSendMessageSize = 8 * 1024 * KiB;
        });
        var client = connection.Greeter();

        foreach (var size in new[] { (64 * KiB) - 6, (64 * KiB) + 1, 200_000, 1024 * KiB, (3 * 1024 * KiB) + 17 })
        {
            var name = Pattern(size);
            var reply = await client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync.Within();

            Assert.True(reply.Message == "Hello " + name, $"the reply to a request of {size} characters differs from it");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LargeAndSmallRequestsInterleavedOnOneConnection_AllAnsweredIntact(bool waitForData)
    {
        await using var server = await TestServer.StartAsync(waitForDataBeforeReceiveBuffer: waitForData);
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        var large = Enumerable.Range(0, 3).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                var name = Pattern((300 * KiB) + (caller * 1000) + i);
                var reply = await client.SayHelloAsync(new HelloRequest { Name = name }).ResponseAsync;
                Assert.True(reply.Message == "Hello " + name, $"large reply {i} of caller {caller} differs from its request");
            }
        }));
        var small = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var reply = await client.SayHelloAsync(new HelloRequest { Name = $"{caller}-{i}" }).ResponseAsync;
                Assert.Equal($"Hello {caller}-{i}", reply.Message);
            }
        }));

        await Task.WhenAll(large.Concat(small)).Within(TimeSpan.FromSeconds(60));
    }

    /// <summary>A period of 26 characters, offset by the size: a block lost, repeated or moved shows.</summary>
    private static string Pattern(int size) => string.Create(size, size, static (span, seed) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + ((i + seed) % 26));
        }
    });
}
