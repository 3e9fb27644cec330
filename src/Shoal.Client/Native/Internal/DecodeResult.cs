namespace Shoal.Client.Native.Internal;

/// <summary>What <see cref="FrameDecoder.TryDecode"/> found.</summary>
internal enum DecodeResult
{
    /// <summary>No whole frame yet.</summary>
    NeedMore,

    /// <summary>A whole frame.</summary>
    Frame,

    /// <summary>A frame over the length limit; its header is returned and its payload is being skipped.</summary>
    Oversized,

    /// <summary>A large frame within the limit that does not fit in the frame budget; its header is returned and its payload is being skipped.</summary>
    OverBudget,
}
