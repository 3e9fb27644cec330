using System.Buffers;
using Shoal.Transport.Native.Protocol;

namespace Shoal.Transport.Native.Internal.Server;

internal abstract partial class ServerCall
{
    /// <summary>A Message frame for this call (read loop); only calls with a request stream accept one.</summary>
    public virtual void OnMessage(in ReadOnlySequence<byte> payload)
        => throw new ProtocolException(GoAwayCode.ProtocolError, $"Call {Id} ({Definition.FullName}) takes no request stream.");

    /// <summary>A HalfClose frame for this call (read loop).</summary>
    public virtual void OnHalfClose()
    {
    }

    /// <summary>A WindowUpdate frame for this call (read loop).</summary>
    public virtual void OnWindowUpdate(uint credit)
    {
    }

    /// <summary>A message for this call was over the receive limit and is being skipped.</summary>
    public void OnOversizedMessage()
        => Complete(new Grpc.Core.Status(Grpc.Core.StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge));
}
