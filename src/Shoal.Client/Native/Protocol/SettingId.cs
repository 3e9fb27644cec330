namespace Shoal.Client.Native.Protocol;

/// <summary>The keys of the (u16 key, u32 value) pairs in Preface and Settings frames.</summary>
public enum SettingId : ushort
{
    /// <summary>The largest message the sender of the setting accepts.</summary>
    MaxReceiveMessageSize = 1,

    /// <summary>How many calls the sender of the setting accepts at once (server only).</summary>
    MaxConcurrentCalls = 2,

    /// <summary>The send credit, in message bytes, the sender of the setting grants each new call.</summary>
    InitialWindow = 3,

    /// <summary>
    /// The connection-level send credit, in message bytes, the sender of the setting grants across all
    /// calls; more comes in WindowUpdate frames on call id 0. A peer that does not send it does not
    /// speak connection-level flow control (see docs/protocol.md).
    /// </summary>
    InitialConnectionWindow = 4,
}
