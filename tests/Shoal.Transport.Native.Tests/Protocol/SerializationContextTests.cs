using Grpc.Core;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Protocol;

public sealed class SerializationContextTests
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public void DeclaredPayloadLength_ReservesRoomForTheWholeMessage_InOneSpan()
    {
        var output = new OutputBuffer();
        var start = output.BeginFrame(FrameType.Message, FrameFlags.None, 1);
        var firstSpan = 0;
        var marshaller = new Marshaller<int>(
            (size, context) =>
            {
                context.SetPayloadLength(size);
                var writer = context.GetBufferWriter();
                var span = writer.GetSpan();
                firstSpan = span.Length;
                span[..size].Fill(7);
                writer.Advance(size);
                context.Complete();
            },
            _ => 0);

        var written = new NativeSerializationContext().Serialize(output, marshaller, Megabyte, 4 * Megabyte);
        output.EndFrame(start);

        Assert.Equal(Megabyte, written);
        Assert.True(firstSpan >= Megabyte, $"the first span held {firstSpan} bytes of a {Megabyte}-byte message");
        Assert.Equal(FrameHeader.Size + Megabyte, output.Length);
        Assert.All(output.WrittenMemory.Span[FrameHeader.Size..].ToArray(), b => Assert.Equal(7, b));
    }

    [Fact]
    public void DeclaredPayloadLength_OverTheSendLimit_IsResourceExhausted_BeforeAnythingIsReserved()
    {
        var output = new OutputBuffer();
        var reserved = false;
        var marshaller = new Marshaller<int>(
            (size, context) =>
            {
                context.SetPayloadLength(size);
                reserved = true;
            },
            _ => 0);

        var error = Assert.Throws<RpcException>(() => new NativeSerializationContext().Serialize(output, marshaller, 64 * Megabyte, Megabyte));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(reserved);
        Assert.True(output.Capacity < Megabyte, $"the buffer grew to {output.Capacity} bytes for a refused message");
    }
}
