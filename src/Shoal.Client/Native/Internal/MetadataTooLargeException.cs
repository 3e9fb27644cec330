using Shoal.Client.Native.Protocol;

namespace Shoal.Client.Native.Internal;

/// <summary>
/// A metadata block, key or value over its limit. Left alone it is a protocol error like any other;
/// the frames that carry metadata catch it to fail only the call it belongs to (ResourceExhausted).
/// </summary>
internal sealed class MetadataTooLargeException()
    : ProtocolException(GoAwayCode.ProtocolError, $"Malformed frame: metadata larger than {ProtocolConstants.MaxMetadataSize / 1024} KiB (or a key longer than {ProtocolConstants.MaxMethodLength} bytes).")
{
    /// <summary>The detail of the ResourceExhausted status the call fails with.</summary>
    public const string RequestDetail = "The request metadata exceeds the 32 KiB limit of the native protocol.";

    /// <summary>The detail when the server's response headers or trailers are too large.</summary>
    public const string ResponseDetail = "The response metadata exceeds the 32 KiB limit of the native protocol.";
}
