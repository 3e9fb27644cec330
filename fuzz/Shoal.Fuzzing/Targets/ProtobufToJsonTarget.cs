using Google.Protobuf;
using Shoal.Cli.Reflection;
using Shoal.Fuzzing.Seeds;

namespace Shoal.Fuzzing.Targets;

/// <summary>
/// The CLI's dynamic codec from protobuf to JSON (a response <c>shoal call</c> prints, which a server
/// controls): the first byte picks the message type, the rest is the message. Rejections must be
/// <see cref="InvalidProtocolBufferException"/> or <see cref="InvalidDataException"/>; what it decodes
/// must encode again and reach a fixed point.
/// </summary>
internal sealed class ProtobufToJsonTarget : IFuzzTarget
{
    public string Name => "protobuf";

    public string Description => "DynamicMessageCodec.ToJson, then the round trip of what it decoded";

    public void Run(ReadOnlySpan<byte> input)
    {
        var (type, body) = CodecMessages.Split(input);
        try
        {
            DynamicMessageCodec.ToJson(type, body);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            // Not a message of that type: shoal call reports it and exits 1.
            return;
        }
        CodecMessages.CheckFixedPoint(type, body, "the response");
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds() => CodecSeeds.Protobuf();
}
