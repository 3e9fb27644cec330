namespace Shoal.Autoscaling.Actuators;

/// <summary>Settings of <see cref="LocalProcessActuator"/>.</summary>
public sealed record LocalProcessOptions
{
    /// <summary>Gets the program each instance runs.</summary>
    public required string FileName { get; init; }

    /// <summary>Gets the program's arguments; <c>{port}</c> and <c>{instance}</c> are replaced per instance.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Gets extra environment variables; values may use <c>{port}</c> and <c>{instance}</c> too.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Gets how long a stopping instance has between SIGTERM (drain) and SIGKILL (5 s).</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the pause before a crashed instance is started again (1 s), doubled per earlier restart of that instance up to 32x.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the prefix of instance ids ("instance" gives instance-1, instance-2, …).</summary>
    public string InstancePrefix { get; init; } = "instance";

    /// <summary>Gets the source of a free port for a new instance, or null to ask the OS for one on 127.0.0.1.</summary>
    public Func<int>? PortAllocator { get; init; }
}
