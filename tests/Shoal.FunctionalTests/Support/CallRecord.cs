using System.Diagnostics;
using Grpc.Core;

namespace Shoal.FunctionalTests.Support;

/// <summary>
/// One finished call: when it started and ended (<see cref="Stopwatch"/> timestamps), which instance answered, or how it
/// failed, and whether the client knew that failure as a call the server never started (<see cref="Shoal.Errors.CallNotStarted.Is"/>).
/// </summary>
public readonly record struct CallRecord(long Start, long End, string? Instance, StatusCode? Failure, string? Detail, bool NeverStarted = false)
{
    /// <summary>How long the call took.</summary>
    public TimeSpan Latency => Stopwatch.GetElapsedTime(Start, End);
}
