using Shoal.Fuzzing.Infrastructure;
using Shoal.Fuzzing.Seeds;

namespace Shoal.Fuzzing.Targets;

/// <summary>
/// The metadata codec and the payload reader on their own: a metadata block (which must read back
/// unchanged after being written again), then fields the bytes choose, over a buffer cut into
/// segments by the chunk-size byte.
/// </summary>
internal sealed class PayloadTarget : IFuzzTarget
{
    public string Name => "payload";

    public string Description => "MetadataCodec and PayloadReader on one frame payload";

    public void Run(ReadOnlySpan<byte> input)
    {
        var (chunkSize, body) = Chunks.Split(input);
        try
        {
            NativeTransportAdapter.ReadPayload(Chunks.AsSegments(body, chunkSize));
        }
        catch (Exception e) when (NativeTransportAdapter.IsProtocolError(e))
        {
            // Malformed payload: the connection would end with a GoAway.
        }
    }

    public IEnumerable<(string Name, byte[] Input)> Seeds() => PayloadSeeds.Create();
}
