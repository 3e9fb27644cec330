namespace Shoal.Autoscaling.Policy;

/// <summary>Settings of <see cref="SeasonalNaiveScalingPolicy"/>.</summary>
public sealed record SeasonalNaiveOptions
{
    /// <summary>Gets the target utilisation, for the forecast floor and the reactive part alike (its one knob).</summary>
    public double TargetUtilisation { get; init; } = 0.7;

    /// <summary>Gets the provisioning lead time: the forecast is for the window a replica asked for now serves.</summary>
    public TimeSpan LeadTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the control interval: how often the policy decides.</summary>
    public TimeSpan ControlInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the resolution of the remembered history (the load is averaged over it; a multiple of the control interval).</summary>
    public TimeSpan HistoryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the fewest replicas.</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Gets the most replicas.</summary>
    public int MaxReplicas { get; init; } = 1000;

    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(TargetUtilisation > 0 && TargetUtilisation <= 1.5))
        {
            throw new ArgumentException("TargetUtilisation must be in (0, 1.5].");
        }

        if (ControlInterval <= TimeSpan.Zero || HistoryInterval < ControlInterval || LeadTime < TimeSpan.Zero)
        {
            throw new ArgumentException("Need ControlInterval > 0, HistoryInterval >= ControlInterval and LeadTime >= 0.");
        }

        if (MinReplicas < 1 || MaxReplicas < MinReplicas)
        {
            throw new ArgumentException("Need 1 <= MinReplicas <= MaxReplicas.");
        }
    }
}
