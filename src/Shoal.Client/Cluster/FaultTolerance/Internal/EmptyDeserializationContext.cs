using System.Buffers;
using Grpc.Core;

namespace Shoal.Client.Cluster.FaultTolerance.Internal;

/// <summary>A zero-length payload, for asking a marshaller what an empty message reads as.</summary>
internal sealed class EmptyDeserializationContext : DeserializationContext
{
    public static EmptyDeserializationContext Instance { get; } = new();

    public override int PayloadLength => 0;

    public override byte[] PayloadAsNewBuffer() => [];

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => ReadOnlySequence<byte>.Empty;
}
