namespace Shoal.Client.Discovery.InMemory;

/// <summary>
/// Thrown by <see cref="RegistryStore.Register(Shoal.Instances.ServiceInstance, TimeSpan, long)"/>
/// when another live lease holds the instance id: a registration cannot take over an instance it
/// does not own (the embedded registry answers <c>AlreadyExists</c>).
/// </summary>
public sealed class InstanceIdInUseException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="instanceId"/>.</summary>
    public InstanceIdInUseException(string instanceId)
        : base($"Instance id '{instanceId}' is held by another live lease; it can be registered again once that lease is deregistered or expires.")
    {
        InstanceId = instanceId;
    }

    /// <summary>The instance id that is taken.</summary>
    public string InstanceId { get; }
}
