using Shoal.Cli.Reflection;

namespace Shoal.Cli.Tests.Reflection;

/// <summary>Bad request JSON is reported with the path of the field at fault.</summary>
public sealed class DynamicMessageCodecErrorTests
{
    [Theory]
    [InlineData("""{"nope":1}""", "nope", "has no field")]
    [InlineData("""{"fInt32":"abc"}""", "fInt32", "expected an integer")]
    [InlineData("""{"fInt32":2147483648}""", "fInt32", "out of range for int32")]
    [InlineData("""{"fUint32":-1}""", "fUint32", "non-negative integer")]
    [InlineData("""{"fInt64":1.5}""", "fInt64", "expected an integer")]
    [InlineData("""{"fFloat":1e39}""", "fFloat", "out of range for float")]
    [InlineData("""{"fBool":"yes"}""", "fBool", "expected true or false")]
    [InlineData("""{"fString":5}""", "fString", "expected a string")]
    [InlineData("""{"fBytes":"***"}""", "fBytes", "not base64")]
    [InlineData("""{"color":"PURPLE"}""", "color", "is not a value of shoal.cli.test.Color")]
    [InlineData("""{"inner":[]}""", "inner", "expected a JSON object")]
    [InlineData("""{"inner":{"child":{"value":"x"}}}""", "inner.child.value", "expected an integer")]
    [InlineData("""{"inners":[{},{"label":1}]}""", "inners[1].label", "expected a string")]
    [InlineData("""{"names":"a"}""", "names", "expected a JSON array")]
    [InlineData("""{"names":["a",null]}""", "names[1]", "null is not allowed")]
    [InlineData("""{"labels":{"x":"y"}}""", "labels[\"x\"]", "not a valid int64 map key")]
    [InlineData("""{"flags":{"maybe":{}}}""", "flags[\"maybe\"]", "not a valid bool map key")]
    [InlineData("""{"counts":{"a":"b"}}""", "counts[\"a\"]", "expected an integer")]
    [InlineData("""{"choiceText":"a","choiceNumber":1}""", "choiceNumber", "oneof 'choice' is already set")]
    public void BadJson_IsRejected_NamingTheField(string json, string path, string reason)
    {
        var ex = Assert.Throws<JsonCodecException>(() => DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, json));

        Assert.Equal(path, ex.Path);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"field '{path}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"name": }""")]
    [InlineData("not json")]
    public void MalformedJson_IsRejected(string json)
    {
        var ex = Assert.Throws<JsonCodecException>(() => DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, json));

        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopLevelArray_IsRejected()
    {
        var ex = Assert.Throws<JsonCodecException>(() => DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, "[]"));

        Assert.Contains("expected a JSON object (shoal.cli.test.AllTypes)", ex.Message, StringComparison.Ordinal);
    }
}
