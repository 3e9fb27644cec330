using System.Buffers.Binary;
using System.Text;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>
/// The few HTTP/2 frames (RFC 9113) a hostile peer of the gRPC port sends by hand over cleartext (h2c
/// with prior knowledge, as the Greeter serves it), and the GOAWAY it may get back.
/// </summary>
public static class Http2Frames
{
    private const byte Data = 0x0;
    private const byte Headers = 0x1;
    private const byte Settings = 0x4;
    private const byte GoAwayType = 0x7;
    private const byte EndHeaders = 0x4;

    /// <summary>The client connection preface: the magic string and an empty SETTINGS frame.</summary>
    public static byte[] Preface() => [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(Settings, 0, 0, [])];

    /// <summary>
    /// A HEADERS frame that starts a gRPC call of <paramref name="path"/> and leaves its request body
    /// open; the header block uses HPACK literals without indexing and without Huffman coding only.
    /// </summary>
    public static byte[] CallHeaders(uint streamId, string path)
    {
        var block = new List<byte>();
        foreach (var (name, value) in (ReadOnlySpan<(string, string)>)[
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1"),
            ("content-type", "application/grpc"), ("te", "trailers")])
        {
            block.Add(0x00);
            AddString(block, name);
            AddString(block, value);
        }
        return Frame(Headers, EndHeaders, streamId, [.. block]);
    }

    /// <summary>A DATA frame on <paramref name="streamId"/> that does not end the stream.</summary>
    public static byte[] DataFrame(uint streamId, ReadOnlySpan<byte> payload) => Frame(Data, 0, streamId, payload);

    /// <summary>The error code of the first GOAWAY in what the server sent, or null when there is none.</summary>
    public static uint? GoAway(ReadOnlySpan<byte> received)
    {
        var offset = 0;
        while (offset + 9 <= received.Length)
        {
            var length = (received[offset] << 16) | (received[offset + 1] << 8) | received[offset + 2];
            if (offset + 9 + length > received.Length)
            {
                return null;
            }
            if (received[offset + 3] == GoAwayType && length >= 8)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(received[(offset + 9 + 4)..]);
            }
            offset += 9 + length;
        }
        return null;
    }

    private static byte[] Frame(byte type, byte flags, uint streamId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    private static void AddString(List<byte> block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        // A 7-bit length prefix, the Huffman bit clear: every name and value here is shorter than 127.
        block.Add((byte)bytes.Length);
        block.AddRange(bytes);
    }
}
