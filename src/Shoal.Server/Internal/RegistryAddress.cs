using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Client;
using Shoal.Client.Discovery.Embedded;
using Shoal.Client.Discovery.InMemory;
using Shoal.Client.Internal;
using Shoal.Discovery;
using Shoal.Targets;

namespace Shoal.Server.Internal;

/// <summary>
/// The registry a server registers with, from <see cref="Server.ShoalServerOptions.Registry"/>:
/// <c>registry://host:port</c> (the embedded registry over the native protocol),
/// <c>memory</c>, or any scheme an <see cref="IServiceRegistryFactory"/> in the host's services
/// supports (<c>etcd://h1:p1,h2:p2</c> once Shoal.Registry.Etcd's <c>AddShoalEtcd()</c> ran).
/// </summary>
internal static class RegistryAddress
{
    public const string Memory = "memory";

    public static bool TryValidate(string address, IEnumerable<IServiceRegistryFactory> providers, [NotNullWhen(false)] out string? error)
    {
        var text = address.Trim();
        if (string.Equals(text, Memory, StringComparison.OrdinalIgnoreCase))
        {
            error = null;
            return true;
        }
        if (text.StartsWith("registry://", StringComparison.OrdinalIgnoreCase))
        {
            // The registry's own address: a service path is allowed but not needed.
            var withService = text.Contains('/', StringComparison.Ordinal) && text.IndexOf('/', "registry://".Length) > 0 ? text : text + "/_";
            if (!ShoalTarget.TryParse(withService, out var target, out error))
            {
                return false;
            }
            if (target.Hosts.Length != 1)
            {
                error = $"'{address}' names {target.Hosts.Length} registries; registry:// takes one host:port.";
                return false;
            }
            return true;
        }
        var scheme = SchemeOf(text);
        if (scheme is not null && providers.FirstOrDefault(p => p.Supports(scheme)) is { } provider)
        {
            if (provider.TryValidate(text, out error))
            {
                return true;
            }
            error ??= $"'{address}' is not a valid {scheme}:// registry address.";
            return false;
        }
        error = $"'{address}' is not a registry address; expected registry://host:port or memory, or a scheme a registry provider supports.{(scheme is null ? "" : ProviderPackages.HintFor(scheme))}";
        return false;
    }

    /// <summary>Creates the registry and what it owns (disposed together).</summary>
    public static (IServiceRegistry Registry, IAsyncDisposable? Owned) Create(string address, IServiceProvider services, ShoalServerOptions? server = null)
    {
        var providers = services.GetServices<IServiceRegistryFactory>().ToArray();
        if (!TryValidate(address, providers, out var error))
        {
            throw new FormatException(error);
        }
        var text = address.Trim();
        var loggerFactory = services.GetService<ILoggerFactory>();
        if (string.Equals(text, Memory, StringComparison.OrdinalIgnoreCase))
        {
            var shared = services.GetService<InMemoryServiceRegistry>();
            return shared is not null ? (shared, null) : (new InMemoryServiceRegistry(), null);
        }
        if (SchemeOf(text) is { } scheme && providers.FirstOrDefault(p => p.Supports(scheme)) is { } provider)
        {
            return (provider.Create(text, services), null);
        }
        var hostPort = text["registry://".Length..].Split('/', '?')[0];
        var channel = new ShoalChannelOptions { Tls = server?.RegistryTls ?? new(), LoggerFactory = loggerFactory };
        var connection = channel.CreateConnectionFactory("shoal").Create(new Uri($"shoal://{hostPort}"));
        var client = new EmbeddedRegistryClient(connection.Invoker, new EmbeddedRegistryClientOptions
        {
            LoggerFactory = loggerFactory,
            Token = server?.RegistryTokenFile is { } path ? RegistryToken.ReadFile(path) : null,
        });
        return (client, connection);
    }

    private static string? SchemeOf(string address)
    {
        var end = address.IndexOf("://", StringComparison.Ordinal);
        return end > 0 ? address[..end] : null;
    }
}
