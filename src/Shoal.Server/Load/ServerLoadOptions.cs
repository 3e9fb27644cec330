namespace Shoal.Server.Load;

/// <summary>
/// How a Shoal server measures its load (configuration section <c>Shoal:Server:Load</c>).
/// </summary>
public sealed class ServerLoadOptions
{
    /// <summary>The reporting window: the load is summed over it and published once per window. Default 5 s.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The cores the process may use, for CPU utilisation (a container's CPU limit, say 1.5); null
    /// means <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public double? CpuAllotment { get; set; }
}
