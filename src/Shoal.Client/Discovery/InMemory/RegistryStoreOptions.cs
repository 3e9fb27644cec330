namespace Shoal.Client.Discovery.InMemory;

/// <summary>Limits and timings of a <see cref="RegistryStore"/>.</summary>
public sealed class RegistryStoreOptions
{
    /// <summary>The shortest lease a registration may ask for; shorter requests are raised to it. Default 100 ms.</summary>
    public TimeSpan MinTtl { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest lease a registration may ask for; longer requests are lowered to it. Default 1 hour.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired leases are swept. Default 100 ms.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long after start the store reports itself as recovering. A registry that restarted has
    /// lost its leases; its servers register again within one keepalive interval. While recovering,
    /// watch clients merge what they see with the last set they had instead of dropping the
    /// instances that have not come back yet. Default zero (an in-process store loses nothing).
    /// </summary>
    public TimeSpan StartupGracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>Throws <see cref="ArgumentException"/> when the options are inconsistent.</summary>
    public void Validate()
    {
        if (MinTtl <= TimeSpan.Zero || MaxTtl < MinTtl)
        {
            throw new ArgumentException($"RegistryStoreOptions: need 0 < MinTtl ({MinTtl}) <= MaxTtl ({MaxTtl}).");
        }
        if (SweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RegistryStoreOptions: SweepInterval ({SweepInterval}) must be positive.");
        }
        if (StartupGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException($"RegistryStoreOptions: StartupGracePeriod ({StartupGracePeriod}) must not be negative.");
        }
    }
}
