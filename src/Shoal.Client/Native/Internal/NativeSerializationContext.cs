using System.Buffers;
using Grpc.Core;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// Lets a <see cref="Marshaller{T}"/> serialize straight into the connection's output buffer
/// (protobuf's <c>IBufferMessage</c> path), so no byte array is made per message. One instance per
/// connection, used under the writer's lock.
/// </summary>
internal sealed class NativeSerializationContext : SerializationContext
{
    /// <summary>Detail of the status for a message over the send limit (grpc-dotnet's wording).</summary>
    public const string SendTooLarge = "Sending message exceeds the maximum configured message size.";

    private OutputBuffer? _output;
    private int _maxSize;

    /// <summary>Serializes <paramref name="message"/> at the end of <paramref name="output"/>; returns its size.</summary>
    /// <exception cref="RpcException">ResourceExhausted when the message is over <paramref name="maxSize"/>.</exception>
    public int Serialize<T>(OutputBuffer output, Marshaller<T> marshaller, T message, int maxSize)
    {
        _output = output;
        _maxSize = maxSize;
        var start = output.Length;
        try
        {
            marshaller.ContextualSerializer(message, this);
        }
        finally
        {
            _output = null;
        }
        var size = output.Length - start;
        if (size > maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, SendTooLarge));
        }
        return size;
    }

    public override void SetPayloadLength(int payloadLength)
    {
        if (payloadLength > _maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, SendTooLarge));
        }
        // Protobuf asks for room a little at a time; a large message would grow the buffer by doubling, copying it each time.
        _output?.Reserve(payloadLength);
    }

    public override IBufferWriter<byte> GetBufferWriter() => _output ?? throw new InvalidOperationException("Serialization is not in progress.");

    public override void Complete(byte[] payload)
    {
        if (payload.Length > _maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, SendTooLarge));
        }
        (_output ?? throw new InvalidOperationException("Serialization is not in progress.")).WriteRaw(payload);
    }

    public override void Complete()
    {
    }
}
