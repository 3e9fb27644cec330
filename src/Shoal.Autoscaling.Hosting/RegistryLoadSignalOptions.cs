using Shoal.Client;

namespace Shoal.Autoscaling.Hosting;

/// <summary>Settings of <see cref="RegistryLoadSignalSource"/>.</summary>
public sealed class RegistryLoadSignalOptions
{
    /// <summary>
    /// The cluster target whose instances report load: <c>registry://host:port/pkg.Service</c>,
    /// <c>etcd://h1:p1,h2:p2/pkg.Service</c>, <c>static://h1:p1,h2:p2</c> or <c>dns:///name:port</c>.
    /// </summary>
    public required string Target { get; set; }

    /// <summary>How long a report counts after its window ended (an instance that stopped reporting drops out). Default 15 s.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The first pause before a failed watch stream is opened again; doubled per failure up to <see cref="MaxReconnectDelay"/>. Default 500 ms.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause between reconnect attempts. Default 10 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How the resolver and the connections to the instances are made (TLS, resolver factories, logging).</summary>
    public ShoalChannelOptions Channel { get; set; } = new();

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Target))
        {
            throw new ArgumentException("The load signal needs a cluster target, such as registry://127.0.0.1:7000/hello.Greeter.");
        }
        if (StaleAfter <= TimeSpan.Zero || ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
        {
            throw new ArgumentException("Need StaleAfter > 0, ReconnectDelay > 0 and MaxReconnectDelay >= ReconnectDelay.");
        }
        ArgumentNullException.ThrowIfNull(Channel);
    }
}
