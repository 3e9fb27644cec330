using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Client.Native.Protocol;

namespace Shoal.Transport.Native.Tests.Infrastructure;

/// <summary>A raw socket that speaks (or breaks) the native protocol by hand, for bad-input and keepalive tests.</summary>
public sealed class RawPeer : IDisposable
{
    private RawPeer(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawPeer(socket);
    }

    public static byte[] Frame(FrameType type, FrameFlags flags, uint callId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(payload.Length, type, flags, callId).Write(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    public static byte[] Preface(byte version = ProtocolConstants.Version)
    {
        var payload = new byte[5];
        ProtocolConstants.Magic.CopyTo(payload);
        payload[4] = version;
        return Frame(FrameType.Preface, FrameFlags.None, 0, payload);
    }

    public static byte[] Header(uint length, byte type, uint callId)
    {
        var header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(header, length);
        header[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), callId);
        return header;
    }

    /// <summary>Reads what a client sends on <paramref name="socket"/> until its first CallStart frame; returns that call's id.</summary>
    public static async Task<uint> ReadUntilCallStartAsync(Socket socket)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory());
            if (n == 0)
            {
                throw new IOException("The client closed.");
            }
            received.AddRange(buffer.AsSpan(0, n));
            var bytes = received.ToArray();
            var offset = 0;
            while (offset + FrameHeader.Size <= bytes.Length)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
                if ((FrameType)bytes[offset + 4] == FrameType.CallStart)
                {
                    return BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8));
                }
                offset += FrameHeader.Size + length;
            }
        }
    }

    public Task SendAsync(byte[] bytes) => Socket.SendAsync(bytes.AsMemory()).AsTask();

    /// <summary>Reads until the peer closes; returns what it sent. Throws when it stays open past the timeout.</summary>
    public async Task<byte[]> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = await Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return received.ToArray();
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The server kept the connection open.");
            }
            if (n == 0)
            {
                return received.ToArray();
            }
            received.Write(buffer, 0, n);
        }
    }

    /// <summary>Finds the GoAway frame in what the server sent and returns its code.</summary>
    public static GoAwayCode? FindGoAway(byte[] received)
    {
        var offset = 0;
        while (offset + FrameHeader.Size <= received.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(received.AsSpan(offset));
            if ((FrameType)received[offset + 4] == FrameType.GoAway && offset + FrameHeader.Size + 8 <= received.Length)
            {
                return (GoAwayCode)BinaryPrimitives.ReadUInt32LittleEndian(received.AsSpan(offset + FrameHeader.Size + 4));
            }
            offset += FrameHeader.Size + length;
        }
        return null;
    }

    public void Dispose() => Socket.Dispose();
}
