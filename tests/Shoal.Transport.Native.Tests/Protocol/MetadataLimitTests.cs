using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Internal;

namespace Shoal.Transport.Native.Tests.Protocol;

/// <summary>Metadata over the protocol's limits is "too large" (the call fails), not "malformed" (the connection fails).</summary>
public sealed class MetadataLimitTests
{
    [Fact]
    public void BlockOver32KiB_WriterSaysSo_ReaderThrowsTooLarge()
    {
        var output = new OutputBuffer();
        var metadata = new Metadata();
        for (var i = 0; i < 20; i++)
        {
            metadata.Add($"x-{i}", new string('v', 2000));
        }

        Assert.False(MetadataCodec.Write(output, metadata));
        Assert.Throws<MetadataTooLargeException>(() =>
        {
            var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));
            MetadataCodec.Read(ref reader);
        });
    }

    [Fact]
    public void OneValueOver32KiB_ReaderThrowsTooLarge_NotMalformed()
    {
        var output = new OutputBuffer();
        Assert.False(MetadataCodec.Write(output, new Metadata { { "x-big-bin", new byte[40 * 1024] } }));

        Assert.Throws<MetadataTooLargeException>(() =>
        {
            var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));
            MetadataCodec.Read(ref reader);
        });
    }

    [Fact]
    public void KeyOverOneKiB_WriterSaysSo_ReaderThrowsTooLarge()
    {
        var output = new OutputBuffer();
        Assert.False(MetadataCodec.Write(output, new Metadata { { "x-" + new string('k', 1100), "v" } }));

        Assert.Throws<MetadataTooLargeException>(() =>
        {
            var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));
            MetadataCodec.Read(ref reader);
        });
    }

    [Fact]
    public void ValueLengthPastThePayload_StaysMalformed()
    {
        var output = new OutputBuffer();
        output.WriteVarint(1);
        output.WriteString("x-cut");
        output.WriteVarint(40 * 1024);
        output.WriteRaw(new byte[100]);

        Assert.Throws<ProtocolException>(() =>
        {
            var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));
            MetadataCodec.Read(ref reader);
        });
    }

    [Fact]
    public void BlockAtTheLimit_FitsBothWays()
    {
        var output = new OutputBuffer();
        var metadata = new Metadata { { "x-fits", new string('f', 32 * 1024 - 16) } };

        Assert.True(MetadataCodec.Write(output, metadata));
        var reader = new PayloadReader(new ReadOnlySequence<byte>(output.WrittenMemory));
        Assert.Equal(metadata.GetValue("x-fits"), MetadataCodec.Read(ref reader)!.GetValue("x-fits"));
    }
}
