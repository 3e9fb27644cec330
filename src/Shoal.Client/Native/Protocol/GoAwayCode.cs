namespace Shoal.Client.Native.Protocol;

/// <summary>The error code of a GoAway frame.</summary>
public enum GoAwayCode : uint
{
    /// <summary>Graceful: no new calls, calls in flight finish.</summary>
    NoError = 0,

    /// <summary>The peer broke the protocol; the connection closes now.</summary>
    ProtocolError = 1,

    /// <summary>The preface carried a version this side does not speak.</summary>
    UnsupportedVersion = 2,

    /// <summary>A frame was longer than the limit allows.</summary>
    FrameTooLarge = 3,

    /// <summary>The peer did not answer a ping in time, or did not send its preface in time.</summary>
    Timeout = 4,

    /// <summary>An internal failure of this side.</summary>
    InternalError = 5,

    /// <summary>The peer cancelled calls, or let them expire, faster than this side allows (HTTP/2's ENHANCE_YOUR_CALM).</summary>
    EnhanceYourCalm = 6,

    /// <summary>The server already has as many connections as it accepts; the client should back off or try another instance.</summary>
    TooManyConnections = 7,
}
