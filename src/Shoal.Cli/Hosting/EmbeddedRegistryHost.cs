using Microsoft.Extensions.DependencyInjection;
using Shoal.Server;
using Shoal.Server.Registry;

namespace Shoal.Cli.Hosting;

/// <summary>The embedded registry run inside this process (what <c>shoal registry</c> runs as its own process).</summary>
internal sealed class EmbeddedRegistryHost : IAsyncDisposable
{
    private readonly LoopbackShoalHost _host;

    private EmbeddedRegistryHost(LoopbackShoalHost host)
    {
        _host = host;
        Address = $"registry://{host.Authority}";
    }

    /// <summary>The registry's address: <c>registry://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Starts the registry on a free loopback port (native protocol only), open to every caller.</summary>
    public static Task<EmbeddedRegistryHost> StartAsync(CancellationToken cancellationToken) => StartAsync(null, cancellationToken);

    /// <summary>
    /// Starts the registry on a free loopback port (native protocol only). With
    /// <paramref name="tokenFile"/>, only callers sending its token get in (members only).
    /// </summary>
    public static async Task<EmbeddedRegistryHost> StartAsync(string? tokenFile, CancellationToken cancellationToken)
    {
        var host = await LoopbackShoalHost.StartAsync(
            "The registry",
            static _ => { },
            (builder, server) =>
            {
                server.AddEmbeddedRegistry();
                builder.Services.Configure<EmbeddedRegistryOptions>(o => o.TokenFile = tokenFile);
            },
            cancellationToken).ConfigureAwait(false);
        return new EmbeddedRegistryHost(host);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
