using Google.Protobuf;
using Shoal.Cli.Reflection;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Cli.Tests.Protos;

namespace Shoal.Cli.Tests.Reflection;

/// <summary>Wire-format cases generated code never writes but a parser must read.</summary>
public sealed class DynamicMessageCodecWireTests
{
    [Fact]
    public void PackableFieldSentUnpacked_IsRead()
    {
        var bytes = Write(o =>
        {
            foreach (var value in new[] { 1, 2, 300 })
            {
                o.WriteTag(AllTypes.PackedInt32FieldNumber, WireFormat.WireType.Varint);
                o.WriteInt32(value);
            }
        });

        JsonAssert.Equivalent("""{"packedInt32":[1,2,300]}""", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
    }

    [Fact]
    public void UnpackedFieldSentPacked_IsRead()
    {
        var bytes = Write(o =>
        {
            o.WriteTag(AllTypes.UnpackedInt32FieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(Write(p =>
            {
                p.WriteInt32(7);
                p.WriteInt32(-1);
            })));
        });

        JsonAssert.Equivalent("""{"unpackedInt32":[7,-1]}""", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
    }

    [Fact]
    public void UnknownFields_AreSkipped()
    {
        var bytes = Write(o =>
        {
            o.WriteTag(999, WireFormat.WireType.LengthDelimited);
            o.WriteString("ignored");
            o.WriteTag(998, WireFormat.WireType.Fixed64);
            o.WriteFixed64(1);
            o.WriteTag(AllTypes.FStringFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteString("kept");
        });

        Assert.Equal("""{"fString":"kept"}""", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
    }

    [Fact]
    public void SingularMessageSentTwice_IsMerged()
    {
        var first = new AllTypes { Inner = new Inner { Label = "a" } }.ToByteArray();
        var second = new AllTypes { Inner = new Inner { Value = 3 } }.ToByteArray();

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, [.. first, .. second]);

        Assert.Equal("""{"inner":{"label":"a","value":3}}""", json);
    }

    [Fact]
    public void LaterOneofMember_ReplacesEarlierOne()
    {
        var first = new AllTypes { ChoiceText = "first" }.ToByteArray();
        var second = new AllTypes { ChoiceNumber = 4 }.ToByteArray();

        Assert.Equal("""{"choiceNumber":4}""", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, [.. first, .. second]));
    }

    [Fact]
    public void MapEntryWithoutValue_HasTheDefaultValue()
    {
        var bytes = Write(o =>
        {
            o.WriteTag(AllTypes.CountsFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(Write(e =>
            {
                e.WriteTag(1, WireFormat.WireType.LengthDelimited);
                e.WriteString("k");
            })));
        });

        Assert.Equal("""{"counts":{"k":0}}""", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
    }

    [Fact]
    public void WrongWireType_IsRejected()
    {
        var bytes = Write(o =>
        {
            o.WriteTag(AllTypes.FStringFieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(1);
        });

        var ex = Assert.Throws<InvalidDataException>(() => DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
        Assert.Contains("f_string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedMessage_IsRejected()
    {
        var bytes = new AllTypes { FString = "truncated" }.ToByteArray()[..^3];

        Assert.Throws<InvalidProtocolBufferException>(() => DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
    }

    private static byte[] Write(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }
}
