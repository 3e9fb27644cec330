using Shoal.Telemetry.Internal;

namespace Shoal.Cli.Commands.Bench.Scenarios;

/// <summary>
/// One caller of a benchmark scenario: a loop of calls (or one long stream) with its own counters,
/// so recording takes no lock. An operation is what the scenario counts: a call, a round trip, or
/// one message of a one-way stream.
/// </summary>
internal interface IScenarioCaller
{
    /// <summary>Latencies of the operations that started and completed while measuring; empty for one-way streams.</summary>
    LatencyHistogram Histogram { get; }

    /// <summary>Failures while measuring.</summary>
    long Errors { get; }

    /// <summary>The first failure of any phase, to explain a run full of errors.</summary>
    string? FirstError { get; }

    /// <summary>Operations completed in every phase (read by the throughput sampler on another thread).</summary>
    long Completed { get; }

    /// <summary>Operations completed while measuring.</summary>
    long MeasuredOperations { get; }

    /// <summary>Payload bytes moved (both directions) by the operations counted while measuring.</summary>
    long MeasuredBytes { get; }

    /// <summary>
    /// Runs until the phase is <see cref="BenchPhase.Done"/> or the token is cancelled. While it is
    /// <see cref="BenchPhase.Paused"/> no new call starts (a stream already open goes on).
    /// </summary>
    Task RunAsync(BenchPhase phase, CancellationToken cancellationToken);
}
