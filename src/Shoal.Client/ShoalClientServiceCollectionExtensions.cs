using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shoal.Client.Internal;

namespace Shoal.Client;

/// <summary>Registers generated gRPC clients that call through a <see cref="ShoalChannel"/>, as <c>AddGrpcClient</c> does for grpc-dotnet.</summary>
public static class ShoalClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> (a generated client such as <c>Greeter.GreeterClient</c>)
    /// as transient, all instances sharing one channel that lives as long as the container.
    /// The target is <paramref name="target"/> when given, else configuration key
    /// <c>Shoal:Clients:&lt;Service&gt;:Target</c> (for <c>Greeter.GreeterClient</c>, <c>Shoal:Clients:Greeter:Target</c>).
    /// </summary>
    public static IServiceCollection AddShoalClient<TClient>(this IServiceCollection services, string? target = null, Action<ShoalChannelOptions>? configure = null)
        where TClient : ClientBase
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = ClientName<TClient>();
        var options = services.AddOptions<ShoalClientOptions>(name).BindConfiguration($"{ShoalClientOptions.SectionName}:{ConfigurationName<TClient>()}");
        if (target is not null)
        {
            options.Configure(o => o.Target = target);
        }
        if (configure is not null)
        {
            options.Configure(o => configure(o.Channel));
        }
        services.TryAddSingleton<ShoalClientChannel<TClient>>();
        services.TryAddTransient(sp => ShoalClientChannel<TClient>.CreateClient(sp.GetRequiredService<ShoalClientChannel<TClient>>().Channel));
        return services;
    }

    /// <summary>The named-options name of <typeparamref name="TClient"/>'s settings.</summary>
    internal static string ClientName<TClient>() => typeof(TClient).FullName ?? typeof(TClient).Name;

    /// <summary>The service's name for configuration: the class declaring a generated client (<c>Greeter</c>), else the client's own name.</summary>
    internal static string ConfigurationName<TClient>() => typeof(TClient).DeclaringType?.Name ?? typeof(TClient).Name;
}
