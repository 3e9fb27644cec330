using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Hello;
using Shoal.Fuzzing.Protos;
using Shoal.Fuzzing.Targets;

namespace Shoal.Fuzzing.Seeds;

/// <summary>Seeds for the codec targets: one byte naming the message type, then JSON or protobuf bytes.</summary>
internal static class CodecSeeds
{
    public static IEnumerable<(string Name, byte[] Input)> Json()
    {
        yield return ("hello", Json("hello.HelloRequest", """{"name":"Shoal"}"""));
        yield return ("hello-empty", Json("hello.HelloRequest", "{}"));
        yield return ("many", Json("hello.ManyHellosRequest", """{"name":"Shoal","count":3}"""));
        yield return ("everything", Json("shoal.fuzz.Everything", """
            {"fDouble":1.5,"fFloat":"NaN","fInt64":"-9007199254740993","fUint64":"18446744073709551615","fInt32":-7,
             "fFixed64":"12","fFixed32":7,"fBool":true,"fString":"grüße","fBytes":"AAEC_-8","fUint32":4000000000,
             "fSfixed32":-1,"fSfixed64":"-2","fSint32":-3,"fSint64":"-4","mood":"MOOD_ANGRY","node":{"label":"n","child":{"weight":"5"}},
             "packedInt32":[1,-2,3],"packedDouble":[0.5,"-Infinity"],"moods":["MOOD_CALM",7],"unpackedUint64":["1",2],
             "names":["a",""],"blobs":["AQ=="],"nodes":[{},{"label":"x"}],
             "counts":{"a":1,"b":-1},"labels":{"-5":"minus five"},"flags":{"true":{"label":"t"}},"paints":{"3":"MOOD_CALM"},
             "blobsById":{"-1":"Zm9v"},"choiceNode":{"label":"c"},"maybe":0,"when":{"seconds":"1","nanos":2}}
            """));
        yield return ("node-deep", Json("shoal.fuzz.Node", """{"label":"a","child":{"label":"b","child":{"label":"c","children":[{"child":{}}]}}}"""));
        yield return ("timestamp", Json("google.protobuf.Timestamp", """{"seconds":"-62135596800","nanos":999999999}"""));

        // Nearly valid: each breaks one rule.
        yield return ("unknown-field", Json("hello.HelloRequest", """{"nom":"x"}"""));
        yield return ("wrong-kind", Json("shoal.fuzz.Everything", """{"fInt32":"seven","names":"a"}"""));
        yield return ("out-of-range", Json("shoal.fuzz.Everything", """{"fInt32":2147483648,"fFloat":1e39}"""));
        yield return ("bad-base64", Json("shoal.fuzz.Everything", """{"fBytes":"***"}"""));
        yield return ("null-element", Json("shoal.fuzz.Everything", """{"names":["a",null]}"""));
        yield return ("oneof-twice", Json("shoal.fuzz.Everything", """{"choiceText":"a","choiceNumber":1}"""));
        yield return ("bad-map-key", Json("shoal.fuzz.Everything", """{"labels":{"x":"y"}}"""));
        yield return ("not-json", Json("hello.HelloRequest", """{"name":"""));
    }

    public static IEnumerable<(string Name, byte[] Input)> Protobuf()
    {
        var everything = Everything();
        yield return ("hello", Protobuf("hello.HelloRequest", new HelloRequest { Name = "Shoal" }));
        yield return ("reply", Protobuf("hello.HelloReply", new HelloReply { Message = "Hello Shoal" }));
        yield return ("many", Protobuf("hello.ManyHellosRequest", new ManyHellosRequest { Name = "Shoal", Count = 3 }));
        yield return ("everything", Protobuf("shoal.fuzz.Everything", everything));
        yield return ("node-deep", Protobuf("shoal.fuzz.Node", Deep(6)));
        yield return ("timestamp", Protobuf("google.protobuf.Timestamp", new Timestamp { Seconds = 1, Nanos = 2 }));

        // Nearly valid: each breaks one rule.
        var bytes = everything.ToByteArray();
        yield return ("truncated", Raw("shoal.fuzz.Everything", bytes[..^1]));
        yield return ("wrong-wire-type", Raw("hello.HelloRequest", [0x08, 0x01]));
        yield return ("unknown-fields", Raw("hello.HelloRequest", [0x10, 0x01, 0x1D, 0, 0, 0, 0, 0x0A, 0x01, 0x41]));
        yield return ("unpacked-as-packed", Raw("shoal.fuzz.Everything", [0xBA, 0x01, 0x02, 0x01, 0x02]));
        yield return ("bad-utf8", Raw("hello.HelloRequest", [0x0A, 0x02, 0xC3, 0x28]));
        yield return ("group", Raw("hello.HelloRequest", [0x0B, 0x0C]));
    }

    private static Everything Everything()
    {
        var message = new Everything
        {
            FDouble = -0.0, FFloat = float.PositiveInfinity, FInt64 = long.MinValue, FUint64 = ulong.MaxValue, FInt32 = -1,
            FFixed64 = 1, FFixed32 = uint.MaxValue, FBool = true, FString = "grüße", FBytes = ByteString.CopyFrom(0, 1, 255),
            FUint32 = 7, FSfixed32 = int.MinValue, FSfixed64 = -5, FSint32 = -6, FSint64 = long.MaxValue, Mood = Mood.Calm,
            Node = Deep(2), ChoiceNumber = 0, Maybe = 0, When = new Timestamp { Seconds = 3 },
        };
        message.PackedInt32.Add([1, -1, 300]);
        message.PackedDouble.Add([double.NaN, 1e-300]);
        message.Moods.Add([Mood.Angry, (Mood)9]);
        message.UnpackedUint64.Add([0, 1UL << 40]);
        message.Names.Add(["x", ""]);
        message.Blobs.Add(ByteString.Empty);
        message.Nodes.Add([new Node(), Deep(1)]);
        message.Counts.Add("k", 2);
        message.Labels.Add(-1, "minus one");
        message.Flags.Add(false, new Node { Label = "f" });
        message.Paints.Add(4, Mood.Angry);
        message.BlobsById.Add(-2, ByteString.CopyFromUtf8("b"));
        return message;
    }

    private static Node Deep(int depth) => depth == 0 ? new Node { Label = "leaf", Weight = -1 } : new Node { Label = "level " + depth, Child = Deep(depth - 1) };

    private static byte[] Json(string type, string json) => Raw(type, Encoding.UTF8.GetBytes(json));

    private static byte[] Protobuf(string type, IMessage message) => Raw(type, message.ToByteArray());

    private static byte[] Raw(string type, byte[] body) => [CodecMessages.IndexOf(type), .. body];
}
