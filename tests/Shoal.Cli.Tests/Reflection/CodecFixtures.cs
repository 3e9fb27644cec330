using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Shoal.Cli.Reflection;
using Shoal.Cli.Tests.Protos;

namespace Shoal.Cli.Tests.Reflection;

/// <summary>Descriptors built the way <c>shoal call</c> builds them (from serialized files), and sample messages.</summary>
internal static class CodecFixtures
{
    public static readonly DescriptorSet Set = DescriptorSet.Build(
    [
        // Dependents first on purpose: the set must order them itself.
        AllTypes.Descriptor.File.SerializedData,
        Timestamp.Descriptor.File.SerializedData,
        Hello.HelloRequest.Descriptor.File.SerializedData,
        Hello.ManyHellosRequest.Descriptor.File.SerializedData,
    ]);

    public static MessageDescriptor AllTypesDescriptor => Set.FindMessage("shoal.cli.test.AllTypes")!;

    public static MessageDescriptor Dynamic(IMessage message) => Set.FindMessage(message.Descriptor.FullName)!;

    /// <summary>Every field set to a value that is not its default (no Timestamp: JsonFormatter renders it specially).</summary>
    public static AllTypes Full()
    {
        var message = new AllTypes
        {
            FDouble = -12.5,
            FFloat = 1.5f,
            FInt64 = -9_007_199_254_740_993,
            FUint64 = ulong.MaxValue,
            FInt32 = int.MinValue,
            FFixed64 = 1UL << 60,
            FFixed32 = uint.MaxValue,
            FBool = true,
            FString = "héllo \"quoted\" \n ✓",
            FBytes = ByteString.CopyFrom(0, 1, 2, 250, 255),
            FUint32 = 4_000_000_000,
            FSfixed32 = -7,
            FSfixed64 = long.MinValue,
            FSint32 = -300,
            FSint64 = -5_000_000_000,
            Color = Color.Green,
            Inner = new Inner { Label = "outer", Value = 1, Child = new Inner { Label = "deep", Value = -2 } },
            ChoiceInner = new Inner { Label = "chosen" },
            Maybe = 0,
        };
        message.PackedInt32.Add([1, -1, 150, int.MaxValue]);
        message.PackedDouble.Add([0.25, -1e300]);
        message.PackedSint64.Add([-1, 1, long.MaxValue]);
        message.Colors.Add([Color.Red, Color.Unspecified, Color.Green]);
        message.UnpackedInt32.Add([3, 0, -4]);
        message.Names.Add(["a", "", "c"]);
        message.Inners.Add([new Inner { Label = "x" }, new Inner(), new Inner { Value = 9 }]);
        message.Blobs.Add([ByteString.Empty, ByteString.CopyFromUtf8("blob")]);
        message.Counts.Add("one", 1);
        message.Counts.Add("zero", 0);
        message.Labels.Add(-5, "minus five");
        message.Labels.Add(long.MaxValue, "max");
        message.Flags.Add(true, new Inner { Label = "yes" });
        message.Flags.Add(false, new Inner());
        message.Paints.Add(7, Color.Red);
        return message;
    }
}
