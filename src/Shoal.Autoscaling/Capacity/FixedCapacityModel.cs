namespace Shoal.Autoscaling.Capacity;

/// <summary>A configured capacity that observations do not change.</summary>
public sealed class FixedCapacityModel : ICapacityModel
{
    /// <summary>Creates the model.</summary>
    /// <param name="requestsPerSecondPerInstance">The configured capacity (positive).</param>
    public FixedCapacityModel(double requestsPerSecondPerInstance)
    {
        if (!(requestsPerSecondPerInstance > 0) || !double.IsFinite(requestsPerSecondPerInstance))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecondPerInstance), requestsPerSecondPerInstance, "Capacity must be positive.");
        }

        RequestsPerSecondPerInstance = requestsPerSecondPerInstance;
    }

    /// <inheritdoc/>
    public double RequestsPerSecondPerInstance { get; }

    /// <inheritdoc/>
    public void Observe(double requestsPerSecondPerInstance, TimeSpan p99)
    {
    }
}
