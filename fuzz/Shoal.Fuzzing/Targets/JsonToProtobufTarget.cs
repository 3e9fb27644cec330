using System.Text;
using Shoal.Cli.Reflection;
using Shoal.Fuzzing.Seeds;

namespace Shoal.Fuzzing.Targets;

/// <summary>
/// The CLI's dynamic codec from JSON to protobuf (a <c>shoal call</c> request): the first byte picks
/// the message type, the rest is the JSON. Rejections must be <see cref="JsonCodecException"/>; what
/// it accepts must decode and reach a fixed point.
/// </summary>
internal sealed class JsonToProtobufTarget : IFuzzTarget
{
    public string Name => "json";

    public string Description => "DynamicMessageCodec.FromJson, then the round trip of what it accepted";

    public void Run(ReadOnlySpan<byte> input)
    {
        var (type, body) = CodecMessages.Split(input);
        byte[] encoded;
        try
        {
            encoded = DynamicMessageCodec.FromJson(type, Encoding.UTF8.GetString(body));
        }
        catch (JsonCodecException)
        {
            // The user's JSON does not fit the message: shoal call says which field and exits 1.
            return;
        }
        CodecMessages.CheckFixedPoint(type, encoded, "the encoding of accepted JSON");
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds() => CodecSeeds.Json();
}
