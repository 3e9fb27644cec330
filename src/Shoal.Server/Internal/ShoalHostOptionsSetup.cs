using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Internal;

/// <summary>
/// Makes the grace period (plus the deregister delay, which comes first) the host's shutdown
/// timeout: Kestrel lets calls in flight run that long after SIGTERM.
/// </summary>
internal sealed class ShoalHostOptionsSetup(IOptions<ShoalServerOptions> options) : IConfigureOptions<HostOptions>
{
    public void Configure(HostOptions host) => host.ShutdownTimeout = options.Value.ShutdownGracePeriod + (string.IsNullOrWhiteSpace(options.Value.Registry) ? TimeSpan.Zero : options.Value.DeregisterDelay);
}
