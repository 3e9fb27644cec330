using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shoal.Client.Discovery.Dns;

namespace Shoal.Client.Discovery.Internal;

/// <summary>
/// A minimal DNS client for SRV lookups (RFC 1035 message format, RFC 2782 SRV), one query over
/// UDP. System.Net.Dns resolves only A/AAAA. Additional A/AAAA records in the answer (which
/// Kubernetes sends for headless Services) are attached to their SRV targets. A truncated answer
/// is used as far as it goes.
/// </summary>
internal static class DnsSrvClient
{
    private const ushort TypeA = 1;
    private const ushort TypeAaaa = 28;
    private const ushort TypeSrv = 33;

    /// <summary>The first nameserver in /etc/resolv.conf, or null.</summary>
    public static IPEndPoint? SystemNameServer()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/resolv.conf"))
            {
                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1], out var address))
                {
                    return new IPEndPoint(address, 53);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    public static async Task<IReadOnlyList<SrvRecord>> QueryAsync(IPEndPoint server, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        var query = BuildQuery(id, name);
        using var udp = new UdpClient(server.AddressFamily);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await udp.SendAsync(query, server, cts.Token).ConfigureAwait(false);
        while (true)
        {
            UdpReceiveResult result;
            try
            {
                result = await udp.ReceiveAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The DNS server {server} did not answer the SRV query for '{name}' within {timeout}.");
            }
            // Answers from elsewhere or to another query are ignored.
            if (result.RemoteEndPoint.Equals(server) && result.Buffer.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(result.Buffer) == id)
            {
                return ParseResponse(result.Buffer, id);
            }
        }
    }

    public static byte[] BuildQuery(ushort id, string name)
    {
        var buffer = new List<byte>(64);
        void U16(int v)
        {
            buffer.Add((byte)(v >> 8));
            buffer.Add((byte)v);
        }
        U16(id);
        U16(0x0100); // standard query, recursion desired
        U16(1);
        U16(0);
        U16(0);
        U16(0);
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new FormatException($"'{name}' is not a valid DNS name (a label is empty or longer than 63 bytes).");
            }
            buffer.Add((byte)bytes.Length);
            buffer.AddRange(bytes);
        }
        buffer.Add(0);
        U16(TypeSrv);
        U16(1); // class IN
        return [.. buffer];
    }

    /// <summary>Parses an answer; throws <see cref="FormatException"/> when it is malformed or an error (NXDOMAIN gives no records).</summary>
    public static IReadOnlyList<SrvRecord> ParseResponse(ReadOnlySpan<byte> message, ushort expectedId)
    {
        if (message.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(message) != expectedId)
        {
            throw new FormatException("The DNS answer is too short or answers another query.");
        }
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var rcode = flags & 0x000F;
        if (rcode == 3)
        {
            return [];
        }
        if (rcode != 0)
        {
            throw new FormatException($"The DNS server answered with error code {rcode}.");
        }
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var offset = 12;
        for (var i = 0; i < questions; i++)
        {
            ReadName(message, ref offset);
            offset += 4;
        }
        var srv = new List<(int Priority, int Weight, int Port, string Target)>();
        var addresses = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
        var total = answers + authority + additional;
        for (var i = 0; i < total && offset < message.Length; i++)
        {
            var owner = ReadName(message, ref offset);
            Need(message, offset, 10);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            offset += 10;
            Need(message, offset, length);
            var data = offset;
            offset += length;
            if (type == TypeSrv && length >= 7)
            {
                var p = data + 6;
                srv.Add((BinaryPrimitives.ReadUInt16BigEndian(message[data..]), BinaryPrimitives.ReadUInt16BigEndian(message[(data + 2)..]),
                    BinaryPrimitives.ReadUInt16BigEndian(message[(data + 4)..]), ReadName(message, ref p)));
            }
            else if ((type == TypeA && length == 4) || (type == TypeAaaa && length == 16))
            {
                if (!addresses.TryGetValue(owner, out var list))
                {
                    addresses[owner] = list = [];
                }
                list.Add(new IPAddress(message.Slice(data, length)));
            }
        }
        return [.. srv.Select(r => new SrvRecord(r.Priority, r.Weight, r.Port, r.Target,
            addresses.TryGetValue(r.Target, out var found) ? [.. found] : ImmutableArray<IPAddress>.Empty))];
    }

    private static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var name = new StringBuilder();
        var position = offset;
        var jumped = false;
        // Bounded: a name has at most 127 labels, and compression pointers may not loop forever.
        for (var steps = 0; steps < 128; steps++)
        {
            Need(message, position, 1);
            var length = message[position];
            if (length == 0)
            {
                if (!jumped)
                {
                    offset = position + 1;
                }
                return name.ToString();
            }
            if ((length & 0xC0) == 0xC0)
            {
                Need(message, position, 2);
                if (!jumped)
                {
                    offset = position + 2;
                }
                position = BinaryPrimitives.ReadUInt16BigEndian(message[position..]) & 0x3FFF;
                jumped = true;
                continue;
            }
            Need(message, position + 1, length);
            if (name.Length > 0)
            {
                name.Append('.');
            }
            name.Append(Encoding.ASCII.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }
        throw new FormatException("A DNS name in the answer is too long or loops.");
    }

    private static void Need(ReadOnlySpan<byte> message, int offset, int count)
    {
        if (offset < 0 || offset + count > message.Length)
        {
            throw new FormatException("The DNS answer ends in the middle of a record.");
        }
    }
}
