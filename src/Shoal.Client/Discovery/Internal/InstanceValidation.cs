using Shoal.Instances;

namespace Shoal.Client.Discovery.Internal;

/// <summary>Checks an instance before it enters any registry, so bad input fails with a clear message.</summary>
internal static class InstanceValidation
{
    public static void Validate(ServiceInstance? instance)
    {
        if (instance is null)
        {
            throw new ArgumentException("The instance is missing.");
        }
        if (string.IsNullOrWhiteSpace(instance.InstanceId))
        {
            throw new ArgumentException("The instance has no instance id.");
        }
        if (instance.Services.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"Instance '{instance.InstanceId}' names no service.");
        }
        foreach (var service in instance.Services)
        {
            if (string.IsNullOrWhiteSpace(service) || service.Contains('/'))
            {
                throw new ArgumentException($"Instance '{instance.InstanceId}' names an invalid service '{service}' (empty or containing '/').");
            }
        }
        if (instance.Addresses is null || instance.Addresses.Count == 0)
        {
            throw new ArgumentException($"Instance '{instance.InstanceId}' has no address.");
        }
        if (instance.Weight < 0)
        {
            throw new ArgumentException($"Instance '{instance.InstanceId}' has a negative weight ({instance.Weight}).");
        }
    }

    public static void ValidateTtl(TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "The lease TTL must be positive.");
        }
    }
}
