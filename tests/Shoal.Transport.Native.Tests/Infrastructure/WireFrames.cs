using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>Builds the frames a hostile peer sends by hand, and reads back what the server answered.</summary>
public static class WireFrames
{
    public const string SayHello = "/hello.Greeter/SayHello";
    public const string SayHelloMany = "/hello.GreeterStreams/SayHelloMany";
    public const string SayHelloToAll = "/hello.GreeterStreams/SayHelloToAll";

    /// <summary>A preface with the given settings (none: an older client that knows no connection window).</summary>
    public static byte[] Preface(params (SettingId Id, uint Value)[] settings)
    {
        var output = new OutputBuffer();
        var start = output.BeginFrame(FrameType.Preface, FrameFlags.None, 0);
        output.WriteRaw(ProtocolConstants.Magic);
        output.WriteByte(ProtocolConstants.Version);
        foreach (var (id, value) in settings)
        {
            output.WriteUInt16((ushort)id);
            output.WriteUInt32(value);
        }
        output.EndFrame(start);
        return Take(output);
    }

    /// <summary>A CallStart; with a request it carries it inline and ends the request stream.</summary>
    public static byte[] CallStart(uint id, string method, IMessage? request, ulong timeoutMicros = 0, Metadata? headers = null)
    {
        var output = new OutputBuffer();
        var flags = request is null ? FrameFlags.None : FrameFlags.HasMessage | FrameFlags.EndStream;
        var start = output.BeginFrame(FrameType.CallStart, flags, id);
        output.WriteBytes(System.Text.Encoding.UTF8.GetBytes(method));
        output.WriteString("");
        output.WriteVarint(timeoutMicros);
        MetadataCodec.Write(output, headers);
        if (request is not null)
        {
            output.WriteRaw(request.ToByteArray());
        }
        output.EndFrame(start);
        return Take(output);
    }

    /// <summary>One request-stream message.</summary>
    public static byte[] Message(uint id, IMessage message) => RawPeer.Frame(FrameType.Message, FrameFlags.None, id, message.ToByteArray());

    public static byte[] Cancel(uint id) => RawPeer.Frame(FrameType.Cancel, FrameFlags.None, id, [(byte)StatusCode.Cancelled, 0]);

    /// <summary>Splits what a server sent into frames (a trailing partial frame is ignored).</summary>
    public static List<ReceivedFrame> Parse(ReadOnlySpan<byte> received)
    {
        var frames = new List<ReceivedFrame>();
        var offset = 0;
        while (offset + FrameHeader.Size <= received.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(received[offset..]);
            if (offset + FrameHeader.Size + length > received.Length)
            {
                break;
            }
            frames.Add(new ReceivedFrame(
                (FrameType)received[offset + 4],
                (FrameFlags)received[offset + 5],
                BinaryPrimitives.ReadUInt32LittleEndian(received[(offset + 8)..]),
                received.Slice(offset + FrameHeader.Size, length).ToArray()));
            offset += FrameHeader.Size + length;
        }
        return frames;
    }

    /// <summary>The status codes of the Trailers frames in <paramref name="frames"/>, by call id.</summary>
    public static Dictionary<uint, StatusCode> Statuses(IEnumerable<ReceivedFrame> frames)
    {
        var statuses = new Dictionary<uint, StatusCode>();
        foreach (var frame in frames.Where(f => f.Type == FrameType.Trailers))
        {
            var reader = new PayloadReader(new System.Buffers.ReadOnlySequence<byte>(frame.Payload));
            if (frame.Flags.HasFlag(FrameFlags.HasHeaders))
            {
                MetadataCodec.Read(ref reader);
            }
            statuses[frame.CallId] = (StatusCode)reader.ReadVarint();
        }
        return statuses;
    }

    /// <summary>The code of the first GoAway frame, if any.</summary>
    public static GoAwayCode? GoAway(IEnumerable<ReceivedFrame> frames)
        => frames.FirstOrDefault(f => f.Type == FrameType.GoAway) is { } goAway
            ? (GoAwayCode)BinaryPrimitives.ReadUInt32LittleEndian(goAway.Payload.AsSpan(4))
            : null;

    private static byte[] Take(OutputBuffer output)
    {
        var bytes = output.WrittenMemory.ToArray();
        output.Release();
        return bytes;
    }
}

/// <summary>One frame a raw peer received.</summary>
public sealed record ReceivedFrame(FrameType Type, FrameFlags Flags, uint CallId, byte[] Payload);
