using System.Buffers;
using System.Text;
using Grpc.Core;

namespace Shoal.Server.Native.Internal;

/// <summary>One bound method: its name as UTF-8 bytes for lookup from frames, and how to start a call of its kind.</summary>
internal abstract class ServerMethod
{
    protected ServerMethod(IMethod method)
    {
        FullName = method.FullName;
        ServiceName = method.ServiceName;
        NameUtf8 = Encoding.UTF8.GetBytes(method.FullName);
        Type = method.Type;
    }

    public string FullName { get; }

    public string ServiceName { get; }

    public byte[] NameUtf8 { get; }

    public MethodType Type { get; }

    /// <summary>Whether a call of this kind carries its one request in the CallStart frame.</summary>
    public bool RequestInline => Type is MethodType.Unary or MethodType.ServerStreaming;

    /// <summary>Starts a call on the read loop; <paramref name="message"/> is the inline request, valid only during this call.</summary>
    public abstract void Start(ServerConnection connection, in CallStartInfo start, in ReadOnlySequence<byte> message);
}
