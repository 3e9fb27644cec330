using System.Buffers;
using Grpc.Core;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Hands a message's bytes to a <see cref="Marshaller{T}"/> as a slice of the read buffer, so
/// protobuf parses from the <see cref="ReadOnlySequence{T}"/> without a copy. One per read loop.
/// </summary>
internal sealed class NativeDeserializationContext : DeserializationContext
{
    /// <summary>Detail of the status for a message that could not be parsed.</summary>
    public const string Malformed = "Failed to deserialize message.";

    /// <summary>Detail of the status for a message over the receive limit (grpc-dotnet's wording).</summary>
    public const string ReceiveTooLarge = "Received message exceeds the maximum configured message size.";

    private ReadOnlySequence<byte> _payload;

    public override int PayloadLength => (int)_payload.Length;

    public override byte[] PayloadAsNewBuffer() => _payload.ToArray();

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => _payload;

    /// <summary>Deserializes <paramref name="payload"/>; a parser failure becomes an <see cref="RpcException"/> with Internal.</summary>
    public T Deserialize<T>(Marshaller<T> marshaller, in ReadOnlySequence<byte> payload)
    {
        _payload = payload;
        try
        {
            return marshaller.ContextualDeserializer(this);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, Malformed + " " + e.Message, e));
        }
        finally
        {
            _payload = default;
        }
    }
}
