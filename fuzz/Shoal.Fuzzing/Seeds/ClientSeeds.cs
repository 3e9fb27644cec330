using Google.Protobuf;
using Grpc.Core;
using Hello;
using Shoal.Client.Native.Protocol;
using Shoal.Fuzzing.Infrastructure;

namespace Shoal.Fuzzing.Seeds;

/// <summary>
/// Seeds for the client target: what a server sends to a client with calls 1 (unary), 2 (server
/// streaming), 3 (client streaming) and 4 (duplex) in flight, valid and nearly valid.
/// </summary>
internal static class ClientSeeds
{
    public static IEnumerable<(string Name, byte[] Input)> Create()
    {
        var settings = Settings(new Wire()
            .Setting(SettingId.MaxReceiveMessageSize, 4 * 1024 * 1024)
            .Setting(SettingId.MaxConcurrentCalls, 100)
            .Setting(SettingId.InitialWindow, 65536));
        byte[] Session(params byte[][] frames) => Wire.Join([settings, .. frames]);

        var allOk = Session(
            Trailers(1, StatusCode.OK, "", headers: new Metadata { { "server", "fuzz" } }, message: Reply("one")),
            Wire.Frame(FrameType.ResponseHeaders, FrameFlags.None, 2, NativeTransportAdapter.EncodeMetadata(new Metadata { { "a", "b" } })),
            Message(2, Reply("two")),
            Message(2, Reply("three")),
            Trailers(2, StatusCode.OK, "", trailers: new Metadata { { "t-bin", [9, 9] } }),
            WindowUpdate(3, 4096),
            Trailers(3, StatusCode.OK, "", headers: null, message: Reply("four")),
            Message(4, Reply("five")),
            Trailers(4, StatusCode.OK, ""));
        yield return ("all-ok", Chunks.Prefix(0, allOk));
        yield return ("all-ok-chunked-1", Chunks.Prefix(1, allOk));
        yield return ("all-ok-chunked-9", Chunks.Prefix(9, allOk));
        yield return ("statuses", Chunks.Prefix(0, Session(
            Trailers(1, StatusCode.NotFound, "no such greeting", trailers: new Metadata { { "why", "because" } }),
            Trailers(2, StatusCode.Internal, "broken"),
            Trailers(3, StatusCode.OK, "", headers: null),
            Trailers(4, StatusCode.ResourceExhausted, "too much"))));
        yield return ("ping-settings", Chunks.Prefix(0, Session(
            Ping(5, ack: false),
            Ping(6, ack: true),
            Settings(new Wire().Setting(SettingId.InitialWindow, 1)))));
        yield return ("goaway-graceful", Chunks.Prefix(0, Session(
            GoAway(2, GoAwayCode.NoError, "draining"),
            Trailers(1, StatusCode.OK, "", headers: null, message: Reply("one")),
            Trailers(2, StatusCode.OK, ""))));
        yield return ("goaway-error", Chunks.Prefix(0, Session(GoAway(0, GoAwayCode.ProtocolError, "you broke it"))));
        yield return ("server-cancels", Chunks.Prefix(0, Session(
            Wire.Frame(FrameType.Cancel, FrameFlags.None, 4, new Wire().Varint((ulong)StatusCode.Cancelled).String("stop").ToArray()),
            Wire.Frame(FrameType.Cancel, FrameFlags.None, 1, []))));
        yield return ("handshake-goaway", Chunks.Prefix(0, GoAway(0, GoAwayCode.UnsupportedVersion, "version 1 only")));

        // Nearly valid: each breaks one rule.
        yield return ("no-settings", Chunks.Prefix(0, Wire.Join(Ping(1, ack: false), Trailers(1, StatusCode.OK, ""))));
        yield return ("truncated-settings", Chunks.Prefix(0, settings[..^2]));
        yield return ("never-started", Chunks.Prefix(0, Session(Trailers(9, StatusCode.OK, ""))));
        yield return ("message-on-unary", Chunks.Prefix(0, Session(Message(1, Reply("x")))));
        yield return ("bad-reply", Chunks.Prefix(0, Session(Message(2, [0x0A, 0x09, 0x41]), Trailers(1, StatusCode.OK, "", headers: null, message: [0xFF]))));
        yield return ("short-window-update", Chunks.Prefix(0, Session(Wire.Frame(FrameType.WindowUpdate, FrameFlags.None, 3, [1]))));
        yield return ("oversized-message", Chunks.Prefix(0, Session(new Wire().U32(100_000).Byte((byte)FrameType.Message).Byte(0).U16(0).U32(4).ToArray(), new byte[40])));
        yield return ("client-frame-type", Chunks.Prefix(0, Session(Wire.Frame(FrameType.CallStart, FrameFlags.None, 1, [0]))));
    }

    private static byte[] Settings(Wire settings) => Wire.Frame(FrameType.Settings, FrameFlags.None, 0, settings.ToArray());

    private static byte[] Reply(string message) => new HelloReply { Message = message }.ToByteArray();

    private static byte[] Message(uint id, byte[] message) => Wire.Frame(FrameType.Message, FrameFlags.None, id, message);

    private static byte[] WindowUpdate(uint id, uint credit) => Wire.Frame(FrameType.WindowUpdate, FrameFlags.None, id, new Wire().U32(credit).ToArray());

    private static byte[] Ping(ulong data, bool ack) => Wire.Frame(FrameType.Ping, ack ? FrameFlags.Ack : FrameFlags.None, 0, new Wire().U64(data).ToArray());

    private static byte[] GoAway(uint lastId, GoAwayCode code, string detail)
        => Wire.Frame(FrameType.GoAway, FrameFlags.None, 0, new Wire().U32(lastId).U32((uint)code).String(detail).ToArray());

    private static byte[] Trailers(uint id, StatusCode code, string detail, Metadata? headers = null, Metadata? trailers = null, byte[]? message = null)
    {
        var flags = FrameFlags.HasHeaders;
        var payload = new Wire().Raw(NativeTransportAdapter.EncodeMetadata(headers));
        if (headers is null)
        {
            flags = FrameFlags.None;
            payload = new Wire();
        }
        payload.Varint((ulong)code).String(detail).Raw(NativeTransportAdapter.EncodeMetadata(trailers));
        if (message is not null)
        {
            flags |= FrameFlags.HasMessage;
            payload.Raw(message);
        }
        return Wire.Frame(FrameType.Trailers, flags, id, payload.ToArray());
    }
}
