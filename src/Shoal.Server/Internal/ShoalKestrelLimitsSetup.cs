using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Shoal.Server.Internal;

/// <summary>
/// Binds Kestrel's limits (<see cref="KestrelServerOptions.Limits"/>, the gRPC port's counterparts of the
/// native limits) from the <c>Kestrel:Limits</c> configuration section, so an operator tunes both ports
/// from the same configuration sources: <c>--Kestrel:Limits:KeepAliveTimeout=00:00:30</c>,
/// <c>Kestrel:Limits:Http2:MaxStreamsPerConnection</c>,
/// <c>Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond</c> and <c>:GracePeriod</c>.
/// </summary>
/// <remarks>
/// ASP.NET Core's own loader of the <c>Kestrel</c> section reads endpoints and certificates only, so
/// without this a host's configuration could not shorten, say, the keep-alive timeout that is the only
/// limit on a peer that connects to the gRPC port and sends nothing (130 s by default). Keys absent
/// from the configuration leave Kestrel's defaults, and code that configures Kestrel after
/// <c>AddShoalServer</c> wins.
/// </remarks>
internal sealed class ShoalKestrelLimitsSetup(IConfiguration limits) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>The configuration section bound.</summary>
    public const string SectionName = "Kestrel:Limits";

    public void Configure(KestrelServerOptions kestrel)
    {
        limits.Bind(kestrel.Limits);
        // A MinDataRate has no setters, so the binder cannot change one in place: these two are read here.
        var options = kestrel.Limits;
        options.MinRequestBodyDataRate = Rate(limits.GetSection(nameof(options.MinRequestBodyDataRate)), options.MinRequestBodyDataRate);
        options.MinResponseDataRate = Rate(limits.GetSection(nameof(options.MinResponseDataRate)), options.MinResponseDataRate);
    }

    /// <summary>The rate the section sets, each key it leaves out taken from <paramref name="current"/> (Kestrel's default: 240 B/s, 5 s).</summary>
    private static MinDataRate? Rate(IConfigurationSection section, MinDataRate? current)
    {
        if (!section.GetChildren().Any())
        {
            return current;
        }
        return new MinDataRate(
            section.GetValue(nameof(MinDataRate.BytesPerSecond), current?.BytesPerSecond ?? 240),
            section.GetValue(nameof(MinDataRate.GracePeriod), current?.GracePeriod ?? TimeSpan.FromSeconds(5)));
    }
}
