namespace Shoal.Client.Native.Protocol;

/// <summary>The type byte of a native protocol frame (see docs/protocol.md).</summary>
public enum FrameType : byte
{
    /// <summary>Client's first frame: magic, version and the client's settings.</summary>
    Preface = 0x01,

    /// <summary>Server's first frame: the server's settings.</summary>
    Settings = 0x02,

    /// <summary>Opens a call: method, timeout, request headers, optionally the whole request message.</summary>
    CallStart = 0x03,

    /// <summary>One message of a call.</summary>
    Message = 0x04,

    /// <summary>The client sends no more request messages on this call.</summary>
    HalfClose = 0x05,

    /// <summary>Server's response headers.</summary>
    ResponseHeaders = 0x06,

    /// <summary>Ends a call: status, detail and trailers; may carry headers and the last message.</summary>
    Trailers = 0x07,

    /// <summary>Aborts a call from either side.</summary>
    Cancel = 0x08,

    /// <summary>Grants the peer more send credit on one call.</summary>
    WindowUpdate = 0x09,

    /// <summary>Liveness probe; with the Ack flag, the answer.</summary>
    Ping = 0x0A,

    /// <summary>No new calls on this connection; with an error code, the connection ends now.</summary>
    GoAway = 0x0B,
}
