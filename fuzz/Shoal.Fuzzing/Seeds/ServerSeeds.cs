using Google.Protobuf;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Fuzzing.Infrastructure;

namespace Shoal.Fuzzing.Seeds;

/// <summary>Seeds for the server target: what clients send, valid and nearly valid.</summary>
internal static class ServerSeeds
{
    private const string SayHello = "/hello.Greeter/SayHello";
    private const string SayHelloMany = "/hello.GreeterStreams/SayHelloMany";
    private const string SayHelloToAll = "/hello.GreeterStreams/SayHelloToAll";
    private const string Chat = "/hello.GreeterStreams/Chat";

    public static IEnumerable<(string Name, byte[] Input)> Create()
    {
        var preface = Preface(ProtocolConstants.Version);
        byte[] Session(params byte[][] frames) => Wire.Join([preface, .. frames]);

        var unary = Session(Unary(1, "Shoal"));
        yield return ("unary", Chunks.Prefix(0, unary));
        yield return ("unary-chunked-1", Chunks.Prefix(1, unary));
        yield return ("unary-chunked-7", Chunks.Prefix(7, unary));
        yield return ("unary-behaviours", Chunks.Prefix(0, Session(
            Unary(1, "async"),
            Unary(2, "throw"),
            Unary(3, "status"),
            CallStart(4, SayHello, Request("headers"), FrameFlags.HasMessage | FrameFlags.EndStream, headers: new Metadata { { "who", "fuzz" }, { "blob-bin", [0, 1, 2] } }),
            Unary(5, "wait"),
            Wire.Frame(FrameType.Cancel, FrameFlags.None, 5, []))));
        yield return ("unary-deadline", Chunks.Prefix(0, Session(CallStart(1, SayHello, Request("wait"), FrameFlags.HasMessage | FrameFlags.EndStream, timeoutMicros: 1))));
        yield return ("unary-unknown", Chunks.Prefix(0, Session(
            CallStart(1, "/hello.Greeter/Nope", Request("x"), FrameFlags.HasMessage | FrameFlags.EndStream),
            CallStart(2, "/nope.Nope/Nope", Request("x"), FrameFlags.HasMessage | FrameFlags.EndStream),
            CallStart(3, SayHello, null, FrameFlags.None))));
        yield return ("unary-bad-message", Chunks.Prefix(0, Session(CallStart(1, SayHello, [0x0A, 0x05, 0x41], FrameFlags.HasMessage | FrameFlags.EndStream))));

        var many = CallStart(1, SayHelloMany, new ManyHellosRequest { Name = "Shoal", Count = 3 }.ToByteArray(), FrameFlags.HasMessage | FrameFlags.EndStream);
        yield return ("server-streaming", Chunks.Prefix(0, Session(many, WindowUpdate(1, 65536))));

        var toAll = Session(
            CallStart(1, SayHelloToAll, null, FrameFlags.None),
            Message(1, Request("a")),
            Message(1, Request("async b")),
            Wire.Frame(FrameType.HalfClose, FrameFlags.None, 1, []));
        yield return ("client-streaming", Chunks.Prefix(0, toAll));
        yield return ("client-streaming-chunked-5", Chunks.Prefix(5, toAll));

        var chat = Session(
            CallStart(1, Chat, null, FrameFlags.None),
            Message(1, Request("a")),
            WindowUpdate(1, 1024),
            Message(1, Request("headers")),
            Ping(7, ack: false),
            Wire.Frame(FrameType.Settings, FrameFlags.None, 0, new Wire().Setting(SettingId.InitialWindow, 4096).ToArray()),
            Wire.Frame(FrameType.HalfClose, FrameFlags.None, 1, []),
            Ping(8, ack: true));
        yield return ("duplex", Chunks.Prefix(0, chat));
        yield return ("duplex-chunked-3", Chunks.Prefix(3, chat));
        yield return ("duplex-cancelled", Chunks.Prefix(0, Session(
            CallStart(1, Chat, null, FrameFlags.None),
            Message(1, Request("wait")),
            Wire.Frame(FrameType.Cancel, FrameFlags.None, 1, []),
            Message(1, Request("late")))));

        yield return ("goaway-graceful", Chunks.Prefix(0, Session(Unary(1, "async"), GoAway(GoAwayCode.NoError, "bye"))));
        yield return ("goaway-error", Chunks.Prefix(0, Session(Unary(1, "wait"), GoAway(GoAwayCode.ProtocolError, "broken"))));
        yield return ("too-many-calls", Chunks.Prefix(0, Session([.. Enumerable.Range(1, 10).Select(i => Unary((uint)i, "wait"))])));

        // Nearly valid: each breaks one rule.
        yield return ("bad-magic", Chunks.Prefix(0, Wire.Frame(FrameType.Preface, FrameFlags.None, 0, new Wire().Raw("SHNQ"u8).Byte(1).ToArray())));
        yield return ("bad-version", Chunks.Prefix(0, Wire.Join(Preface(2), Unary(1, "x"))));
        yield return ("no-preface", Chunks.Prefix(0, Unary(1, "x")));
        yield return ("truncated", Chunks.Prefix(0, unary[..^3]));
        yield return ("reserved-bits", Chunks.Prefix(0, Session(Reserved(Unary(1, "x")))));
        yield return ("unknown-type", Chunks.Prefix(0, Session(Wire.Frame((FrameType)0x0C, FrameFlags.None, 0, [1, 2]))));
        yield return ("id-not-increasing", Chunks.Prefix(0, Session(Unary(2, "x"), Unary(1, "y"))));
        yield return ("never-started", Chunks.Prefix(0, Session(Message(9, Request("x")))));
        yield return ("short-ping", Chunks.Prefix(0, Session(Wire.Frame(FrameType.Ping, FrameFlags.None, 0, [1, 2, 3]))));
        yield return ("oversized-callstart", Chunks.Prefix(0, Session(
            Header(200_000, FrameType.CallStart, 1), new byte[64], Unary(3, "after"))));
        yield return ("oversized-message", Chunks.Prefix(0, Session(
            CallStart(1, Chat, null, FrameFlags.None),
            Header(200_000, FrameType.Message, 1),
            new byte[32])));
        yield return ("assembled-message", Chunks.Prefix(0, Session(
            CallStart(1, SayHelloToAll, null, FrameFlags.None),
            Message(1, new HelloRequest { Name = new string('x', 66_000) }.ToByteArray()),
            Wire.Frame(FrameType.HalfClose, FrameFlags.None, 1, []))));
    }

