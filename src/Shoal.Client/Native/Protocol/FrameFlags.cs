namespace Shoal.Client.Native.Protocol;

/// <summary>The flag bits of a frame header. Their meaning depends on the frame type.</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>CallStart: the request stream ends with this frame. Ping: this is the answer.</summary>
    EndStream = 0x01,

    /// <summary>Ping: this frame answers a ping (shares the bit with <see cref="EndStream"/>).</summary>
    Ack = 0x01,

    /// <summary>Trailers: the payload begins with the response headers.</summary>
    HasHeaders = 0x02,

    /// <summary>CallStart and Trailers: the payload ends with one whole message.</summary>
    HasMessage = 0x04,
}
