namespace Shoal.Transport.Native.Protocol;

/// <summary>The keys of the (u16 key, u32 value) pairs in Preface and Settings frames.</summary>
public enum SettingId : ushort
{
    /// <summary>The largest message the sender of the setting accepts.</summary>
    MaxReceiveMessageSize = 1,

    /// <summary>How many calls the sender of the setting accepts at once (server only).</summary>
    MaxConcurrentCalls = 2,

    /// <summary>The send credit, in message bytes, the sender of the setting grants each new call.</summary>
    InitialWindow = 3,
}
