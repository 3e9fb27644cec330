using System.Buffers;
using Grpc.Core;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal.Client;

/// <summary>What a client transport's read loop calls on a call in flight.</summary>
internal interface IClientCall : IDeferredCompletion
{
    /// <summary>The call's id on its transport: 0 until it starts, and again once the server refused it and it is sent elsewhere.</summary>
    uint Id { get; }

    /// <summary>The call got its id on <paramref name="transport"/> (under the writer's lock, before any frame for it can arrive).</summary>
    void OnStarted(ClientTransport transport, uint id);

    void OnResponseHeaders(in ReadOnlySequence<byte> payload);

    /// <summary>A response-stream message; true when it was queued for the application (its bytes then return to the connection window as it is read).</summary>
    bool OnMessage(in ReadOnlySequence<byte> payload);

    /// <summary>A message frame over the receive limit is being skipped.</summary>
    void OnOversizedMessage();

    void OnTrailers(in FrameHeader header, in ReadOnlySequence<byte> payload);

    void OnWindowUpdate(uint credit);

    /// <summary>The call ends without trailers: the server cancelled it, or the connection broke.</summary>
    void Fail(Status status);
}
