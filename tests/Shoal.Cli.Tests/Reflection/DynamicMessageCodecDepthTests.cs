using Google.Protobuf;
using Shoal.Cli.Reflection;
using Shoal.Cli.Tests.Protos;

namespace Shoal.Cli.Tests.Reflection;

/// <summary>
/// How deep a message the codec turns into JSON (found by fuzzing: a response nested 1,000 deep made
/// the JSON writer throw, and one nested 64 deep printed JSON that could not be sent back).
/// </summary>
public sealed class DynamicMessageCodecDepthTests
{
    [Fact]
    public void ResponseNestedThousandsDeep_IsRejectedAsInvalidData()
    {
        var bytes = Nested(3000).ToByteArray();

        var ex = Assert.Throws<InvalidDataException>(() => DynamicMessageCodec.ToJson(CodecFixtures.Dynamic(new Inner()), bytes));

        Assert.Contains($"nested deeper than the {DynamicMessageCodec.MaxJsonDepth} levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedResponses_UpToAndPastTheLimit_EitherEncodeBackToTheSameBytesOrAreRejected()
    {
        var descriptor = CodecFixtures.Dynamic(new Inner());
        var printed = 0;
        var rejected = 0;
        for (var depth = 1; depth <= DynamicMessageCodec.MaxJsonDepth + 8; depth++)
        {
            var bytes = Nested(depth).ToByteArray();
            string json;
            try
            {
                json = DynamicMessageCodec.ToJson(descriptor, bytes);
            }
            catch (InvalidDataException)
            {
                rejected++;
                continue;
            }
            printed++;
            Assert.Equal(bytes, DynamicMessageCodec.FromJson(descriptor, json));
        }

        // One level of JSON per message level: every depth the JSON can hold prints, the rest are refused.
        Assert.Equal(DynamicMessageCodec.MaxJsonDepth, printed);
        Assert.Equal(8, rejected);
    }

    private static Inner Nested(int depth)
    {
        var inner = new Inner { Label = "leaf", Value = depth };
        for (var i = 1; i < depth; i++)
        {
            inner = new Inner { Label = "level", Child = inner };
        }
        return inner;
    }
}
