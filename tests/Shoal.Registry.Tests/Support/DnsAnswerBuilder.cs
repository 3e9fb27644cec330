using System.Net;
using System.Text;

namespace Shoal.Registry.Tests.Support;

/// <summary>Writes DNS answers by hand (RFC 1035), with a compression pointer to the question name, for the SRV client tests.</summary>
internal sealed class DnsAnswerBuilder
{
    private readonly List<(string Owner, ushort Type, byte[] Data)> _records = [];

    public DnsAnswerBuilder Srv(int priority, int weight, int port, string target)
    {
        var data = new List<byte> { (byte)(priority >> 8), (byte)priority, (byte)(weight >> 8), (byte)weight, (byte)(port >> 8), (byte)port };
        data.AddRange(Name(target));
        _records.Add(("", 33, [.. data]));
        return this;
    }

    public DnsAnswerBuilder Address(string owner, IPAddress address)
    {
        _records.Add((owner, (ushort)(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 28 : 1), address.GetAddressBytes()));
        return this;
    }

    /// <summary>The answer to query <paramref name="id"/> for <paramref name="name"/>; SRV records are answers, addresses additional records.</summary>
    public byte[] Build(ushort id, string name, int rcode = 0)
    {
        var answers = _records.Where(r => r.Type == 33).ToList();
        var additional = _records.Where(r => r.Type != 33).ToList();
        var bytes = new List<byte>();
        void U16(int v)
        {
            bytes.Add((byte)(v >> 8));
            bytes.Add((byte)v);
        }
        U16(id);
        U16(0x8180 | rcode);
        U16(1);
        U16(answers.Count);
        U16(0);
        U16(additional.Count);
        bytes.AddRange(Name(name));
        U16(33);
        U16(1);
        foreach (var (owner, type, data) in answers.Concat(additional))
        {
            if (owner.Length == 0)
            {
                U16(0xC00C); // pointer to the question name at offset 12
            }
            else
            {
                bytes.AddRange(Name(owner));
            }
            U16(type);
            U16(1);
            bytes.AddRange(new byte[] { 0, 0, 0, 30 });
            U16(data.Length);
            bytes.AddRange(data);
        }
        return [.. bytes];
    }

    private static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }
}
