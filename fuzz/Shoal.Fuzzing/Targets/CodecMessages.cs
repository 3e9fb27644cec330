using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Hello;
using Shoal.Cli.Reflection;
using Shoal.Fuzzing.Infrastructure;
using Shoal.Fuzzing.Protos;

namespace Shoal.Fuzzing.Targets;

/// <summary>
/// The message types the codec targets use, built the way <c>shoal call</c> builds them: from
/// serialized file descriptors through <see cref="DescriptorSet"/>, with no generated type. The
/// first input byte picks the type.
/// </summary>
internal static class CodecMessages
{
    private static readonly DescriptorSet s_set = DescriptorSet.Build(new[]
    {
        TimestampReflection.Descriptor, HelloReflection.Descriptor, HelloStreamsReflection.Descriptor, FuzzCodecReflection.Descriptor,
    }.Select(file => file.SerializedData));

    /// <summary>The types, by the index the first input byte selects (modulo their count).</summary>
    public static IReadOnlyList<MessageDescriptor> All { get; } =
    [
        .. new[] { "hello.HelloRequest", "hello.HelloReply", "hello.ManyHellosRequest", "shoal.fuzz.Everything", "shoal.fuzz.Node", "google.protobuf.Timestamp" }
            .Select(name => s_set.FindMessage(name) ?? throw new InvalidOperationException("No descriptor for " + name)),
    ];

    /// <summary>Splits an input into the type it names and its body.</summary>
    public static (MessageDescriptor Type, byte[] Body) Split(ReadOnlySpan<byte> input)
        => input.IsEmpty ? (All[0], []) : (All[input[0] % All.Count], input[1..].ToArray());

    /// <summary>The index <see cref="Split"/> maps to <paramref name="fullName"/> (for seeds).</summary>
    public static byte IndexOf(string fullName)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i].FullName == fullName)
            {
                return (byte)i;
            }
        }
        throw new ArgumentException("Not a codec target type: " + fullName, nameof(fullName));
    }

    /// <summary>
    /// What <c>shoal call</c> relies on when a user pipes its output back in: JSON the codec wrote
    /// from <paramref name="data"/> encodes again, and encoding and decoding once more gives the same JSON.
    /// </summary>
    public static void CheckFixedPoint(MessageDescriptor type, byte[] data, string origin)
    {
        string first;
        try
        {
            first = DynamicMessageCodec.ToJson(type, data);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            throw new FuzzFindingException($"{origin} does not decode: {e.GetType().Name}: {e.Message}");
        }
        byte[] again;
        try
        {
            again = DynamicMessageCodec.FromJson(type, first);
        }
        catch (JsonCodecException e)
        {
            throw new FuzzFindingException($"JSON the codec wrote does not encode again: {e.Message} (JSON: {first})");
        }
        var second = DynamicMessageCodec.ToJson(type, again);
        if (second != first)
        {
            throw new FuzzFindingException($"decode(encode(JSON)) changed the JSON: {first} became {second}");
        }
    }
}
