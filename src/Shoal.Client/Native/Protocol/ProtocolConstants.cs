namespace Shoal.Client.Native.Protocol;

/// <summary>Fixed values of the native protocol.</summary>
public static class ProtocolConstants
{
    /// <summary>The four magic bytes at the start of the preface payload: ASCII "SHNP".</summary>
    public static ReadOnlySpan<byte> Magic => "SHNP"u8;

    /// <summary>The protocol version this implementation speaks.</summary>
    public const byte Version = 1;

    /// <summary>Bytes allowed in a frame beyond the message limit, for the method name and metadata.</summary>
    public const int MetadataAllowance = 64 * 1024;

    /// <summary>Longest method name accepted, in bytes.</summary>
    public const int MaxMethodLength = 1024;

    /// <summary>Largest metadata block (headers or trailers) accepted, in bytes of payload.</summary>
    public const int MaxMetadataSize = 32 * 1024;

    /// <summary>The per-call send window each side starts with, in message bytes.</summary>
    public const int DefaultInitialWindow = 64 * 1024;

    /// <summary>
    /// The per-call receive window this implementation grants by default (setting 3): Kestrel's HTTP/2
    /// InitialStreamWindowSize. With 64 KiB a server stream of small messages waited for credit about
    /// every 2,000 messages and moved 3.3-3.7M messages/s on loopback; with this, 5-6M (docs/performance.md).
    /// </summary>
    public const int DefaultStreamWindowSize = 768 * 1024;

    /// <summary>The most per-call credit a side honours, whatever the peer grants (a larger initial window or sum of updates is clamped).</summary>
    public const int MaxHonouredWindow = 16 * 1024 * 1024;

    /// <summary>Frames whose declared length exceeds this are always a connection error (no skipping).</summary>
    public const long AbsoluteMaxFrameLength = 1L << 30;
}
