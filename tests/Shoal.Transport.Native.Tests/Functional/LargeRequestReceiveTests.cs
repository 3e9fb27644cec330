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

        await LargeGreetings.SayEachSizeAsync(client, LargeGreetings.EdgeSizes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LargeAndSmallRequestsInterleavedOnOneConnection_AllAnsweredIntact(bool waitForData)
    {
        await using var server = await TestServer.StartAsync(waitForDataBeforeReceiveBuffer: waitForData);
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        await LargeGreetings.InterleaveWithSmallCallsAsync(client);
    }
}
