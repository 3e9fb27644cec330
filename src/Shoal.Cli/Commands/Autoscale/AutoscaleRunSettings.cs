namespace Shoal.Cli.Commands.Autoscale;

/// <summary>The <c>shoal autoscale run</c> command line as typed: every value is text until <see cref="AutoscaleRunOptionsBuilder"/> checks it.</summary>
internal sealed record AutoscaleRunSettings
{
    public string? ConfigFile { get; init; }

    public string? Registry { get; init; }

    public string? RegistryTokenFile { get; init; }

    public string? Service { get; init; }

    public string? Actuator { get; init; }

    public string? Command { get; init; }

    public string? Deployment { get; init; }

    public string? Namespace { get; init; }

    public string? Min { get; init; }

    public string? Max { get; init; }

    public string? Capacity { get; init; }

    public string? Interval { get; init; }

    public string? LeadTime { get; init; }

    public string? Duration { get; init; }

    public bool Json { get; init; }

    /// <summary>The Prometheus metrics port (0: a free port); null: none.</summary>
    public int? MetricsPort { get; init; }
}
