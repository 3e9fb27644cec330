using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;
using Shoal.Transport.Native.Tests.Infrastructure;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>Connection-level flow control and output backpressure, on an in-memory pipe.</summary>
public sealed class ConnectionFlowControlTests
{
    private static readonly Marshaller<HelloRequest> Marshaller = HelloRequest.Parser.ToMarshaller();

    [Fact]
    public async Task ConnectionWindow_HalfConsumed_GrantsCreditOnCallZero()
    {
        var pipe = new Pipe();
        var writer = new FrameWriter(pipe.Writer, 1 << 20, _ => { });
        var window = new ReceiveWindow(window: 1000, maxMessage: 100);

        Assert.True(window.TryReceive(400));
        Assert.True(window.TryReceive(400));
        window.OnConsumed(400, writer, 0);
        window.OnConsumed(400, writer, 0);

        var frame = Assert.Single(await ReadFramesAsync(pipe.Reader));
        Assert.Equal(FrameType.WindowUpdate, frame.Type);
        Assert.Equal(0u, frame.CallId);
        Assert.Equal(800u, BitConverter.ToUInt32(frame.Payload));
        Assert.Equal(0, window.Unconsumed);
    }

    [Fact]
    public void ConnectionWindow_PastWindowPlusOneMessage_RefusesWithoutCounting()
    {
        var window = new ReceiveWindow(window: 1000, maxMessage: 100);

        Assert.True(window.TryReceive(1000));
        Assert.True(window.TryReceive(100));
        Assert.False(window.TryReceive(1));
        Assert.Equal(1100, window.Unconsumed);
    }

    [Fact]
    public async Task ConnectionWindowOfAnOlderPeer_BoundsWhatIsHeld_ButSendsNoUpdates()
    {
        var pipe = new Pipe();
        var writer = new FrameWriter(pipe.Writer, 1 << 20, _ => { });
        var window = new ReceiveWindow(window: 1000, maxMessage: 100, grantsCredit: false);

        Assert.True(window.TryReceive(900));
        window.OnConsumed(900, writer, 0);
        window.Grant(500, writer, 0);
        writer.WritePing(1);

        var frame = Assert.Single(await ReadFramesAsync(pipe.Reader));
        Assert.Equal(FrameType.Ping, frame.Type);
    }

    [Fact]
    public void SendWindow_HugeGrants_AreClampedToTheHonouredMaximum()
    {
        var window = new SendWindow(int.MaxValue);
        window.Add(uint.MaxValue);

        Assert.Equal(ProtocolConstants.MaxHonouredWindow, window.Credit);
    }

    [Fact]
    public async Task InboundStream_DroppedUnread_GivesItsBytesBackToTheConnectionWindow()
    {
        var pipe = new Pipe();
        var writer = new FrameWriter(pipe.Writer, 1 << 20, _ => { });
        var connection = new ReceiveWindow(window: 1000, maxMessage: 1000);
        var stream = new InboundStream<HelloRequest>(writer, 5, new ReceiveWindow(1000, 1000), connection);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(connection.TryReceive(300));
            Assert.True(stream.Enqueue(new HelloRequest(), 300));
        }

        stream.Fail(new OperationCanceledException(), dropQueued: true);

        Assert.Equal(0, connection.Unconsumed);
        var update = Assert.Single(await ReadFramesAsync(pipe.Reader));
        Assert.Equal((FrameType.WindowUpdate, 0u), (update.Type, update.CallId));
        Assert.False(stream.Enqueue(new HelloRequest(), 10));
    }

    [Fact]
    public async Task OutboundStream_ConnectionCreditUsedUp_WaitsForAnUpdateOnCallZero()
    {
        var pipe = new Pipe();
        var writer = new FrameWriter(pipe.Writer, 1 << 20, _ => { });
        var connection = new SendWindow(10);
        var stream = new OutboundStream<HelloRequest>(writer, 1, Marshaller, 1 << 20, new SendWindow(1 << 20), connection, new Owner());

        await stream.WriteAsync(new HelloRequest { Name = new string('a', 20) }).Within();
        var second = stream.WriteAsync(new HelloRequest { Name = "b" });
        Assert.False(second.IsCompleted);
        connection.Add(30);
        await second.Within();

        // The second frame's flush may run after its write returned: read until both are in.
        Assert.Equal(2, (await ReadFramesAsync(pipe.Reader, expected: 2)).Count(f => f.Type == FrameType.Message));
    }

    [Fact]
    public async Task OutboundStream_OutputOverItsLimit_WaitsUntilTheTransportTakesIt_WhateverTheWindow()
    {
        // The transport takes nothing until the test reads: the flush of the first frame blocks.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
        var writer = new FrameWriter(pipe.Writer, 1024, _ => { });
        var stream = new OutboundStream<HelloRequest>(writer, 1, Marshaller, 1 << 20, new SendWindow(int.MaxValue), new SendWindow(int.MaxValue), new Owner());
        var message = new HelloRequest { Name = new string('m', 600) };

        await stream.WriteAsync(message).Within();
        // The first write's flush runs on the thread pool; once it took the buffer, it waits for the test to read.
        await Wait.UntilAsync(() => writer.BufferedLength == 0, "the flush took the first frame");
        await stream.WriteAsync(message).Within();
        await stream.WriteAsync(message).Within();
        var blocked = stream.WriteAsync(message);
        var waited = !blocked.IsCompleted;
        var drained = ReadFramesAsync(pipe.Reader, expected: 4);
        await blocked.Within();

        Assert.True(waited, "the fourth write did not wait with 1,200 bytes buffered over a 1,024-byte limit");
        Assert.Equal(4, (await drained.Within()).Count);
    }

    private static async Task<List<ReceivedFrame>> ReadFramesAsync(PipeReader reader, int expected = 1)
    {
        var all = new List<byte>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = await reader.ReadAsync(timeout.Token);
            all.AddRange(read.Buffer.ToArray());
            reader.AdvanceTo(read.Buffer.End);
            var frames = WireFrames.Parse(all.ToArray());
            if (frames.Count >= expected)
            {
                return frames;
            }
        }
    }

    private sealed class Owner : IOutboundOwner
    {
        public CancellationToken CallToken => CancellationToken.None;

        public Exception? WriteError() => null;

        public void OnMessageEncoded()
        {
        }
    }
}
