using System.Diagnostics.CodeAnalysis;

namespace Shoal.Discovery;

/// <summary>
/// Creates the registry a server registers with from a registry address whose scheme it
/// supports (<c>etcd://h1:p1,h2:p2</c>, ...). A provider package registers one in the server's
/// services; the host picks it by the address's scheme.
/// </summary>
public interface IServiceRegistryFactory
{
    /// <summary>Whether this factory creates registries for <paramref name="scheme"/> (without <c>://</c>).</summary>
    bool Supports(string scheme);

    /// <summary>Checks <paramref name="address"/> without connecting; <paramref name="error"/> says what is wrong.</summary>
    bool TryValidate(string address, [NotNullWhen(false)] out string? error);

    /// <summary>Creates the registry for <paramref name="address"/>; the caller disposes it.</summary>
    /// <param name="address">A registry address with a supported scheme.</param>
    /// <param name="services">The host's services (logging and shared instances).</param>
    IServiceRegistry Create(string address, IServiceProvider services);
}
