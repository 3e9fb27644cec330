using System.Runtime.InteropServices;

namespace Shoal.Server.Native.Internal;

/// <summary>What a server connection's timer tick samples from it: running counters and flags, read without locks.</summary>
/// <param name="HandshakeDone">Whether the preface arrived.</param>
/// <param name="OpenCalls">Calls that hold a slot (their handler runs or their outcome is not sent yet).</param>
/// <param name="CallsStarted">The running count of CallStart frames.</param>
/// <param name="FrameInProgress">Whether part of a frame has arrived and the connection is reading (not paused by its own backpressure).</param>
/// <param name="BytesReceived">The running count of bytes read from the transport.</param>
/// <param name="FlushSequence">The writer's running count of writes handed to the transport.</param>
/// <param name="PendingWrite">The size of the write the transport has not finished, or 0.</param>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct ConnectionActivity(
    bool HandshakeDone,
    int OpenCalls,
    long CallsStarted,
    bool FrameInProgress,
    long BytesReceived,
    long FlushSequence,
    int PendingWrite);
