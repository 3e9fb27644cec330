namespace Shoal.Cli.Commands.Autoscale;

/// <summary>One decision of <c>shoal autoscale run --json</c>: one JSON object per line.</summary>
internal sealed record AutoscaleRunLine(
    DateTimeOffset Time,
    string Actuator,
    string Reason,
    int Current,
    int Desired,
    int Recommended,
    int Instances,
    double LoadRps,
    double ForecastRps,
    double Headroom,
    double CapacityRps,
    double P99Ms,
    long Errors,
    double Cpu);
