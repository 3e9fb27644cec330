using Grpc.Core;

namespace Shoal.Errors;

/// <summary>
/// Marks a failed call's <see cref="Status"/> (as its <see cref="Status.DebugException"/>)
/// as one the server never started: it was never sent, or the server refused it before any handler
/// ran. Sending such a call again, to another instance, cannot run its handler twice.
/// </summary>
/// <remarks>Transports create it through <see cref="CallNotStarted.Status"/>; clients test for it with <see cref="CallNotStarted.Is"/>.</remarks>
public sealed class CallNotStartedException : Exception
{
    /// <summary>Creates the marker.</summary>
    public CallNotStartedException()
        : base("The server never started this call.")
    {
    }

    /// <summary>Creates the marker with <paramref name="message"/>.</summary>
    public CallNotStartedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the marker with <paramref name="message"/> and its cause.</summary>
    public CallNotStartedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
