using Microsoft.Extensions.Configuration;

namespace Shoal.Server;

/// <summary>Command-line switches of a Shoal server, mapped onto the <c>Shoal:Server</c> configuration section.</summary>
public static class ShoalCommandLine
{
    /// <summary>
    /// <c>--host</c>, <c>--tcp-port</c>, <c>--grpc-port</c>, <c>--metrics-port</c>, <c>--detailed-errors</c>, <c>--registry</c>,
    /// <c>--registry-token-file</c>, <c>--zone</c>, <c>--weight</c>, <c>--instance-id</c> and
    /// <c>--deregister-delay</c> (a time span, <c>00:00:02</c>) mapped to their configuration keys.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--host"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.Host)}",
        ["--tcp-port"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.TcpPort)}",
        ["--grpc-port"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.GrpcPort)}",
        ["--metrics-port"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.MetricsPort)}",
        ["--detailed-errors"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.EnableDetailedErrors)}",
        ["--registry"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.Registry)}",
        ["--registry-token-file"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.RegistryTokenFile)}",
        ["--zone"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.Zone)}",
        ["--weight"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.Weight)}",
        ["--instance-id"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.InstanceId)}",
        ["--deregister-delay"] = $"{ShoalServerOptions.SectionName}:{nameof(ShoalServerOptions.DeregisterDelay)}",
    };

    /// <summary>
    /// Adds <paramref name="args"/> as command-line configuration with the Shoal switches (and
    /// <paramref name="extraMappings"/>, such as <c>--delay-ms</c>) mapped to their keys. It is
    /// added last, so the command line wins over appsettings.json and the environment.
    /// </summary>
    public static IConfigurationBuilder AddShoalCommandLine(this IConfigurationBuilder configuration, string[] args, IDictionary<string, string>? extraMappings = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        var mappings = new Dictionary<string, string>(SwitchMappings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in extraMappings ?? new Dictionary<string, string>())
        {
            mappings[key] = value;
        }
        return configuration.AddCommandLine(args, mappings);
    }
}
