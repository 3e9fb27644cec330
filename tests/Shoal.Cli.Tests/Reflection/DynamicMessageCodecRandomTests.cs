using Google.Protobuf;
using Shoal.Cli.Reflection;
using Shoal.Cli.Tests.Infrastructure;
using Shoal.Cli.Tests.Protos;

namespace Shoal.Cli.Tests.Reflection;

/// <summary>Many random messages (fixed seed) through both directions, checked against generated code.</summary>
public sealed class DynamicMessageCodecRandomTests
{
    [Fact]
    public void RandomMessages_RoundTripAndMatchJsonFormatter()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 300; i++)
        {
            var message = RandomMessage(random, depth: 0);
            var bytes = message.ToByteArray();

            var json = DynamicMessageCodec.ToJson(CodecFixtures.AllTypesDescriptor, bytes);
            JsonAssert.Equivalent(JsonFormatter.Default.Format(message), json);

            var back = AllTypes.Parser.ParseFrom(DynamicMessageCodec.FromJson(CodecFixtures.AllTypesDescriptor, json));
            Assert.Equal(message, back);
        }
    }

    private static AllTypes RandomMessage(Random random, int depth)
    {
        var m = new AllTypes();
        bool Maybe() => random.Next(3) == 0;
        if (Maybe()) { m.FDouble = random.NextDouble() * 1e6 - 5e5; }
        if (Maybe()) { m.FFloat = (float)Math.Round(random.NextDouble() * 100, 2); }
        if (Maybe()) { m.FInt64 = random.NextInt64(long.MinValue, long.MaxValue); }
        if (Maybe()) { m.FUint64 = (ulong)random.NextInt64() * 2; }
        if (Maybe()) { m.FInt32 = random.Next(int.MinValue, int.MaxValue); }
        if (Maybe()) { m.FFixed64 = (ulong)random.NextInt64(); }
        if (Maybe()) { m.FFixed32 = (uint)random.Next() * 2; }
        if (Maybe()) { m.FBool = true; }
        if (Maybe()) { m.FString = RandomString(random); }
        if (Maybe()) { m.FBytes = ByteString.CopyFrom(RandomBytes(random)); }
        if (Maybe()) { m.FUint32 = (uint)random.Next(); }
        if (Maybe()) { m.FSfixed32 = random.Next(int.MinValue, int.MaxValue); }
        if (Maybe()) { m.FSfixed64 = random.NextInt64(long.MinValue, long.MaxValue); }
        if (Maybe()) { m.FSint32 = random.Next(int.MinValue, int.MaxValue); }
        if (Maybe()) { m.FSint64 = random.NextInt64(long.MinValue, long.MaxValue); }
        if (Maybe()) { m.Color = (Color)random.Next(0, 3); }
        if (Maybe()) { m.Inner = RandomInner(random, 2); }
        for (var n = random.Next(4); n > 0; n--)
        {
            m.PackedInt32.Add(random.Next(int.MinValue, int.MaxValue));
            m.PackedDouble.Add(random.NextDouble());
            m.PackedSint64.Add(random.NextInt64(long.MinValue, long.MaxValue));
            m.Colors.Add((Color)random.Next(0, 3));
            m.UnpackedInt32.Add(random.Next(-1000, 1000));
            m.Names.Add(RandomString(random));
            m.Inners.Add(RandomInner(random, 1));
            m.Blobs.Add(ByteString.CopyFrom(RandomBytes(random)));
            m.Counts[RandomString(random)] = random.Next();
            m.Labels[random.NextInt64(long.MinValue, long.MaxValue)] = RandomString(random);
            m.Flags[random.Next(2) == 0] = RandomInner(random, 1);
            m.Paints[(uint)random.Next()] = (Color)random.Next(0, 3);
        }
        switch (random.Next(4))
        {
            case 0: m.ChoiceText = RandomString(random); break;
            case 1: m.ChoiceNumber = random.Next(-5, 5); break;
            case 2: m.ChoiceInner = RandomInner(random, 1); break;
        }
        if (Maybe())
        {
            m.Maybe = random.Next(-2, 2);
        }
        return m;
    }

    private static Inner RandomInner(Random random, int depth)
    {
        var inner = new Inner { Label = random.Next(2) == 0 ? RandomString(random) : "", Value = random.Next(-3, 3) };
        if (depth > 0 && random.Next(2) == 0)
        {
            inner.Child = RandomInner(random, depth - 1);
        }
        return inner;
    }

    private static readonly string[] Pieces = ["a", "b", "XYZ", " ", "0", "9", "_", "-", "\"", "\\", "/", "\n", "\t", "é", "✓", "漢", "🙂"];

    private static string RandomString(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pieces[random.Next(Pieces.Length)]));

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 6)];
        random.NextBytes(bytes);
        return bytes;
    }
}
