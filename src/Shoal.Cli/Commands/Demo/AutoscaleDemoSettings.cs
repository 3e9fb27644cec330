using Shoal.Cli.Commands.Bench;

namespace Shoal.Cli.Commands.Demo;

/// <summary>How the autoscaling demo runs.</summary>
internal sealed record AutoscaleDemoSettings
{
    /// <summary>The default length: a day of the trace in two and a half minutes.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(150);

    /// <summary>How long the load runs.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>The control interval (one decision, one progress line).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls per second one instance serves.</summary>
    public double Capacity { get; init; } = 100;

    /// <summary>The load's peak in instances' worth of capacity.</summary>
    public double PeakInstances { get; init; } = 4.5;

    /// <summary>The fewest replicas (2: one SIGKILL never leaves the service without an instance).</summary>
    public int MinReplicas { get; init; } = 2;

    /// <summary>The most replicas.</summary>
    public int MaxReplicas { get; init; } = 8;

    /// <summary>A trace CSV, or null for the shipped WorldCup excerpt.</summary>
    public string? TracePath { get; init; }

    /// <summary>Where the HTML chart goes, or null for a file in the temp directory.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>Whether one instance is killed with SIGKILL midway.</summary>
    public bool Kill { get; init; } = true;

    /// <summary>
    /// The members' token file (<c>--registry-token-file</c>): the embedded registry requires it, and
    /// every instance, client and the autoscaler send it. Null: the registry is open (loopback only).
    /// </summary>
    public string? RegistryTokenFile { get; init; }

    /// <summary>How to start the instance processes (this same program).</summary>
    public ShoalExecutable? Executable { get; init; }
}
