using Grpc.Core;
using Shoal.Fuzzing.Infrastructure;

namespace Shoal.Fuzzing.Seeds;

/// <summary>Seeds for the payload target: metadata blocks, then fields chosen by their leading byte.</summary>
internal static class PayloadSeeds
{
    public static IEnumerable<(string Name, byte[] Input)> Create()
    {
        var block = NativeTransportAdapter.EncodeMetadata(new Metadata
        {
            { "user-agent", "shoal-fuzz" },
            { "trace-bin", [1, 2, 3, 4] },
            { "empty", "" },
            { "unicode", "grüße" },
        });
        var fields = new Wire()
            .Byte(0).U16(7)
            .Byte(1).U32(70000)
            .Byte(2).U64(ulong.MaxValue)
            .Byte(3).Varint(300)
            .Byte(4).String("/hello.Greeter/SayHello")
            .Byte(5).String("a longer byte string than the scratch")
            .Byte(6).Bytes([0, 255])
            .Byte(7).Raw(NativeTransportAdapter.EncodeMetadata(new Metadata { { "k", "v" } }))
            .ToArray();
        yield return ("empty-block", Chunks.Prefix(0, NativeTransportAdapter.EncodeMetadata(null)));
        yield return ("block", Chunks.Prefix(0, block));
        yield return ("block-chunked-1", Chunks.Prefix(1, block));
        yield return ("block-and-fields", Chunks.Prefix(0, Wire.Join(block, fields)));
        yield return ("block-and-fields-chunked-3", Chunks.Prefix(3, Wire.Join(block, fields)));
        yield return ("many-entries", Chunks.Prefix(0, NativeTransportAdapter.EncodeMetadata([.. Enumerable.Range(0, 50).Select(i => new Metadata.Entry($"key-{i}", $"value {i}"))])));

        // Nearly valid: each breaks one rule.
        yield return ("count-past-payload", Chunks.Prefix(0, new Wire().Varint(1000).String("k").String("v").ToArray()));
        yield return ("bad-key", Chunks.Prefix(0, new Wire().Varint(1).String("Bad Key!").String("v").ToArray()));
        yield return ("bad-utf8", Chunks.Prefix(0, new Wire().Varint(1).String("k").Bytes([0xC3, 0x28]).ToArray()));
        yield return ("long-varint", Chunks.Prefix(0, new Wire().Raw([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).ToArray()));
        yield return ("length-past-payload", Chunks.Prefix(0, new Wire().Varint(0).Byte(4).Varint(50).Raw("short"u8).ToArray()));
    }
}