    private static byte[] Preface(byte version) => Wire.Frame(FrameType.Preface, FrameFlags.None, 0, new Wire()
        .Raw(ProtocolConstants.Magic).Byte(version)
        .Setting(SettingId.MaxReceiveMessageSize, 4 * 1024 * 1024)
        .Setting(SettingId.InitialWindow, 65536)
        .ToArray());

    private static byte[] Request(string name) => new HelloRequest { Name = name }.ToByteArray();

    private static byte[] Unary(uint id, string name) => CallStart(id, SayHello, Request(name), FrameFlags.HasMessage | FrameFlags.EndStream);

    private static byte[] CallStart(uint id, string method, byte[]? message, FrameFlags flags, ulong timeoutMicros = 0, Metadata? headers = null)
    {
        var payload = new Wire().String(method).String("").Varint(timeoutMicros).Raw(NativeTransportAdapter.EncodeMetadata(headers));
        if (message is not null)
        {
            payload.Raw(message);
        }
        return Wire.Frame(FrameType.CallStart, flags, id, payload.ToArray());
    }

    private static byte[] Message(uint id, byte[] message) => Wire.Frame(FrameType.Message, FrameFlags.None, id, message);

    private static byte[] WindowUpdate(uint id, uint credit) => Wire.Frame(FrameType.WindowUpdate, FrameFlags.None, id, new Wire().U32(credit).ToArray());

    private static byte[] Ping(ulong data, bool ack) => Wire.Frame(FrameType.Ping, ack ? FrameFlags.Ack : FrameFlags.None, 0, new Wire().U64(data).ToArray());

    private static byte[] GoAway(GoAwayCode code, string detail) => Wire.Frame(FrameType.GoAway, FrameFlags.None, 0, new Wire().U32(0).U32((uint)code).String(detail).ToArray());

    private static byte[] Header(uint length, FrameType type, uint id) => new Wire().U32(length).Byte((byte)type).Byte(0).U16(0).U32(id).ToArray();

    private static byte[] Reserved(byte[] frame)
    {
        frame[6] = 1;
        return frame;
    }
}
