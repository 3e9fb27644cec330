using Google.Protobuf;
using Shoal.Cli.Reflection;
using Shoal.Cli.Tests.Protos;

namespace Shoal.Cli.Tests.Reflection;

/// <summary>
/// JSON that <c>shoal call</c> prints can be sent back as a request and prints the same again
/// (cases found by the protobuf fuzz target's round-trip check).
/// </summary>
public sealed class DynamicMessageCodecFixedPointTests
{
    [Theory]
    [InlineData(AllTypes.ColorsFieldNumber)]
    [InlineData(AllTypes.PackedDoubleFieldNumber)]
    [InlineData(AllTypes.UnpackedInt32FieldNumber)]
    public void EmptyPackedField_IsOmitted_LikeAnyFieldAtItsDefault(int fieldNumber)
    {
        // A packed field with no elements: generated code never writes it, a parser must read it.
        byte[] bytes = [.. Tag(fieldNumber), 0];

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes);

        Assert.Equal("{}", json);
    }

    [Theory]
    [InlineData(float.MaxValue)]
    [InlineData(float.MinValue)]
    [InlineData(float.Epsilon)]
    public void ExtremeFloat_PrintedAndSentBack_IsTheSameFloat(float value)
    {
        var bytes = new AllTypes { FFloat = value }.ToByteArray();

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes);
        var again = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, json));

        Assert.Equal(value, again.FFloat);
    }

    [Fact]
    public void FloatPastTheLargestFloat_IsStillOutOfRange()
    {
        var ex = Assert.Throws<JsonCodecException>(() => DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, """{"fFloat":3.5e38}"""));

        Assert.Contains("out of range for float", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Tag(int fieldNumber)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.Flush();
        return buffer.ToArray();
    }
}
