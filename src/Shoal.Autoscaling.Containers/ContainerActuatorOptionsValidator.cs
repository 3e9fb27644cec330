using System.Net;
using System.Text.RegularExpressions;

namespace Shoal.Autoscaling.Containers;

/// <summary>Rejects container actuator settings it cannot run with, naming the setting at fault.</summary>
public static partial class ContainerActuatorOptionsValidator
{
    private static readonly string[] Schemes = ["unix", "tcp", "http", "https", "npipe"];

    /// <summary>Every problem with <paramref name="options"/>, one sentence each; empty when they are valid.</summary>
    /// <param name="options">The settings.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<string> Check(ContainerActuatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || !Schemes.Contains(endpoint.Scheme, StringComparer.Ordinal))
        {
            failures.Add($"Endpoint '{options.Endpoint}' is not an Engine API address; use unix:///path/to.sock, tcp://host:port or http(s)://host:port.");
        }
        if (string.IsNullOrWhiteSpace(options.Image) || options.Image.Any(char.IsWhiteSpace))
        {
            failures.Add($"Image '{options.Image}' is not an image name, such as localhost/shoal/greeter:dev.");
        }
        if (!NamePattern().IsMatch(options.InstancePrefix ?? ""))
        {
            failures.Add($"InstancePrefix '{options.InstancePrefix}' cannot start a container name; use letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }
        if (string.IsNullOrWhiteSpace(options.Owner))
        {
            failures.Add("Owner is empty; it labels the containers this actuator may touch.");
        }
        if (options.Network is { } network && (network.Length == 0 || network.Any(char.IsWhiteSpace)))
        {
            failures.Add($"Network '{network}' is not a network name; leave it unset for the engine's default.");
        }
        if (options.Arguments is null || options.Arguments.Any(a => a is null))
        {
            failures.Add("Arguments has a missing (null) argument.");
        }
        if (options.Volumes is null || options.Volumes.Any(v => !IsBind(v)))
        {
            failures.Add($"Volumes [{string.Join(", ", options.Volumes ?? [])}] must each be source:target or source:target:options, with an absolute target path.");
        }
        if (options.Environment is null || options.Environment.Keys.Any(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            failures.Add("Environment has a variable name that is empty or holds '='.");
        }
        if (options.Labels is null || options.Labels.Keys.Any(k => string.IsNullOrWhiteSpace(k) || k.StartsWith(ContainerScaleActuator.LabelPrefix, StringComparison.Ordinal)))
        {
            failures.Add($"Labels has an empty key or one of the actuator's own ({ContainerScaleActuator.LabelPrefix}*).");
        }
        if (options.PublishedPorts is null || options.PublishedPorts.Any(p => p is < 1 or > 65535) || options.PublishedPorts.Distinct().Count() != options.PublishedPorts.Count)
        {
            failures.Add($"PublishedPorts [{string.Join(", ", options.PublishedPorts ?? [])}] must be distinct ports from 1 to 65535.");
        }
        if (!IPAddress.TryParse(options.PublishAddress, out _))
        {
            failures.Add($"PublishAddress '{options.PublishAddress}' is not an IP address (127.0.0.1 keeps published ports on this machine).");
        }
        if (options.GracePeriod <= TimeSpan.Zero)
        {
            failures.Add($"GracePeriod is {options.GracePeriod}; a draining container needs a positive time before it is killed.");
        }
        if (options.RestartDelay < TimeSpan.Zero)
        {
            failures.Add($"RestartDelay is {options.RestartDelay}; it cannot be negative.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"RequestTimeout is {options.RequestTimeout}; it must be positive.");
        }
        return failures;
    }

    /// <summary>Throws when <paramref name="options"/> are invalid, with every problem in the message.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">They are invalid.</exception>
    public static void ThrowIfInvalid(ContainerActuatorOptions options)
    {
        var failures = Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException($"Invalid container actuator settings: {string.Join(" ", failures)}", nameof(options));
        }
    }

    private static bool IsBind(string? volume)
    {
        var parts = volume?.Split(':') ?? [];
        return parts.Length is 2 or 3 && parts[0].Length > 0 && parts[1].StartsWith('/') && !parts.Any(p => p.Any(char.IsWhiteSpace));
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$")]
    private static partial Regex NamePattern();
}
