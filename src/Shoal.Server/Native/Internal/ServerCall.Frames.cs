using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Internal;
using Shoal.Client.Native.Protocol;

namespace Shoal.Server.Native.Internal;

internal abstract partial class ServerCall
{
    /// <summary>The detail of the ResourceExhausted status for a large frame the frame budget had no room for.</summary>
    public const string OverBudget = "The server has no memory to spare for this large message right now; retry later.";

    /// <summary>
    /// A Message frame for this call (read loop), or the message carried in its CallStart
    /// (<paramref name="inline"/>); only calls with a request stream accept one. Returns true when the
    /// message was queued for the handler (its bytes then go back to the connection's receive window
    /// as the handler reads it), false when it was dropped.
    /// </summary>
    public virtual bool OnMessage(in ReadOnlySequence<byte> payload, bool inline)
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
        => Complete(new Status(StatusCode.ResourceExhausted, NativeDeserializationContext.ReceiveTooLarge));

    /// <summary>A large message for this call did not fit in the frame budget and is being skipped.</summary>
    public void OnOverBudgetMessage()
        => Complete(new Status(StatusCode.ResourceExhausted, OverBudget));
}
