using Microsoft.AspNetCore.Builder;

namespace Shoal.Hosting.Server;

/// <summary>Adds a Shoal server to a <see cref="WebApplicationBuilder"/> and maps its services.</summary>
public static class ShoalServerExtensions
{
    /// <summary>Listens on the native and gRPC ports from <see cref="ShoalServerOptions"/> (configuration section <c>Shoal:Server</c>, then <paramref name="configure"/>).</summary>
    public static IShoalServerBuilder AddShoalServer(this WebApplicationBuilder builder, Action<ShoalServerOptions>? configure = null)
        => throw new NotImplementedException();

    /// <summary>Binds every added service to both transports, with health and reflection.</summary>
    public static WebApplication MapShoalServices(this WebApplication app) => throw new NotImplementedException();

    /// <summary>The addresses the started host listens on.</summary>
    public static ShoalServerAddresses GetShoalAddresses(this WebApplication app) => throw new NotImplementedException();
}
