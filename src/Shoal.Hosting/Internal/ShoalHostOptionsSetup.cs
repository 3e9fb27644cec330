using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shoal.Hosting.Server;

namespace Shoal.Hosting.Internal;

/// <summary>Makes the grace period the host's shutdown timeout: Kestrel lets calls in flight run that long after SIGTERM.</summary>
internal sealed class ShoalHostOptionsSetup(IOptions<ShoalServerOptions> options) : IConfigureOptions<HostOptions>
{
    public void Configure(HostOptions host) => host.ShutdownTimeout = options.Value.ShutdownGracePeriod;
}
