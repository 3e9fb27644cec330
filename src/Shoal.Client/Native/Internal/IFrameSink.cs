using System.Buffers;
using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>Where a connection's read loop hands the frames <see cref="FrameDecoder.DecodeBatch"/> decodes (the client transport and the server connection).</summary>
internal interface IFrameSink
{
    /// <summary>One whole frame; the payload is valid only during the call.</summary>
    void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload);

    /// <summary>A frame over the size limit, whose payload the decoder skips.</summary>
    void OnOversized(in FrameHeader header);

    /// <summary>A large frame that does not fit in the frame budget, whose payload the decoder skips; by default handled as oversized.</summary>
    void OnOverBudget(in FrameHeader header) => OnOversized(header);
}
