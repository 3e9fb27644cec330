using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Functional;

/// <summary>
/// The server receives a large request through Kestrel's socket transport, which either waits for
/// data before it takes a receive buffer (Kestrel's default) or receives straight into one (Shoal's
/// default, <c>ShoalServerOptions.WaitForDataBeforeReceiveBuffer</c> false), into Kestrel's own 4 KiB
/// blocks or into the larger blocks of Shoal's pool (<c>ShoalServerOptions.MemoryPoolBlockSize</c>);
/// these pin that every byte of a large request, and of the calls around it, arrives intact each way.
/// </summary>
public sealed class LargeRequestReceiveTests
{
    private const int KiB = 1024;

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 16 * KiB)]
    [InlineData(false, 16 * KiB)]
    [InlineData(false, 64 * KiB)]
    public async Task LargeRequestsOfSeveralSizes_ArriveIntact(bool waitForData, int blockSize)
    {
        var pools = blockSize > 0 ? new RecordingMemoryPoolFactory(blockSize) : null;
        await using var server = await TestServer.StartAsync(
            o =>
            {
                o.MaxReceiveMessageSize = 8 * 1024 * KiB;
                o.MaxSendMessageSize = 8 * 1024 * KiB;
            },
            waitForDataBeforeReceiveBuffer: waitForData,
            memoryPools: pools);
        await using var connection = TestClient.Connect(server.Address, o =>
        {
            o.MaxReceiveMessageSize = 8 * 1024 * KiB;
            o.MaxSendMessageSize = 8 * 1024 * KiB;
        });
        var client = connection.Greeter();

        await LargeGreetings.SayEachSizeAsync(client, LargeGreetings.EdgeSizes);

        if (pools is not null)
        {
            // The connection's receives and sends went through the pool's blocks and gave them back.
            Assert.True(pools.FreeBlocks > 0);
        }
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(false, 16 * KiB)]
    public async Task LargeAndSmallRequestsInterleavedOnOneConnection_AllAnsweredIntact(bool waitForData, int blockSize)
    {
        var pools = blockSize > 0 ? new RecordingMemoryPoolFactory(blockSize) : null;
        await using var server = await TestServer.StartAsync(waitForDataBeforeReceiveBuffer: waitForData, memoryPools: pools);
        await using var connection = TestClient.Connect(server.Address);
        var client = connection.Greeter();

        await LargeGreetings.InterleaveWithSmallCallsAsync(client);
    }
}
