using System.Net;
using Microsoft.Extensions.Options;
using Shoal.Client.Discovery.Embedded;
using Shoal.Discovery;
using Shoal.Server.Native;

namespace Shoal.Server.Internal;

/// <summary>Rejects options a host cannot start with, naming the configuration key at fault.</summary>
internal sealed class ShoalServerOptionsValidator(IEnumerable<IServiceRegistryFactory> registryProviders) : IValidateOptions<ShoalServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ShoalServerOptions options)
    {
        var failures = new List<string>();
        if (options.TcpPort is < -1 or > 65535)
        {
            failures.Add($"Shoal:Server:TcpPort is {options.TcpPort}; use 1-65535, 0 for a free port or -1 to disable the native transport.");
        }
        if (options.GrpcPort is < -1 or > 65535)
        {
            failures.Add($"Shoal:Server:GrpcPort is {options.GrpcPort}; use 1-65535, 0 for a free port or -1 to disable gRPC.");
        }
        if (options.TcpPort < 0 && options.GrpcPort < 0)
        {
            failures.Add("Shoal:Server: both TcpPort and GrpcPort are disabled (-1); enable at least one.");
        }
        if (options.TcpPort > 0 && options.TcpPort == options.GrpcPort)
        {
            failures.Add($"Shoal:Server: TcpPort and GrpcPort are both {options.TcpPort}; the transports need separate ports.");
        }
        if (options.MetricsPort is < -1 or > 65535)
        {
            failures.Add($"Shoal:Server:MetricsPort is {options.MetricsPort}; use 1-65535, 0 for a free port or -1 for none.");
        }
        if (options.MetricsPort > 0 && (options.MetricsPort == options.TcpPort || options.MetricsPort == options.GrpcPort))
        {
            failures.Add($"Shoal:Server:MetricsPort is {options.MetricsPort}, a port a transport uses already; the metrics port needs its own.");
        }
        var host = options.Host ?? "";
        if (host is not ("*" or "+") && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            failures.Add($"Shoal:Server:Host '{host}' is not an IP address, 'localhost' or '*'.");
        }
        if (options.GrpcMaxConnections < 1)
        {
            failures.Add($"Shoal:Server:GrpcMaxConnections is {options.GrpcMaxConnections}; it must be at least 1.");
        }
        if (options.MemoryPoolBlockSize is < 4096 or > 65536 || options.MemoryPoolBlockSize % 4096 != 0)
        {
            failures.Add($"Shoal:Server:MemoryPoolBlockSize is {options.MemoryPoolBlockSize}; use a multiple of 4096 from 4096 to 65536.");
        }
        if (options.ShutdownGracePeriod < TimeSpan.Zero)
        {
            failures.Add($"Shoal:Server:ShutdownGracePeriod is {options.ShutdownGracePeriod}; it cannot be negative.");
        }
        if (options.Certificate is null && !string.IsNullOrEmpty(options.CertificatePath) && !File.Exists(options.CertificatePath))
        {
            failures.Add($"Shoal:Server:CertificatePath '{options.CertificatePath}' does not exist.");
        }
        failures.AddRange(ShoalServerTlsValidation.Validate(options));
        if (!string.IsNullOrWhiteSpace(options.Registry) && !RegistryAddress.TryValidate(options.Registry, registryProviders, out var registryError))
        {
            failures.Add($"Shoal:Server:Registry: {registryError}");
        }
        if (options.RegistryTokenFile is { } tokenFile && !RegistryToken.TryRead(tokenFile, out _, out var tokenError))
        {
            failures.Add($"Shoal:Server:RegistryTokenFile: {tokenError}");
        }
        if (options.Weight < 0)
        {
            failures.Add($"Shoal:Server:Weight is {options.Weight}; it cannot be negative.");
        }
        if (options.RegistrationTtl < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Shoal:Server:RegistrationTtl is {options.RegistrationTtl}; use at least one second.");
        }
        if (options.DeregisterDelay < TimeSpan.Zero)
        {
            failures.Add($"Shoal:Server:DeregisterDelay is {options.DeregisterDelay}; it cannot be negative.");
        }
        if (options.Native is null)
        {
            failures.Add("Shoal:Server:Native is null.");
        }
        else
        {
            failures.AddRange(NativeServerOptionsValidator.Failures(options.Native, "Shoal:Server:Native:"));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
