namespace Shoal.Autoscaling.Hosting;

/// <summary>The <c>local</c> actuator's settings: the instance command, in configuration form.</summary>
public sealed class LocalActuatorSettings
{
    /// <summary>The program each instance runs, such as <c>dotnet</c> or <c>./Greeter.Server</c>.</summary>
    public string Command { get; set; } = "";

    /// <summary>Its arguments; <c>{port}</c> and <c>{instance}</c> are replaced per instance.</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Extra environment variables; values may use <c>{port}</c> and <c>{instance}</c> too.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The working directory; the current one when null.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>How long a stopping instance has to drain between SIGTERM and SIGKILL (default 5 s).</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}
