using System.Diagnostics.CodeAnalysis;
using Shoal.Discovery;
using Shoal.Registry.Embedded;
using Shoal.Registry.Etcd;
using Shoal.Registry.InMemory;
using Shoal.Targets;
using Shoal.Transport.Native;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shoal.Hosting.Internal;

/// <summary>
/// The registry a server registers with, from <see cref="Server.ShoalServerOptions.Registry"/>:
/// <c>registry://host:port</c> (the embedded registry over the native protocol),
/// <c>etcd://h1:p1,h2:p2</c> or <c>memory</c>.
/// </summary>
internal static class RegistryAddress
{
    public const string Memory = "memory";

    public static bool TryValidate(string address, [NotNullWhen(false)] out string? error)
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
        if (text.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase))
        {
            var withService = text.IndexOf('/', "etcd://".Length) > 0 ? text : text + "/_";
            return ShoalTarget.TryParse(withService, out _, out error);
        }
        error = $"'{address}' is not a registry address; expected registry://host:port, etcd://host:port[,host:port...] or memory.";
        return false;
    }

    /// <summary>Creates the registry and what it owns (disposed together).</summary>
    public static (IServiceRegistry Registry, IAsyncDisposable? Owned) Create(string address, IServiceProvider services)
    {
        if (!TryValidate(address, out var error))
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
        if (text.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase))
        {
            var etcd = EtcdServiceRegistry.FromAddress(text, o => o.LoggerFactory ??= loggerFactory);
            return (etcd, null);
        }
        var hostPort = text["registry://".Length..].Split('/', '?')[0];
        var connection = new NativeConnectionFactory(new NativeClientOptions()).Create(new Uri($"shoal://{hostPort}"));
        var client = new EmbeddedRegistryClient(connection.Invoker, new EmbeddedRegistryClientOptions { LoggerFactory = loggerFactory });
        return (client, connection);
    }
}
