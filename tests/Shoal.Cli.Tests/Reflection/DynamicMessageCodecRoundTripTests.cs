using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Hello;
using Shoal.Cli.Reflection;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Cli.Tests.Protos;

namespace Shoal.Cli.Tests.Reflection;

public sealed class DynamicMessageCodecRoundTripTests
{
    [Fact]
    public void FullMessage_DecodedToJson_MatchesJsonFormatter()
    {
        var message = CodecFixtures.Full();

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, message.ToByteArray());

        JsonAssert.Equivalent(JsonFormatter.Default.Format(message), json);
    }

    [Fact]
    public void JsonFormatterOutput_EncodedDynamically_ParsesToTheSameMessage()
    {
        var message = CodecFixtures.Full();

        var bytes = DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, JsonFormatter.Default.Format(message));

        Assert.Equal(message, AllTypes.Parser.ParseFrom(bytes));
    }

    [Fact]
    public void MessageWithoutMaps_EncodedDynamically_IsByteForByteWhatGeneratedCodeWrites()
    {
        var message = CodecFixtures.Full();
        message.Counts.Clear();
        message.Labels.Clear();
        message.Flags.Clear();
        message.Paints.Clear();

        var bytes = DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, JsonFormatter.Default.Format(message));

        Assert.Equal(message.ToByteArray(), bytes);
    }

    [Fact]
    public void HelloRequest_JsonToBytes_ParsesWithGeneratedType()
    {
        var bytes = DynamicMessageCodec.FromJson(CodecFixtures.Dynamic(new HelloRequest()), """{"name":"Ada"}""");

        Assert.Equal(new HelloRequest { Name = "Ada" }, HelloRequest.Parser.ParseFrom(bytes));
    }

    [Fact]
    public void ManyHellosRequest_BytesToJson_MatchesJsonFormatter()
    {
        var message = new ManyHellosRequest { Name = "Grace", Count = 4 };

        var json = DynamicMessageCodec.ToJson(CodecFixtures.Dynamic(message), message.ToByteArray());

        JsonAssert.Equivalent(JsonFormatter.Default.Format(message), json);
        Assert.Equal("""{"name":"Grace","count":4}""", json);
    }

    [Fact]
    public void EmptyMessage_ToJson_IsAnEmptyObject()
    {
        Assert.Equal("{}", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, []));
    }

    [Fact]
    public void ExplicitPresenceAtDefault_ToJson_IsWrittenLikeJsonFormatter()
    {
        var message = new AllTypes { Maybe = 0, ChoiceNumber = 0 };

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, message.ToByteArray());

        JsonAssert.Equivalent(JsonFormatter.Default.Format(message), json);
        JsonAssert.Equivalent("""{"choiceNumber":0,"maybe":0}""", json);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteFloatingPoint_RoundTrips_AsJsonStrings(double value, string text)
    {
        var message = new AllTypes { FDouble = value, FFloat = (float)value };
        message.PackedDouble.Add(value);

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, message.ToByteArray());
        var back = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, json));

        JsonAssert.Equivalent($$"""{"fDouble":"{{text}}","fFloat":"{{text}}","packedDouble":["{{text}}"]}""", json);
        Assert.Equal(message, back);
    }

    [Fact]
    public void SixtyFourBitIntegers_AcceptNumbersAndStrings()
    {
        var bytes = DynamicMessageCodec.FromJson(
            CodecFixtures.AllTypesDescriptor,
            """{"fInt64":-42,"fUint64":"18446744073709551615","fSint64":"-7","fFixed64":12,"fSfixed64":"-9223372036854775808"}""");

        var message = AllTypes.Parser.ParseFrom(bytes);

        Assert.Equal(-42, message.FInt64);
        Assert.Equal(ulong.MaxValue, message.FUint64);
        Assert.Equal(-7, message.FSint64);
        Assert.Equal(12UL, message.FFixed64);
        Assert.Equal(long.MinValue, message.FSfixed64);
    }

    [Fact]
    public void ThirtyTwoBitIntegers_AcceptIntegralNumbersWrittenAsStringsOrWithExponent()
    {
        var message = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(
            CodecFixtures.AllTypesDescriptor, """{"fInt32":"-12","fUint32":1e3,"fSint32":2.0}"""));

        Assert.Equal((-12, 1000u, 2), (message.FInt32, message.FUint32, message.FSint32));
    }

    [Fact]
    public void Enums_AcceptNamesAndNumbers_AndUnknownNumbersStayNumbers()
    {
        var bytes = DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, """{"color":2,"colors":["COLOR_RED",7]}""");
        var message = AllTypes.Parser.ParseFrom(bytes);

        Assert.Equal(Color.Green, message.Color);
        Assert.Equal([Color.Red, (Color)7], message.Colors);
        JsonAssert.Equivalent("""{"color":"COLOR_GREEN","colors":["COLOR_RED",7]}""", DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes));
    }

    [Fact]
    public void FieldNames_AcceptProtoNamesAsWellAsJsonNames()
    {
        var message = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(
            CodecFixtures.AllTypesDescriptor, """{"f_int32":5,"fString":"x","packed_int32":[1,2]}"""));

        Assert.Equal(5, message.FInt32);
        Assert.Equal("x", message.FString);
        Assert.Equal([1, 2], message.PackedInt32);
    }

    [Fact]
    public void Bytes_AcceptUrlSafeBase64WithoutPadding()
    {
        var message = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, """{"fBytes":"-_8"}"""));

        Assert.Equal(new byte[] { 0xfb, 0xff }, message.FBytes.ToByteArray());
    }

    [Fact]
    public void NullValues_MeanTheDefault()
    {
        var bytes = DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, """{"fInt32":null,"inner":null,"names":null}""");

        Assert.Empty(bytes);
    }

    [Fact]
    public void WellKnownTimestamp_IsAPlainMessage()
    {
        var message = new AllTypes { When = new Timestamp { Seconds = 1_700_000_000, Nanos = 5 } };

        var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, message.ToByteArray());
        var back = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, json));

        JsonAssert.Equivalent("""{"when":{"seconds":"1700000000","nanos":5}}""", json);
        Assert.Equal(message, back);
    }
}
